#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for the workbench browser test (WorkbenchPageTest).
# Idempotent: does nothing when both /usr/bin/chromium and /usr/bin/chromedriver are present.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  echo "chromium and chromedriver already installed"
  exit 0
fi
SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver
/usr/bin/chromium --version
/usr/bin/chromedriver --version
