#!/usr/bin/env bash
# Build dist/wallet-crm_<version>_<arch>.deb from the PyInstaller folder dist/wallet-crm/ (`make deb`).
#
# Only dpkg-deb: the tree is staged by hand, then `dpkg-deb --build --root-owner-group`. It installs
#   /opt/wallet-crm/                              the PyInstaller folder as built
#   /usr/bin/wallet-crm -> /opt/wallet-crm/wallet-crm
#   /usr/share/applications/wallet-crm.desktop    the menu entry (English and Chinese)
#   /usr/share/icons/hicolor/<n>x<n>/apps/wallet-crm.png and scalable/apps/wallet-crm.svg
#   /usr/share/doc/wallet-crm/copyright
# No maintainer scripts: the menu and icon caches are refreshed by the dpkg triggers of the packages that
# own them (desktop-file-utils on /usr/share/applications, hicolor-icon-theme on /usr/share/icons/hicolor)
# wherever those are installed, and the package writes nothing outside its own files, so `dpkg -r` leaves
# only the user's data folder.
#
# Prints the .deb's path on stdout (and nothing else there); progress goes to stderr.
# Environment: PYTHON (to read pyproject.toml; default python3), DEB_MAINTAINER, DIST (default dist).
set -euo pipefail
cd "$(dirname "$0")/../.."

python=${PYTHON:-python3}
dist=${DIST:-dist}
app_dir=$dist/wallet-crm
maintainer=${DEB_MAINTAINER:-"wallet-crm maintainers <wallet-crm@example.com>"}
icon_sizes=(16 24 32 48 64 128 256 512)

[ -x "$app_dir/wallet-crm" ] || { echo "build-deb: no $app_dir/wallet-crm (run make package first)" >&2; exit 1; }
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
# The frozen program must say the same version, or the package would lie about what it holds.
said=$("$app_dir/wallet-crm" --version)
[ "$said" = "wallet-crm $version" ] || { echo "build-deb: $app_dir says '$said', pyproject.toml $version" >&2; exit 1; }
# PEP 440 pre-releases sort before the release in Debian only with a tilde: 1.2.0rc1 -> 1.2.0~rc1.
deb_version=$(printf '%s' "$version" | sed -E 's/^([0-9]+(\.[0-9]+)*)\.?((a|b|rc|dev)[0-9]*)/\1~\3/')
arch=$(dpkg --print-architecture)
deb=$dist/wallet-crm_${deb_version}_${arch}.deb

stage=$(mktemp -d "${TMPDIR:-/tmp}/wallet-crm-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/doc/wallet-crm" "$stage/usr/share/icons/hicolor/scalable/apps"
cp -a "$app_dir" "$stage/opt/wallet-crm"
# An absolute link, as Debian policy asks for links between top-level folders; the bootloader follows it to
# find its _internal folder (/proc/self/exe).
ln -s /opt/wallet-crm/wallet-crm "$stage/usr/bin/wallet-crm"
install -m 0644 packaging/linux/wallet-crm.desktop "$stage/usr/share/applications/wallet-crm.desktop"
for size in "${icon_sizes[@]}"; do
    install -D -m 0644 "resources/icons/wallet-crm-$size.png" \
        "$stage/usr/share/icons/hicolor/${size}x${size}/apps/wallet-crm.png"
done
install -m 0644 resources/icons/wallet-crm.svg "$stage/usr/share/icons/hicolor/scalable/apps/wallet-crm.svg"
cat > "$stage/usr/share/doc/wallet-crm/copyright" <<EOF
wallet-crm $version: proprietary (pyproject.toml: LicenseRef-Proprietary).
/opt/wallet-crm/_internal holds the Python runtime, Qt (LGPLv3) through PySide6 (LGPLv3) and the Python
libraries the app uses, each under its own licence.
EOF
# Files readable by all, writable by the owner only; programs and folders stay executable.
chmod -R u+rwX,go+rX,go-w "$stage"

installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s|@VERSION@|$deb_version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$installed_kb|" packaging/linux/control.in > "$stage/DEBIAN/control"
chmod 0644 "$stage/DEBIAN/control"

rm -f "$dist"/wallet-crm_*.deb  # an older version's package would be mistaken for this one
dpkg-deb --build --root-owner-group -Zxz "$stage" "$deb" >&2
echo "$deb"
