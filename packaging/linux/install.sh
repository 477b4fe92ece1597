#!/bin/sh
# Install or remove JourneyApp from this unpacked tarball.
#
#   ./install.sh                  for you only: ~/.local/opt/journeyapp, menu entry, icons
#   sudo ./install.sh --system    for everyone: /opt/journeyapp, /usr/share/applications, icons
#   ./install.sh --uninstall      remove it again (add --system for a system-wide install)
#   --destdir DIR                 stage the files under DIR (for packagers; paths inside stay final)
#
# Caseloads are never touched: they live in each person's data folder (shown by
# `journeyapp --help` and in Help > About) and stay there after an uninstall.
set -eu

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

scope=user
action=install
destdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --system) scope=system ;;
    --user) scope=user ;;
    --uninstall) action=uninstall ;;
    --destdir)
      [ $# -ge 2 ] || { echo "install: --destdir needs a folder" >&2; exit 2; }
      destdir="$2"
      shift
      ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$scope" = system ]; then
  app=/opt/journeyapp
  share=/usr/share
  bin=/usr/local/bin
else
  home="${HOME:?install: HOME is not set}"
  app="$home/.local/opt/journeyapp"
  share="${XDG_DATA_HOME:-$home/.local/share}"
  bin="$home/.local/bin"
fi
sizes="16 24 32 48 64 128 256 512"
here=$(cd "$(dirname "$0")" && pwd)

refresh_caches() {
  # Menus and icon themes pick the change up without a new login where these tools exist.
  [ -n "$destdir" ] && return 0
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$share/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$share/icons/hicolor" 2>/dev/null || true
  fi
}

remove_app_folder() {
  # Only ever delete a folder that is recognisably a JourneyApp bundle.
  target="$1"
  if [ -d "$target" ]; then
    if [ -x "$target/journeyapp" ] && [ -d "$target/_internal" ]; then
      rm -rf "$target"
    else
      echo "install: $target does not look like a JourneyApp folder; left alone" >&2
      exit 1
    fi
  fi
}

if [ "$action" = uninstall ]; then
  remove_app_folder "$destdir$app"
  rm -f "$destdir$share/applications/journeyapp.desktop"
  rm -f "$destdir$share/icons/hicolor/scalable/apps/journeyapp.svg"
  for size in $sizes; do
    rm -f "$destdir$share/icons/hicolor/${size}x${size}/apps/journeyapp.png"
  done
  if [ -L "$destdir$bin/journeyapp" ]; then
    rm -f "$destdir$bin/journeyapp"
  fi
  refresh_caches
  echo "JourneyApp removed from $app. Caseloads in your data folder were not touched."
  exit 0
fi

[ -x "$here/journeyapp/journeyapp" ] || {
  echo "install: run this from the unpacked JourneyApp folder (journeyapp/journeyapp is missing)" >&2
  exit 1
}

# Copy beside the old version, then swap, so a failed copy never leaves half an app.
mkdir -p "$(dirname "$destdir$app")"
rm -rf "$destdir$app.new"
cp -R "$here/journeyapp" "$destdir$app.new"
remove_app_folder "$destdir$app"
mv "$destdir$app.new" "$destdir$app"

mkdir -p "$destdir$share/applications" "$destdir$share/icons/hicolor/scalable/apps" "$destdir$bin"
sed -e "s|^Exec=.*|Exec=$app/journeyapp|" -e "s|^TryExec=.*|TryExec=$app/journeyapp|" \
  "$here/share/applications/journeyapp.desktop" > "$destdir$share/applications/journeyapp.desktop"
chmod 644 "$destdir$share/applications/journeyapp.desktop"
cp "$here/share/icons/hicolor/scalable/apps/journeyapp.svg" \
  "$destdir$share/icons/hicolor/scalable/apps/journeyapp.svg"
for size in $sizes; do
  mkdir -p "$destdir$share/icons/hicolor/${size}x${size}/apps"
  cp "$here/share/icons/hicolor/${size}x${size}/apps/journeyapp.png" \
    "$destdir$share/icons/hicolor/${size}x${size}/apps/journeyapp.png"
done
# The command line: `journeyapp check`, `journeyapp --help` and the rest from a terminal.
if [ ! -e "$destdir$bin/journeyapp" ] || [ -L "$destdir$bin/journeyapp" ]; then
  ln -sf "$app/journeyapp" "$destdir$bin/journeyapp"
fi
refresh_caches

echo "JourneyApp installed in $app (menu: Office > JourneyApp; command: $bin/journeyapp)."
echo "Remove it with: $0 --uninstall$([ "$scope" = system ] && echo ' --system')"
