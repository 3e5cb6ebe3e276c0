#!/usr/bin/env bash
# Prepares a Debian 12 machine to build and test TensorLens: the PyTorch oracle
# (python3-torch, python3-torchvision), chromium for browser tests, and the npm packages.
# Idempotent: apt is skipped when torch/torchvision import and chromium exists, and
# `npm ci` is skipped when node_modules already matches package-lock.json.
# Set TENSORLENS_FORCE_SETUP=1 to run every step regardless.
set -euo pipefail

cd "$(dirname "$0")/.."
force="${TENSORLENS_FORCE_SETUP:-0}"

say() { printf 'setup: %s\n' "$*"; }

# --- system packages -------------------------------------------------------------------
apt_packages=(python3-torch python3-torchvision chromium)

have_system_deps() {
  /usr/bin/python3 -c 'import torch, torchvision' >/dev/null 2>&1 &&
    { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; }
}

if [ "$force" != 1 ] && have_system_deps; then
  say "system packages present (python3-torch, python3-torchvision, chromium); skipping apt"
else
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "setup: need root (or sudo) to install ${apt_packages[*]}" >&2
    exit 1
  fi
  say "installing ${apt_packages[*]} with apt-get"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${apt_packages[@]}"
  if ! have_system_deps; then
    echo "setup: apt-get finished but torch/torchvision or chromium is still missing" >&2
    exit 1
  fi
fi

# --- node packages -----------------------------------------------------------------------
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm not found; install Node.js >= 20 first" >&2
  exit 1
fi

# npm keeps a copy of the installed tree in node_modules/.package-lock.json; when it is not
# older than package-lock.json and `npm ls` (which checks against package.json) is clean,
# the tree is current. Editing only the "scripts" of package.json does not force a reinstall.
node_modules_current() {
  [ -f node_modules/.package-lock.json ] &&
    [ ! package-lock.json -nt node_modules/.package-lock.json ] &&
    npm ls --depth=0 >/dev/null 2>&1
}

if [ "$force" != 1 ] && node_modules_current; then
  say "node_modules matches package-lock.json; skipping npm ci"
else
  say "npm ci"
  npm ci
fi
say "done"
