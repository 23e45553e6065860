#!/usr/bin/env bash
# Build Backprop Playground's packaged app for this OS, then smoke-test the built artifact.
#
#   packaging/build.sh [--no-smoke-test] [--check-deb]
#
# Needs PyInstaller in the Python that runs it (not a project dependency: `pip install pyinstaller`);
# it installs the app's dependencies (and the smoke test's tools) there if they are missing, so a
# fresh venv will do.
# Python: $PYTHON, else ./.venv's, else python3/python on PATH.
#
# Everything lands in dist/ (git-ignored; intermediate files in build/):
#   all OSes   dist/backprop-playground/ (Linux, Windows) or "dist/Backprop Playground.app" (macOS)
#   Linux      dist/backprop-playground-VERSION-linux-ARCH.tar.gz
#              dist/backprop-playground_VERSION_DEBARCH.deb           (dpkg-deb)
#   macOS      dist/backprop-playground-VERSION-macos-ARCH.dmg        (hdiutil)
#   Windows    dist/backprop-playground-VERSION-windows-x64-setup.exe (Inno Setup 6's ISCC; run
#              from Git Bash; $ISCC overrides the compiler's path)
# The smoke test (tests/packaging/test_built_app.py) runs the built app's --version and
# --self-test offscreen and, on Linux, under Xvfb. --check-deb (Linux, root or sudo) also installs
# the .deb on this machine, smoke-tests the installed command and removes it again
# (packaging/linux/check_deb.sh).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
SMOKE_TEST=1
CHECK_DEB=0
for arg in "$@"; do
    case $arg in
        --no-smoke-test) SMOKE_TEST=0 ;;
        --check-deb) CHECK_DEB=1 ;;
        *) echo "usage: $0 [--no-smoke-test] [--check-deb]" >&2; exit 2 ;;
    esac
done

if [ -n "${PYTHON:-}" ]; then :
elif [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python
elif [ -x .venv/Scripts/python.exe ]; then PYTHON=.venv/Scripts/python.exe
elif command -v python3 >/dev/null && python3 -c "" 2>/dev/null; then PYTHON=python3
else PYTHON=python
fi
"$PYTHON" -c "import PyInstaller" 2>/dev/null || {
    echo "PyInstaller is missing: $PYTHON -m pip install pyinstaller" >&2; exit 1; }

NAME=backprop-playground
# Paths handed to Python stay relative to the repository: on Windows, Git Bash converts POSIX
# paths in arguments but not in environment variables.
STAGE=build/stage
export BPP_STAGE_DIR="$STAGE"
# Reproducible archives: every file dated at the last commit, not at build time.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

step() { printf '\n==> %s\n' "$*"; }

step "staging a regular (non-editable) install of the project in build/stage"
rm -rf "$STAGE" build/pyinstaller "dist/$NAME" "dist/Backprop Playground.app"
# With pip's build isolation, so the build uses the setuptools pyproject.toml asks for: a fresh
# venv's own can be too old for it (Python 3.11's 65.5 rejects `license = "MIT"`).
"$PYTHON" -m pip install --quiet --no-deps --target "$STAGE" .

step "the app's dependencies (PyInstaller bundles them) and the smoke test's tools in $PYTHON"
# pip keeps those already installed as they are
"$PYTHON" - "$STAGE" "$SMOKE_TEST" <<'PY'
import subprocess
import sys
from importlib.metadata import distributions

stage, smoke_test = sys.argv[1], sys.argv[2] == "1"
requirements = []
for dist in distributions(path=[stage]):
    for requirement in dist.requires or []:
        name, _, marker = requirement.partition(";")
        if "extra ==" not in marker:
            requirements.append(requirement)
        elif smoke_test and '"test"' in marker:
            requirements.append(name.strip())
subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *requirements], check=True)
PY
VERSION=$("$PYTHON" -c "import re,sys; print(re.search(r'^__version__ = \"([^\"]+)\"', open(sys.argv[1]).read(), re.M).group(1))" "$STAGE/playground/__init__.py")
echo "version $VERSION"

step "freezing with PyInstaller (one folder)"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/$NAME.spec
echo "PyInstaller took $(( $(date +%s) - start )) s"

case "$(uname -s)" in
    Linux)
        APP_DIR="dist/$NAME"
        ARCH=$(uname -m)
        TARBALL="dist/$NAME-$VERSION-linux-$ARCH.tar.gz"
        step "tar.gz: $TARBALL"
        tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
            -C dist -cf - "$NAME" | gzip -9n > "$TARBALL"
        step ".deb (dpkg-deb)"
        DEB=$(bash packaging/linux/make_deb.sh "$APP_DIR" "$VERSION" dist)
        ARTIFACTS=("$TARBALL" "$DEB")
        BUILT_APP="$APP_DIR/$NAME"
        ;;
    Darwin)
        APP_DIR="dist/Backprop Playground.app"
        DMG="dist/$NAME-$VERSION-macos-$(uname -m).dmg"
        step ".dmg (hdiutil): $DMG"
        bash packaging/macos/make_dmg.sh "$APP_DIR" "$DMG"
        ARTIFACTS=("$DMG")
        BUILT_APP="$APP_DIR/Contents/MacOS/$NAME"
        ;;
    MINGW*|MSYS*|CYGWIN*)
        APP_DIR="dist/$NAME"
        if [ -z "${ISCC:-}" ]; then
            ISCC=$(command -v iscc || command -v ISCC \
                || ls "/c/Program Files (x86)"/Inno\ Setup\ */ISCC.exe 2>/dev/null | head -n 1 || true)
        fi
        step "Windows installer (Inno Setup: $ISCC)"
        mkdir -p build/windows
        printf '#define AppVersion "%s"\n' "$VERSION" > build/windows/version.iss
        # Git Bash rewrites arguments that look like POSIX paths ("/Q" would become "Q:/").
        MSYS_NO_PATHCONV=1 MSYS2_ARG_CONV_EXCL="*" "$ISCC" /Q "packaging/windows/$NAME.iss"
        ARTIFACTS=("dist/$NAME-$VERSION-windows-x64-setup.exe")
        BUILT_APP="$APP_DIR/$NAME.exe"
        ;;
    *)
        echo "unsupported OS $(uname -s)" >&2; exit 1 ;;
esac

step "built"
du -sh "$APP_DIR" | sed 's/\t/  /'
for artifact in "${ARTIFACTS[@]}"; do
    ls -l "$artifact" | awk '{printf "%s  %.1f MB\n", $NF, $5 / 1048576}'
done

if [ "$SMOKE_TEST" = 1 ]; then
    step "smoke test of the built app: $BUILT_APP"
    BPP_BUILT_APP="$BUILT_APP" "$PYTHON" -m pytest -p no:cacheprovider -q -rs -s \
        tests/packaging/test_built_app.py
fi

if [ "$CHECK_DEB" = 1 ]; then
    step "installing, smoke-testing and removing the .deb"
    PYTHON="$PYTHON" bash packaging/linux/check_deb.sh "$DEB"
fi
