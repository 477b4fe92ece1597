#!/bin/sh
# Installs the Debian/Ubuntu system libraries Qt needs (and the tools the tests use, faketime
# among them: the suite must pass at any date), if missing.
# Safe to run again: it does nothing when everything is already there.
set -eu
PKGS="libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0
libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 fonts-dejavu-core
poppler-utils sqlite3 xvfb xauth x11-utils desktop-file-utils faketime"
command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian-like system; install Qt's libraries yourself (see packaging/README.md)"; exit 0; }
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "system-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
