#!/usr/bin/env bash
# Smoke test of a wallet-crm .deb without touching the system (`make deb` runs it after build-deb.sh):
#  1. its control fields and the paths it must install, all owned by root;
#  2. `dpkg -x` into a temporary root, then the program installed there: --version, status, a PayPal CSV
#     imported, an export to .xlsx, a 25,000-row CSV imported through the child process that reads big
#     files, and the GUI started and quit under the offscreen platform;
#  3. as root: a real `dpkg --root` install into another temporary root and `dpkg -r`, which must leave
#     none of our files behind (dependencies are not installed there, hence --force-depends).
# Usage: smoke-deb.sh dist/wallet-crm_<version>_<arch>.deb
set -euo pipefail
deb=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
csv=$(realpath "$here/../smoke/paypal.csv")
work=$(mktemp -d "${TMPDIR:-/tmp}/wallet-crm-deb-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "smoke-deb: FAILED: $*" >&2; exit 1; }

echo "== $(basename "$deb"): $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes)"
version=$(dpkg-deb --field "$deb" Version)
echo "package $(dpkg-deb --field "$deb" Package) $version, $(dpkg-deb --field "$deb" Architecture)," \
    "installed size $(( $(dpkg-deb --field "$deb" Installed-Size) / 1024 )) MB"
echo "depends: $(dpkg-deb --field "$deb" Depends | tr -s ' \n' ' ' | sed 's/ $//')"

dpkg-deb --contents "$deb" > "$work/contents"
for path in ./opt/wallet-crm/wallet-crm ./opt/wallet-crm/_internal/ ./usr/bin/wallet-crm \
    ./usr/share/applications/wallet-crm.desktop ./usr/share/icons/hicolor/48x48/apps/wallet-crm.png \
    ./usr/share/icons/hicolor/scalable/apps/wallet-crm.svg; do
    grep -q " $path\( \|$\)" "$work/contents" || fail "$path is not in the package"
done
grep -v -q " root/root " "$work/contents" && fail "files not owned by root: $(grep -v ' root/root ' "$work/contents" | head -3)"
grep -q "^lrwxrwxrwx root/root .* ./usr/bin/wallet-crm -> /opt/wallet-crm/wallet-crm$" "$work/contents" \
    || fail "/usr/bin/wallet-crm is not a link to /opt/wallet-crm/wallet-crm"
echo "contents: $(wc -l < "$work/contents") entries, all root/root; the command, menu entry and icons are there"

root=$work/root
dpkg -x "$deb" "$root"
app=$root/opt/wallet-crm/wallet-crm
if command -v desktop-file-validate > /dev/null; then
    desktop-file-validate "$root/usr/share/applications/wallet-crm.desktop"
    echo "desktop-file-validate: ok"
fi

home=$work/home
mkdir -p "$home"
export XDG_DATA_HOME=$home/data XDG_STATE_HOME=$home/state XDG_CONFIG_HOME=$home/config XDG_CACHE_HOME=$home/cache
db=$home/smoke.sqlite3
run() { echo "\$ wallet-crm $*"; "$app" "$@"; }

said=$(run --version)
echo "$said"
said=${said##*$'\n'}
[ "$said" = "wallet-crm ${version%%~*}" ] || [ "$said" = "wallet-crm $version" ] || fail "--version said '$said'"
run --db "$db" status
run --lang en --db "$db" import "$csv" | tee "$work/import.txt"
grep -q "read as PayPal.*inserted 1," "$work/import.txt" || fail "the import did not insert the row"
run --db "$db" export transactions -o "$home/transactions.xlsx"
[ "$(head -c 2 "$home/transactions.xlsx")" = "PK" ] || fail "the export is not an .xlsx (zip) file"
run --db "$db" status --json | grep -q '"transactions": 1' || fail "status does not count the imported row"
# A file big enough to be read and checked in a child process (wallet_crm/imports/pipeline.py): the frozen
# program must start itself as that child, which multiprocessing.freeze_support() in wallet_crm/__main__.py
# turns into the reader instead of a second app. The log says which process read it.
big=$work/paypal-big.csv
rows=25000
{ head -n 1 "$csv"; awk -v n="$rows" 'BEGIN { for (i = 1; i <= n; i++)
    printf "11/20/2026,%02d:%02d:%02d,PST,Customer %d,Website Payment,Completed,USD,%d.00,-0.83,%d.17,c%d@example.com,shop@example.com,SMOKE%012d\n",
        int(i / 3600) % 24, int(i / 60) % 60, i % 60, i % 500, i % 900 + 1, i % 900, i % 500, i }'; } > "$big"
run --lang en --db "$db" import "$big" | tee "$work/import-big.txt"
grep -q "read as PayPal.*inserted 25,000," "$work/import-big.txt" || fail "the big import did not insert its $rows rows"
grep -q "reading and checking paypal-big.csv in process" "$XDG_STATE_HOME/wallet-crm/log/wallet-crm.log" \
    || fail "the big import was not read and checked in a child process"
run --db "$db" status --json | grep -q "\"transactions\": $((rows + 1))" || fail "status does not count the big import's rows"
echo "\$ QT_QPA_PLATFORM=offscreen wallet-crm --db ... --page feedback --quit-after 1500"
QT_QPA_PLATFORM=offscreen "$app" --db "$db" --page feedback --quit-after 1500
echo "GUI started and quit"
# Log-in: argon2id hashing (a compiled cffi module) must be in the frozen program. Last: from here on
# the database asks for a user.
WALLET_CRM_NEW_PASSWORD="smoke test 1" run --db "$db" users add admin --role admin
run --db "$db" status >/dev/null 2>&1 && fail "a database with users answered without a log-in"
WALLET_CRM_PASSWORD="smoke test 1" run --db "$db" --user admin status --json | grep -q '"transactions"' \
    || fail "the admin could not sign in"

if [ "$(id -u)" -eq 0 ]; then
    target=$work/installed
    mkdir -p "$target/var/lib/dpkg/info" "$target/var/lib/dpkg/updates"
    touch "$target/var/lib/dpkg/status"
    dpkg --root="$target" --force-depends -i "$deb" > "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }
    [ -x "$target/opt/wallet-crm/wallet-crm" ] || fail "dpkg -i did not install /opt/wallet-crm/wallet-crm"
    dpkg --root="$target" -r wallet-crm >> "$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -r"; }
    left=$(cd "$target" && find . -mindepth 1 -not -path './var' -not -path './var/lib' -not -path './var/lib/dpkg*')
    [ -z "$left" ] || fail "dpkg -r left files behind: $(echo "$left" | head -5)"
    echo "dpkg -i then dpkg -r in a temporary root: nothing of ours left"
else
    echo "(not root: skipped the dpkg -i / dpkg -r check)"
fi
echo "deb smoke passed: $(basename "$deb")"
