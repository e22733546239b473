#!/usr/bin/env bash
# Installs what the editor tests need on a fresh machine, offline except for the npm registry and Debian:
# Chromium, ripgrep and Neovim from Debian, and code-server (a real VS Code) from npm into a cache
# folder outside the repository. Idempotent: a working install is left alone.
#
#   PGLENS_E2E_CACHE   where code-server goes (default: ~/.cache/pglens-e2e)
#
# Prints the code-server folder (the one holding out/node/entry.js) as its last line.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
pinned="$here/code-server"
cache="${PGLENS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pglens-e2e}"
install_dir="$cache/code-server-4.100.3"
code_server="$install_dir/node_modules/code-server"
vscode="$code_server/lib/vscode"

log() { echo "setup-code-server: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; exit 1
  fi
}

# --- Debian packages -------------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
command -v nvim >/dev/null || missing+=(neovim)
# Native modules (argon2, spdlog, native-watchdog) are compiled against Node's headers.
command -v g++ >/dev/null && command -v make >/dev/null || missing+=(build-essential)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

# node-gyp downloads Node's headers unless told where they are; Debian/NodeSource ship them in /usr.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi

# --- code-server -------------------------------------------------------------------------------------
stamp="$install_dir/.pglens-ready"
want="$(cat "$pinned/package-lock.json" "$0" | sha256sum | cut -d' ' -f1)"

works() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
    [ -f "$vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ] &&
    [ -x "$vscode/node_modules/@vscode/ripgrep/bin/rg" ] &&
    node "$code_server/out/node/entry.js" --version >/dev/null 2>&1
}

if works; then
  log "code-server 4.100.3 is installed in $install_dir"
  echo "$code_server"
  exit 0
fi

log "installing code-server 4.100.3 into $install_dir"
rm -rf "$install_dir"
mkdir -p "$install_dir"
cp "$pinned/package.json" "$pinned/package-lock.json" "$install_dir/"
npm_quiet=(--no-audit --no-fund --loglevel=error)
(
  cd "$install_dir"
  # code-server's own postinstall would fetch VS Code's dependencies with dev tools; the steps below do
  # the part a server needs. argon2 is approved in package.json's allowScripts, so rebuild compiles it.
  npm ci --ignore-scripts "${npm_quiet[@]}"
  npm rebuild argon2 "${npm_quiet[@]}"
)
(
  cd "$vscode"
  npm install --omit=dev --ignore-scripts "${npm_quiet[@]}"
  # VS Code's server loads its modules from node_modules.asar in a packaged build.
  ln -sfn node_modules node_modules.asar
  npm install-scripts approve @vscode/spdlog native-watchdog >/dev/null
  npm rebuild @vscode/spdlog native-watchdog "${npm_quiet[@]}"
  # @vscode/ripgrep's postinstall downloads a binary from GitHub; Debian's rg does the same job.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  cd extensions
  npm install --omit=dev --ignore-scripts "${npm_quiet[@]}"
)
echo "$want" >"$stamp"
works || { log "code-server does not start after installing; see the output above"; exit 1; }
log "code-server 4.100.3 is ready"
echo "$code_server"
