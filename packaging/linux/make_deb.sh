#!/usr/bin/env bash
# Package the PyInstaller one-folder build as a Debian package with dpkg-deb.
#
#   packaging/linux/make_deb.sh APP_DIR VERSION OUT_DIR
#
# APP_DIR is dist/backprop-playground (the folder holding the backprop-playground executable).
# The package installs:
#   /opt/backprop-playground/                       the one-folder app
#   /usr/bin/backprop-playground                    symlink to the app's executable
#   /usr/share/applications/backprop-playground.desktop
#   /usr/share/icons/hicolor/{16..512}x*/apps/backprop-playground.png and scalable/…svg
#   /usr/share/doc/backprop-playground/copyright    the MIT licence
# No maintainer scripts: every file is listed in the package, so `dpkg -r` removes them all, and
# the icon/desktop caches are refreshed by the dpkg triggers of the packages that own them.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 APP_DIR VERSION OUT_DIR" >&2
    exit 2
fi
APP_DIR=$(cd "$1" && pwd)
VERSION=$2
OUT_DIR=$(mkdir -p "$3" && cd "$3" && pwd)
REPO=$(cd "$(dirname "$0")/../.." && pwd)
NAME=backprop-playground
ARCH=$(dpkg --print-architecture)
ROOT="$REPO/build/deb/${NAME}_${VERSION}_${ARCH}"
DEB="$OUT_DIR/${NAME}_${VERSION}_${ARCH}.deb"
# The project publishes no contact address, so none is made up here; Debian policy wants
# "Name <email>": set DEB_MAINTAINER to that when publishing the package in a repository.
MAINTAINER=${DEB_MAINTAINER:-"Backprop Playground developers"}

[ -x "$APP_DIR/$NAME" ] || { echo "no executable $APP_DIR/$NAME" >&2; exit 1; }

rm -rf "$ROOT"
mkdir -p "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications" \
         "$ROOT/usr/share/doc/$NAME"
cp -a "$APP_DIR" "$ROOT/opt/$NAME"
# Relative symlink: PyInstaller's bootloader resolves its real location through /proc/self/exe,
# so the app finds its _internal/ folder when started through /usr/bin.
ln -s "../../opt/$NAME/$NAME" "$ROOT/usr/bin/$NAME"
install -m 644 "$REPO/resources/$NAME.desktop" "$ROOT/usr/share/applications/$NAME.desktop"
install -m 644 "$REPO/LICENSE" "$ROOT/usr/share/doc/$NAME/copyright"

for png in "$REPO"/resources/icons/"$NAME"-[0-9]*.png; do
    size=${png##*-}
    size=${size%.png}
    install -D -m 644 "$png" "$ROOT/usr/share/icons/hicolor/${size}x${size}/apps/$NAME.png"
done
install -D -m 644 "$REPO/resources/icons/$NAME.svg" "$ROOT/usr/share/icons/hicolor/scalable/apps/$NAME.svg"

# Normalise permissions (the build tree may carry a restrictive umask): directories and
# executables 755, everything else 644. Files PyInstaller marked executable stay executable.
find "$ROOT" -type d -exec chmod 755 {} +
find "$ROOT" -type f ! -perm -u+x -exec chmod 644 {} +
find "$ROOT" -type f -perm -u+x -exec chmod 755 {} +

# System libraries the bundle links to but PyInstaller leaves to the OS (found with ldd over the
# bundle: GL/EGL, libxcb, Wayland client libraries for the wayland platform plugin), plus the
# xcb platform plugin's dependencies listed in docs/NOTES.md: some are bundled today, but a
# build on a machine without them would not bundle them.
DEPENDS="libc6, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, \
libxcb-render-util0, libxcb-randr0, libxcb-shape0, libxcb-xinerama0, libxcb-xfixes0, \
libxkbcommon-x11-0, libegl1, libgl1, libfontconfig1, libdbus-1-3, libwayland-client0, \
libwayland-cursor0, libwayland-egl1"
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)

cat > "$ROOT/DEBIAN/control" <<EOF
Package: $NAME
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Section: science
Priority: optional
Description: desktop neural-network playground
 Build small neural networks, make or paint 2-D datasets and watch
 backpropagation train them live: decision boundary, neuron activations,
 loss curves, weights, gradients and a step-by-step backprop inspector.
 .
 A self-contained build (Python, NumPy, Qt for Python and pyqtgraph are
 bundled in /opt/$NAME).
EOF
chmod 644 "$ROOT/DEBIAN/control"

dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB" >/dev/null
echo "$DEB"
