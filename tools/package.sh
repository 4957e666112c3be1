#!/usr/bin/env bash
# Builds Genjin's Linux packages (.deb for Debian/Ubuntu/统信UOS/麒麟, .rpm for
# Fedora/openEuler) into dist/ (issue 23). Installs what is missing first: the Debian packages
# a build needs, and tauri-cli (pinned) from crates.io. Nothing is downloaded while bundling:
# deb and rpm are made in-process; the AppImage bundler (which downloads linuxdeploy) is not
# used. The build is a production one (tauri-cli turns on `custom-protocol`): the installed
# program serves ui/ from inside itself, never from a folder on disk.
#
#   bash tools/package.sh           build dist/*.deb and dist/*.rpm
#   bash tools/package.sh --check   then install the .deb here, try it as a user would (the
#                                   command line, the default database, the menu entry and
#                                   icon, the window under Xvfb), remove it and check the
#                                   user's data stayed — the proof recorded in the issue's note
set -euo pipefail
cd "$(dirname "$0")/.."
TAURI_CLI_VERSION=2.12.4
SUDO=""
[[ $EUID -eq 0 ]] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

missing=()
for p in build-essential pkg-config libwebkit2gtk-4.1-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [[ "${1:-}" == --check ]]; then
  for p in xvfb xauth webkit2gtk-driver fonts-noto-cjk desktop-file-utils rpm; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q "${missing[@]}"
fi
if [[ "$(cargo tauri --version 2>/dev/null || true)" != "tauri-cli $TAURI_CLI_VERSION" ]]; then
  cargo install tauri-cli --version "$TAURI_CLI_VERSION" --locked
fi

# (an earlier version's packages are not carried along)
rm -rf target/release/bundle/deb target/release/bundle/rpm
cargo tauri build --ci --bundles deb,rpm
rm -rf dist
mkdir -p dist
cp target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm dist/
echo "== the packages"
ls -l dist

[[ "${1:-}" == --check ]] || exit 0

# the check installs and removes the package: never over one this machine already had
if dpkg -s genjin >/dev/null 2>&1; then
  echo "genjin is installed on this machine already: remove it (apt-get remove genjin) before --check"
  exit 1
fi
echo "== what the .rpm holds"
rpm -qlp dist/*.rpm
work=$(mktemp -d)
# a check stopped halfway removes what it installed too
trap 'rm -rf "$work"; if dpkg -s genjin >/dev/null 2>&1; then $SUDO apt-get remove -y -q genjin >/dev/null; fi' EXIT
deb=$(ls dist/*.deb)
echo "== installing $deb"
$SUDO apt-get install -y -q "./$deb"
installed=$(command -v genjin)
[[ "$installed" == /usr/bin/genjin ]] || { echo "genjin is not /usr/bin/genjin: $installed"; exit 1; }
echo "installed size: $(dpkg-query -W -f '${Installed-Size}' genjin) KiB"
genjin --version
genjin-cli --version

export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
unset GENJIN_DB
echo "== the command line, on a database in a folder with Chinese characters and spaces"
db="$work/部门 数据/需求 登记.sqlite3"
genjin --db "$db" add-requirement --received 2014-06-19 --reporter 张三 --summary 问卷自动计分
genjin --db "$db" decide 14061901 --decision 做 --grade C
genjin --db "$db" register --json | tee "$work/register.json"
grep -q '"决策结果": "做"' "$work/register.json"
echo "== the default database, in the user's data folder"
genjin add-requirement --received 2014-06-20 --reporter 张三 --summary 默认数据库里的需求
default="$XDG_DATA_HOME/cn.genjin.desktop/genjin.sqlite3"
test -s "$default"
genjin about

echo "== the menu entry and the icon"
entry=$(dpkg -L genjin | grep '/usr/share/applications/.*\.desktop$')
cat "$entry"
desktop-file-validate "$entry"
grep -q '^Name=跟进 — 客户需求反馈及跟进$' "$entry"
grep -q '^Exec=genjin$' "$entry"
icon=$(grep '^Icon=' "$entry" | cut -d= -f2)
dpkg -L genjin | grep "/usr/share/icons/hicolor/.*/apps/$icon.png"

echo "== the installed window, under Xvfb"
GENJIN_INSTALLED=/usr/bin/genjin cargo test --test e2e installed -- --test-threads=1 --nocapture
ls -l target/e2e-screenshots/installed-*.png
echo "== its cold start beside a bare Tauri window (BENCHMARKS.md)"
cargo build --release --features custom-protocol --example bare_window
GENJIN_INSTALLED=/usr/bin/genjin cargo test --test e2e installed_cold_start -- --ignored --nocapture

echo "== removing the package"
$SUDO apt-get remove -y -q genjin
if [[ -e /usr/bin/genjin ]] || dpkg -s genjin >/dev/null 2>&1; then echo "genjin is still installed"; exit 1; fi
test -s "$db" && test -s "$default"
ls -l "$db" "$default" "$XDG_DATA_HOME/cn.genjin.desktop"
echo "== the user's databases are still there; the check passed"
