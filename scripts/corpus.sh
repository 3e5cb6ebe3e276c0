#!/usr/bin/env bash
# Scores the built CLI against the shared ground-truth corpus (../shared/tools/corpus-check),
# once per framework in TENSORLENS_CORPUS_FRAMEWORKS (default: "pytorch keras").
# Skips, successfully, when the tool is not there.
# Run from anywhere after `npm run build`. Extra arguments go to every corpus-check call.
set -euo pipefail

cd "$(dirname "$0")/.."
tool="../shared/tools/corpus-check"
frameworks="${TENSORLENS_CORPUS_FRAMEWORKS:-pytorch keras}"

# Bars: --min-exact (share of models exact with the input given) and --min-layers (share of
# layers right). Give a framework its own bars with a case line, e.g.
#   keras) echo "--min-exact 0.9 --min-layers 0.95" ;;
default_bars="--min-exact 1 --min-layers 0.99"
bars_for() {
  case "$1" in
    *) echo "$default_bars" ;;
  esac
}

if [ ! -e "$tool" ]; then
  echo "corpus: $tool not found; skipped"
  exit 0
fi
if [ ! -f dist/cli.js ]; then
  echo "corpus: dist/cli.js missing; run 'npm run build' first" >&2
  exit 2
fi

status=0
for fw in $frameworks; do
  echo "corpus: $fw"
  # shellcheck disable=SC2046  # bars are deliberately word-split into flags
  node "$tool" --framework "$fw" $(bars_for "$fw") "$@" || status=1
done
exit "$status"
