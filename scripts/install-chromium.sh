#!/bin/sh
# Install Debian's Chromium for the browser tests, and poppler-utils to draw the board pack's pages
# as pictures, when they are missing. The tests drive this browser through Playwright; no browser
# is ever downloaded by Playwright itself.
set -e
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/pdftoppm ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils
