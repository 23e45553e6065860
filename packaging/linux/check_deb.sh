#!/usr/bin/env bash
# Install the built .deb on this machine, smoke-test the installed command, then remove it and
# check that nothing it installed is left behind. Needs root (or sudo) and a Debian-like system.
#
#   packaging/linux/check_deb.sh dist/backprop-playground_VERSION_ARCH.deb
#
# The smoke test is tests/packaging/test_built_app.py pointed at /usr/bin/backprop-playground:
# --version, --self-test offscreen and under Xvfb, and the time to a shown window.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 PACKAGE.deb" >&2; exit 2; }
DEB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
REPO=$(cd "$(dirname "$0")/../.." && pwd)
NAME=backprop-playground
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

status() { dpkg-query -W -f='${db:Status-Status}' "$NAME" 2>/dev/null || true; }
if [ "$(status)" = "installed" ]; then
    echo "$NAME is already installed; remove it first (dpkg -r $NAME)" >&2
    exit 1
fi

echo "==> dpkg -i $DEB"
$SUDO dpkg -i "$DEB"
installed_files=$(mktemp)
trap 'rm -f "$installed_files"' EXIT
dpkg -L "$NAME" > "$installed_files"
echo "installed $(wc -l < "$installed_files") paths; command: $(command -v $NAME)"
[ "$(command -v $NAME)" = "/usr/bin/$NAME" ]
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "/usr/share/applications/$NAME.desktop"
fi

echo "==> smoke test of the installed command"
smoke_status=0
(cd "$REPO" && BPP_BUILT_APP="/usr/bin/$NAME" "$PYTHON" -m pytest -p no:cacheprovider -q -rs -s \
    tests/packaging/test_built_app.py) || smoke_status=$?

echo "==> dpkg -r $NAME"
$SUDO dpkg -r "$NAME"
left=0
while IFS= read -r path; do
    # Shared directories (/usr/share/icons/hicolor/…) belong to other packages too and stay;
    # every file and link, and every directory named after us, must be gone.
    if [ -e "$path" ] || [ -L "$path" ]; then
        if [ ! -d "$path" ] || [ -L "$path" ] || [[ "$path" == *"$NAME"* ]]; then
            echo "left behind: $path" >&2
            left=1
        fi
    fi
done < "$installed_files"
[ "$(status)" != "installed" ] || { echo "dpkg still lists $NAME as installed" >&2; left=1; }
[ ! -e "/opt/$NAME" ] || { echo "left behind: /opt/$NAME" >&2; left=1; }

if [ "$smoke_status" -ne 0 ] || [ "$left" -ne 0 ]; then
    echo "FAILED (smoke test exit $smoke_status, leftovers $left)" >&2
    exit 1
fi
echo "installed, smoke-tested and removed cleanly"
