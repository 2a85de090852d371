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

build_gateway() {
  say "building the gateway (cargo build -p gongshi-local)"
  (cd "$ROOT" && cargo build -p gongshi-local)
}
