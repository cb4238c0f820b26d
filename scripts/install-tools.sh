#!/usr/bin/env bash
# Installs every tool the demo and the tests need, skipping what is already present,
# so a fresh machine works and a warm one is fast. Safe to run repeatedly.
#
#   scripts/install-tools.sh            # everything
#   scripts/install-tools.sh rust       # only the Rust side (wasm target, trunk, wasm-bindgen)
#   scripts/install-tools.sh node       # only node_modules (wasm-opt, esbuild, playwright-core, axe-core)
#   scripts/install-tools.sh system     # only Debian packages (chromium, chromium-driver)
#   scripts/install-tools.sh python     # only the venv of the oEmbed consumer test (micawber)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION="~0.21"
# wasm-bindgen-cli must equal the `=`-pinned wasm-bindgen in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

step() { printf '\n==> %s\n' "$*"; }

install_system() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v wrk >/dev/null || missing+=(wrk)
  if ((${#missing[@]})); then
    step "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

install_rust() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! command -v trunk >/dev/null || ! trunk --version | grep -q '^trunk 0\.21\.'; then
    step "cargo install trunk $TRUNK_VERSION (takes 6-10 minutes on 2 cores, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local want
  want="$(wasm_bindgen_version)"
  if [ -z "$want" ]; then
    step "resolving Cargo.lock to learn the wasm-bindgen version"
    cargo generate-lockfile
    want="$(wasm_bindgen_version)"
  fi
  if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q " $want\$"; then
    step "cargo install wasm-bindgen-cli $want (about 4 minutes, once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

install_node() {
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ] \
    || [ ! -d node_modules/playwright-core ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci (wasm-opt from binaryen, esbuild, terser, playwright-core, axe-core, oembed-extractor)"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
  fi
}

# The Python oEmbed consumer of the board page's test (tests/oembed/): micawber in a venv
# under target/ (pinned; skipped when present).
MICAWBER_VERSION="0.8.0"
install_python() {
  local venv=target/pyvenv
  if ! "$venv/bin/python" -c "import micawber; assert micawber.__version__ == '$MICAWBER_VERSION'" 2>/dev/null; then
    step "python venv with micawber $MICAWBER_VERSION"
    if ! python3 -m venv "$venv" 2>/dev/null; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-venv
      python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install -q "micawber==$MICAWBER_VERSION"
  fi
}

what="${1:-all}"
case "$what" in
  system) install_system ;;
  rust) install_rust ;;
  node) install_node ;;
  python) install_python ;;
  all) install_system; install_rust; install_node; install_python ;;
  *) echo "usage: $0 [all|system|rust|node|python]" >&2; exit 2 ;;
esac
