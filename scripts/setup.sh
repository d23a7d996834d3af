#!/usr/bin/env bash
# Idempotent setup for Keyway's test harness and demo.
# Brings in, when missing:
#   - apt packages chromium, libkrb5-dev, ripgrep (when apt is available and we are root)
#   - code-server 4.100.3 into .cache/code-server (the real VS Code 1.100.3 server)
#   - a Python virtualenv with moto[server] into .cache/moto-venv
#   - with --only peers (never by default): the secret scanners `npm run bench:secrets` compares Keyway with,
#     gitleaks (built from the Go module proxy) into .cache/peers/bin and detect-secrets into .cache/peers/venv
# Usage: scripts/setup.sh [--only apt|code-server|moto|peers]...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${KEYWAY_CACHE:-$ROOT/.cache}"
CODE_SERVER_VERSION="4.100.3"
MOTO_SPEC="moto[server]==5.2.5"
GITLEAKS_VERSION="v8.30.1"
DETECT_SECRETS_SPEC="detect-secrets==1.5.0"
mkdir -p "$CACHE"

only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only+=("$2"); shift 2 ;;
    *) echo "setup: unknown argument $1" >&2; exit 2 ;;
  esac
done
want() { [ ${#only[@]} -eq 0 ] && return 0; for o in "${only[@]}"; do [ "$o" = "$1" ] && return 0; done; return 1; }
say() { printf '[setup] %s\n' "$*" >&2; }

setup_apt() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
  if ! { dpkg -s libkrb5-dev >/dev/null 2>&1; } ; then missing+=(libkrb5-dev); fi
  if [ ${#missing[@]} -eq 0 ]; then say "apt packages present"; return 0; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "MISSING: ${missing[*]} and no apt-get here. Install them with your package manager (chromium is only needed for the editor/ui tests)."
    return 1
  fi
  if [ "$(id -u)" != 0 ]; then
    say "MISSING: ${missing[*]}. Run as root: apt-get update && apt-get install -y ${missing[*]}"
    return 1
  fi
  say "installing apt packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

setup_code_server() {
  local dir="$CACHE/code-server"
  local vs="$dir/node_modules/code-server/lib/vscode"
  if [ -f "$dir/.keyway-ready-$CODE_SERVER_VERSION" ]; then say "code-server $CODE_SERVER_VERSION ready"; return 0; fi
  say "installing code-server $CODE_SERVER_VERSION into $dir (one time, a few minutes)"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"keyway-code-server-cache","private":true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-save --ignore-scripts --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >/dev/null)
  (cd "$vs" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
  (cd "$vs" && npm rebuild @parcel/watcher @vscode/spdlog kerberos native-watchdog @vscode/deviceid >/dev/null)
  (cd "$vs" && npm_config_yes=true npm rebuild node-pty >/dev/null)
  if command -v rg >/dev/null 2>&1; then
    mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
    ln -sf "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
  else
    say "WARNING: ripgrep (rg) not found; workbench search will not work"
  fi
  [ -e "$vs/node_modules.asar" ] || ln -s node_modules "$vs/node_modules.asar"
  (cd "$vs/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
  (cd "$dir" && npm rebuild argon2 >/dev/null)
  touch "$dir/.keyway-ready-$CODE_SERVER_VERSION"
  say "code-server ready"
}

setup_moto() {
  local venv="$CACHE/moto-venv"
  if [ -x "$venv/bin/moto_server" ] && [ -f "$venv/.keyway-ready" ]; then say "moto ready"; return 0; fi
  command -v python3 >/dev/null 2>&1 || { say "MISSING: python3 (needed for the AWS emulator)"; return 1; }
  say "creating moto virtualenv in $venv (one time)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "$MOTO_SPEC"
  touch "$venv/.keyway-ready"
  say "moto ready"
}

setup_peers() {
  local dir="$CACHE/peers"
  mkdir -p "$dir/bin"
  if [ -x "$dir/bin/gitleaks" ] && [ -f "$dir/.gitleaks-$GITLEAKS_VERSION" ]; then
    say "gitleaks $GITLEAKS_VERSION ready"
  else
    command -v go >/dev/null 2>&1 || { say "MISSING: go (needed to build gitleaks for bench:secrets)"; return 1; }
    say "building gitleaks $GITLEAKS_VERSION from the Go module proxy into $dir/bin (one time)"
    GOBIN="$dir/bin" GOFLAGS=-buildvcs=false go install "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION"
    rm -f "$dir"/.gitleaks-*; touch "$dir/.gitleaks-$GITLEAKS_VERSION"
  fi
  local venv="$dir/venv"
  if [ -x "$venv/bin/detect-secrets" ] && [ -f "$venv/.ready-$DETECT_SECRETS_SPEC" ]; then
    say "$DETECT_SECRETS_SPEC ready"
  else
    command -v python3 >/dev/null 2>&1 || { say "MISSING: python3 (needed for detect-secrets)"; return 1; }
    say "installing $DETECT_SECRETS_SPEC into $venv (one time)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "$DETECT_SECRETS_SPEC"
    rm -f "$venv"/.ready-*; touch "$venv/.ready-$DETECT_SECRETS_SPEC"
  fi
}

rc=0
want apt && { setup_apt || rc=1; }
want moto && { setup_moto || rc=1; }
want code-server && { setup_code_server || rc=1; }
# peers only when asked for by name (bench:secrets does): npm test never needs them
for o in "${only[@]:-}"; do [ "$o" = peers ] && { setup_peers || rc=1; }; done
exit $rc
