#!/usr/bin/env bash
# Installs (once, cached) code-server 4.100.3 + playwright-core + mocha for the offline e2e
# suites, outside the repository: $TENSORLENS_E2E_CACHE (default ~/.cache/tensorlens-e2e).
# Only the npm registry and Debian packages are needed; see /work/shared/docs/e2e.md.
set -euo pipefail
CS_VERSION=4.100.3
PW_VERSION=1.65.1
MOCHA_VERSION=11.7.5
E2E=${TENSORLENS_E2E_CACHE:-$HOME/.cache/tensorlens-e2e}
STAMP="$E2E/.installed-$CS_VERSION-$PW_VERSION-$MOCHA_VERSION"
if [ -f "$STAMP" ] && [ -x "$E2E/node_modules/.bin/code-server" ]; then
  echo "[e2e-setup] cached: $E2E"
  exit 0
fi
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -f /usr/include/krb5/krb5.h ] || [ -f /usr/include/krb5.h ] || missing+=(libkrb5-dev)
command -v make >/dev/null && command -v g++ >/dev/null || missing+=(build-essential)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && [ "${SKIP_APT:-0}" != 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" python3 pkg-config ca-certificates fonts-dejavu-core
  else
    echo "[e2e-setup] missing Debian packages: ${missing[*]} (apt-get install them as root)" >&2
    exit 1
  fi
fi
# node-gyp must not download headers: point it at the local ones (nodesource deb: /usr/include/node).
NODEDIR=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
test -f "$NODEDIR/include/node/node_version.h" || { echo "[e2e-setup] no node headers under $NODEDIR/include/node" >&2; exit 1; }
mkdir -p "$E2E/tmp/vscode-ripgrep-cache-1.15.11"
# @vscode/ripgrep's postinstall downloads from GitHub unless this cache file exists; Debian's rg is the same 13.0.0.
tar czf "$E2E/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
cd "$E2E"
[ -f package.json ] || echo '{"name":"tensorlens-e2e-host","private":true}' > package.json
echo "[e2e-setup] installing code-server@$CS_VERSION playwright-core@$PW_VERSION mocha@$MOCHA_VERSION into $E2E (1-2 min)"
TMPDIR="$E2E/tmp" npm_config_unsafe_perm=true npm_config_nodedir="$NODEDIR" npm_config_yes=true \
  npm install --no-audit --no-fund --foreground-scripts --loglevel=error \
  "code-server@$CS_VERSION" "playwright-core@$PW_VERSION" "mocha@$MOCHA_VERSION"
"$E2E/node_modules/.bin/code-server" --version --config "$E2E/tmp/cs-version.yaml"
touch "$STAMP"
