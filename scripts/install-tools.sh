#!/usr/bin/env bash
# Installs every tool the demo and the tests need, skipping what is already present,
# so a fresh machine works and a warm one is fast. Safe to run repeatedly.
#
#   scripts/install-tools.sh            # everything
#   scripts/install-tools.sh rust       # only the Rust side (wasm target, trunk, wasm-bindgen)
#   scripts/install-tools.sh node       # only node_modules (wasm-opt, esbuild, playwright-core, axe-core,
#                                       # openapi-typescript)
#   scripts/install-tools.sh system     # only Debian packages (chromium, chromium-driver)
#   scripts/install-tools.sh python     # only the Python tools (Schemathesis, micawber) in a venv
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
  # The venv of the Python tools (install_python).
  python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
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
    || [ ! -d node_modules/playwright-core ] || [ ! -x node_modules/.bin/openapi-typescript ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci (wasm-opt from binaryen, esbuild, terser, playwright-core, axe-core, openapi-typescript, oembed-extractor, open-graph-scraper)"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
  fi
}

# The Python tools of scripts/python-tools.txt, in a virtual environment under target/
# (reinstalled when that list changes).
PYTHON_TOOLS=target/tools/python
install_python() {
  if [ ! -x "$PYTHON_TOOLS/bin/schemathesis" ] \
    || ! cmp -s scripts/python-tools.txt "$PYTHON_TOOLS/installed.txt"; then
    step "pip install -r scripts/python-tools.txt into $PYTHON_TOOLS (about a minute, once)"
    rm -rf "$PYTHON_TOOLS"
    python3 -m venv "$PYTHON_TOOLS"
    "$PYTHON_TOOLS/bin/pip" install --quiet --disable-pip-version-check -r scripts/python-tools.txt
    cp scripts/python-tools.txt "$PYTHON_TOOLS/installed.txt"
  fi
}

# Lighthouse for the benchmark only (not a test dependency: it is large), in its own folder.
# 12.2.x: Lighthouse 13 needs a newer Node than this machine's.
LIGHTHOUSE_VERSION=12.2.3
LIGHTHOUSE_DIR=target/tools/lighthouse
install_lighthouse() {
  if [ ! -x "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" ] \
    || [ "$(cat "$LIGHTHOUSE_DIR/installed.txt" 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
    step "npm install lighthouse@$LIGHTHOUSE_VERSION into $LIGHTHOUSE_DIR (once)"
    rm -rf "$LIGHTHOUSE_DIR" && mkdir -p "$LIGHTHOUSE_DIR"
    npm install --no-audit --no-fund --prefix "$LIGHTHOUSE_DIR" "lighthouse@$LIGHTHOUSE_VERSION"
    echo "$LIGHTHOUSE_VERSION" >"$LIGHTHOUSE_DIR/installed.txt"
  fi
}

what="${1:-all}"
case "$what" in
  system) install_system ;;
  rust) install_rust ;;
  node) install_node ;;
  python) install_python ;;
  lighthouse) install_lighthouse ;;
  all) install_system; install_rust; install_node; install_python ;;
  *) echo "usage: $0 [all|system|rust|node|python|lighthouse]" >&2; exit 2 ;;
esac
