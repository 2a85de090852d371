# Shared by scripts/run and scripts/test: locate the repo, the cargo target dir, and install
# what is missing on a fresh machine (Debian packages as root, npm packages with npm ci).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
GATEWAY_BIN="$CARGO_TARGET_DIR/debug/gongshi-local"

say() { printf '\n==> %s\n' "$*"; }

apt_updated=
apt_install() {
  # Installs Debian packages that are missing (root on these machines; sudo elsewhere).
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  if [ -z "$apt_updated" ]; then $sudo apt-get update -qq; apt_updated=1; fi
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
}

web_install() {
  ensure_node
  say "installing the SPA's npm packages (npm ci)"
  (cd "$ROOT/web" && npm ci --no-audit --no-fund --loglevel=error)
}

web_build() {
  say "building the SPA (web/dist)"
  (cd "$ROOT/web" && npm run --silent build)
}

build_deps() {
  # The application form (functions/application-form) embeds this CJK font at build time.
  apt_install fonts-wqy-microhei
}

build_gateway() {
  build_deps
  say "building the gateway (cargo build -p gongshi-local)"
  (cd "$ROOT" && cargo build -p gongshi-local)
}

TOOLS=${GONGSHI_TOOLS_DIR:-$HOME/.cache/gongshi-tools}

python_tools() {
  # cfn-lint and moto's server (the AWS emulator where no Docker runs), from PyPI, in a
  # virtualenv of their own outside the clone.
  if [ ! -x "$TOOLS/venv/bin/cfn-lint" ] || [ ! -x "$TOOLS/venv/bin/moto_server" ]; then
    python3 -m venv "$TOOLS/venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$TOOLS/venv"; } || return 1
    say "installing cfn-lint and moto[server] from PyPI"
    "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check cfn-lint "moto[server]"
  fi
}
ensure_moto() { python_tools; }

load_tools_env() {
  # Makes scripts/gongshi_load (the load, crash, soak and bench tools and their fixtures)
  # importable: `python3 -m gongshi_load.NAME`. No __pycache__ in the clone.
  export PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1
}

pytest_tools() {
  # pytest and ruff (PyPI) for the load tools' own tests and lint, in a virtualenv of their own.
  if [ ! -x "$TOOLS/pytest/bin/pytest" ] || [ ! -x "$TOOLS/pytest/bin/ruff" ]; then
    python3 -m venv "$TOOLS/pytest" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$TOOLS/pytest"; } || return 1
    say "installing pytest and ruff from PyPI"
    "$TOOLS/pytest/bin/pip" install -q --disable-pip-version-check pytest ruff
  fi
}

sam_cli() {
  # aws-sam-cli (PyPI) in a virtualenv of its own: its pins differ from moto's.
  if [ ! -x "$TOOLS/sam/bin/sam" ]; then
    python3 -m venv "$TOOLS/sam" || return 1
    say "installing aws-sam-cli from PyPI"
    "$TOOLS/sam/bin/pip" install -q --disable-pip-version-check aws-sam-cli
  fi
}

lighthouse_tool() {
  # Lighthouse 12.8 (npm) in the tools directory, driving Debian's chromium.
  ensure_node
  apt_install chromium
  if [ ! -x "$TOOLS/lighthouse/node_modules/.bin/lighthouse" ]; then
    say "installing Lighthouse 12.8 from npm"
    mkdir -p "$TOOLS/lighthouse"
    (cd "$TOOLS/lighthouse" && npm install --no-audit --no-fund --loglevel=error lighthouse@12.8)
  fi
}

wait_for_url() {
  # Waits up to 20 s for a URL on the loopback to answer (2xx).
  (load_tools_env && python3 -m gongshi_load.wait "$1" 20)
}
