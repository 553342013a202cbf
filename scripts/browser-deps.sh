#!/usr/bin/env bash
# Browser tests need Debian's Chromium and a CJK font (without it Chinese renders as boxes).
set -euo pipefail
# A no-op when both are present; on a fresh Debian machine (as root) it installs them.
need=()
command -v chromium > /dev/null 2>&1 || need+=(chromium)
fc-list 2> /dev/null | grep -qi 'wenquanyi\|wqy' || need+=(fonts-wqy-zenhei)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig
fi
