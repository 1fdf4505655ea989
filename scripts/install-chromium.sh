#!/usr/bin/env bash
# Installs the headless browser the status page's browser test drives: Debian's chromium and its chromedriver.
# Run as root (or with sudo), once.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  echo "chromium and chromedriver already installed"
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
chromium --version
