#!/usr/bin/env bash
# Make a compressed, read-only macOS disk image from the PyInstaller .app bundle with hdiutil.
#
#   packaging/macos/make_dmg.sh "dist/Backprop Playground.app" dist/backprop-playground-VERSION-macos-ARCH.dmg
#
# The image holds the app and a link to /Applications, the usual drag-to-install layout. The app
# is ad-hoc signed by PyInstaller (enough to run on Apple silicon); distributing it to other Macs
# without Gatekeeper warnings needs a Developer ID signature and notarisation, which need
# Apple credentials and are not done here.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 APP_BUNDLE OUTPUT.dmg" >&2; exit 2; }
APP=${1%/}
DMG=$2
VOLUME_NAME="Backprop Playground"
[ -d "$APP/Contents/MacOS" ] || { echo "$APP is not an .app bundle" >&2; exit 1; }

STAGING=$(mktemp -d)
trap 'rm -rf "$STAGING"' EXIT
# ditto keeps the bundle's symlinks, permissions and extended attributes (the code signature).
ditto "$APP" "$STAGING/$(basename "$APP")"
ln -s /Applications "$STAGING/Applications"

mkdir -p "$(dirname "$DMG")"
rm -f "$DMG"
# UDZO: zlib-compressed read-only image. hdiutil occasionally fails with "Resource busy" on CI
# machines while Spotlight or an antivirus scans the staging folder, so retry a few times.
for attempt in 1 2 3; do
    if hdiutil create -volname "$VOLUME_NAME" -srcfolder "$STAGING" -fs HFS+ -format UDZO \
        -imagekey zlib-level=9 -ov "$DMG"; then
        break
    fi
    [ "$attempt" -eq 3 ] && { echo "hdiutil create failed 3 times" >&2; exit 1; }
    sleep $((attempt * 5))
done
hdiutil verify "$DMG"
echo "$DMG"
