#!/usr/bin/env bash
# A keyworker's tour of the real window, for review: Xvfb + openbox at 1366x768, driven with
# xdotool keys, a screenshot after each step (main window, search, a parent's workspace and its
# sections, every dialog reachable from the keyboard).
# Usage (from the worktree root): tools/screenshot_tour.sh OUT_FOLDER [SCALE]   (SCALE: 1 or 2)
# Needs: xvfb openbox xdotool imagemagick (import).
set -u
out=${1:?usage: screenshot_tour.sh OUT_FOLDER [SCALE]}; scale=${2:-1}
mkdir -p "$out"
here=$(cd "$(dirname "$0")/.." && pwd)
app="$here/.venv/bin/journeyapp"
disp=:$(( 300 + RANDOM % 300 ))
state=$(mktemp -d)
Xvfb "$disp" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 & xpid=$!
trap 'kill ${apid:-} ${wmpid:-} $xpid 2>/dev/null; rm -rf "$state"' EXIT
sleep 1
DISPLAY=$disp openbox >/dev/null 2>&1 & wmpid=$!
sleep 1
# Its own state and data folders: the remembered window size starts fresh.
DISPLAY=$disp QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=$scale XDG_STATE_HOME=$state \
  XDG_DATA_HOME=$state/data "$app" --demo >"$state/log" 2>&1 & apid=$!
for _ in $(seq 1 60); do
  DISPLAY=$disp xdotool search --name "JourneyApp" >/dev/null 2>&1 && break; sleep 1
done
sleep 3
n=0
shot() { n=$((n + 1)); DISPLAY=$disp import -window root "$out/$(printf %02d $n)-$1.png"; }
key() { DISPLAY=$disp xdotool key --clearmodifiers --delay 80 "$@"; sleep 1.2; }
type_() { DISPLAY=$disp xdotool type --delay 60 "$1"; sleep 1.2; }
dialog() { # NAME KEYS...: open a dialog, screenshot it, close it with Escape
  local name=$1; shift; key "$@"; sleep 1; shot "$name"; key Escape; sleep 0.5
}

shot main
key ctrl+f; type_ "budget"; shot search-everything
key ctrl+a BackSpace; type_ "a"; key Return; shot workspace
for section in 2 3 4 5 6 7 8 9 10; do key ctrl+Next; shot "section-$section"; done
key ctrl+Next  # round to About again
dialog enrol ctrl+n
dialog log-contact ctrl+l
dialog print-plan ctrl+p
dialog group-sessions ctrl+g
dialog shortcuts F1
dialog take-a-break alt+p b
dialog erase alt+p e
dialog batch-plans alt+p c
dialog settings alt+f t
dialog change-passphrase alt+f s p
dialog lock-after alt+f s a
dialog retention alt+f s c
dialog export alt+r e
dialog import alt+r i
dialog send-log alt+r s
dialog merge-log alt+r m
dialog decisions alt+r d
dialog report alt+r r
dialog about alt+h a
dialog open-caseload ctrl+o
dialog restore alt+f r
key F6; shot back-to-list
echo "$n screenshots in $out"
