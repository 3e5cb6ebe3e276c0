#!/usr/bin/env bash
# Prints the summary of every model file in examples/ with the built CLI (`npm run examples`
# builds first). Extra arguments go to each `tensorlens summary` call, e.g. --json.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ ! -f dist/cli.js ]; then
  echo "examples: dist/cli.js missing; run 'npm run build' first" >&2
  exit 2
fi

status=0
for f in examples/*.py; do
  printf '\n=== %s ===\n' "$f"
  node dist/cli.js summary "$f" "$@" || status=1
done
exit "$status"
