#!/bin/sh
# Install, from Debian's packages and only when missing, what the test suite runs beside Python:
# - Chromium for the browser tests, and poppler-utils to draw the board pack's pages as pictures.
#   The tests drive this browser through Playwright; no browser is ever downloaded by Playwright.
# - PostgreSQL, whose initdb and pg_ctl (in /usr/lib/postgresql/<version>/bin on Debian, not on
#   PATH) start a throwaway cluster for the tests (tests/servers.py).
# - Java 17, which pyspark needs to start Spark for the tests (tests/servers.py).
set -e
MISSING=""
[ -x /usr/bin/chromium ] || MISSING="$MISSING chromium"
[ -x /usr/bin/pdftoppm ] || MISSING="$MISSING poppler-utils"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || MISSING="$MISSING postgresql"
ls /usr/lib/jvm/java-17-openjdk-*/bin/java >/dev/null 2>&1 || MISSING="$MISSING openjdk-17-jre-headless"
if [ -z "$MISSING" ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
fi
$SUDO apt-get update -qq
# the JRE's installer fails on slim Debian images that lack this folder
$SUDO mkdir -p /usr/share/man/man1
# shellcheck disable=SC2086  # one word per package
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING
