#!/usr/bin/env bash
# Installs what Genjin needs on a Debian/Ubuntu machine, skipping what is already there.
#   tools/setup.sh          build and run the app
#   tools/setup.sh --test   also what the tests need (Xvfb, WebKitWebDriver, tauri-driver)
set -euo pipefail

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

packages=(libwebkit2gtk-4.1-dev build-essential pkg-config fonts-noto-cjk)
if [ "$want_test" = 1 ]; then
  packages+=(xvfb xauth webkit2gtk-driver)
  # the printing tests render exports as the person printing sees them (issue 20)
  packages+=(libreoffice-calc-nogui poppler-utils)
  # the store and command-line tests also run on a throwaway PostgreSQL (issue 21)
  packages+=(postgresql postgresql-client openssl)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "Rust is missing: installing it with rustup (https://rustup.rs)."
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

if [ "$want_test" = 1 ] && ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "Installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi
