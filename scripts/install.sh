#!/usr/bin/env bash
# Everything the project and its tests need, on a fresh machine (the README's install command runs this):
# Debian's chromium and a CJK font for the browser tests (apt-get, only when missing; as root, or
# through sudo), then the package and its development tools in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
for pkg in chromium fonts-wqy-microhei; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if ! command -v apt-get >/dev/null; then
    echo "install.sh: please install$missing (chromium and a CJK font, for the browser tests)" >&2
    exit 1
  fi
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install.sh: installing$missing with apt-get" >&2
  $sudo apt-get update -q >&2
  # shellcheck disable=SC2086  # the package names are meant to split
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
fi

python3 -m venv .venv
.venv/bin/pip install -q -e '.[dev]' >&2
