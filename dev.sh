#!/usr/bin/env bash
# One entry point for a fresh machine: installs what is missing, then runs the task.
#   ./dev.sh start   site + admin locally (live reload, drafts visible, no login, no network)
#   ./dev.sh test    type-check and every test (unit, build with a real nginx, browser in real Chromium)
#   ./dev.sh build   the production site in _site/
set -euo pipefail
cd "$(dirname "$0")"

ensure_node() {
  # Node.js 24 LTS: eleventy-img 7, linkinator 8 and vitest 5 need >= 22; we run .ts directly.
  if node -e 'process.exit(+process.versions.node.split(".")[0] >= 24 ? 0 : 1)' 2>/dev/null; then return; fi
  local dir="$PWD/.tools/node24"
  if [ ! -x "$dir/node_modules/.bin/node" ]; then
    echo "Node.js 24 をインストールしています / installing Node.js 24 into .tools/ ..."
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error node@24 >/dev/null
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

ensure_packages() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

ensure_chromium() {
  # Browser tests drive the system Chromium (no downloaded browsers); CHROME_PATH overrides.
  if [ -n "${CHROME_PATH:-}" ] && [ -x "$CHROME_PATH" ]; then return; fi
  if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then return; fi
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Chromium と日本語フォントをインストールしています / installing chromium and fonts-noto-cjk ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n fonts-noto-cjk >/dev/null
  elif [ ! -x /usr/bin/chromium ]; then
    echo "Chromium が見つかりません。CHROME_PATH に Chrome/Chromium のパスを設定してください / set CHROME_PATH" >&2
    exit 1
  fi
}

ensure_nginx() {
  # The hosting test runs Debian's nginx (with the brotli filter module) against the generated config.
  if [ -x /usr/sbin/nginx ] && [ -f /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ]; then return; fi
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "nginx をインストールしています / installing nginx and libnginx-mod-http-brotli-filter ..."
    apt-get update -qq
    # Only the binary is needed: keep the package's service from starting on port 80
    # (a policy-rc.d of our own, removed again; an existing one, as in containers, is left alone).
    local policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy"
    fi
    local rc=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-http-brotli-filter >/dev/null || rc=$?
    [ -z "$policy" ] || rm -f "$policy"
    [ "$rc" = 0 ] || exit "$rc"
  else
    echo "nginx が見つかりません。nginx と libnginx-mod-http-brotli-filter をインストールしてください / install nginx and libnginx-mod-http-brotli-filter" >&2
    exit 1
  fi
}

task="${1:-start}"
ensure_node
ensure_packages
case "$task" in
  start) exec npm start ;;
  test) ensure_chromium; ensure_nginx; exec npm test ;;
  build) exec npm run build ;;
  *) echo "usage: ./dev.sh start|test|build" >&2; exit 2 ;;
esac
