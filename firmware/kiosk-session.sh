#!/bin/sh
# kiosk-session - the kiosk on Wayland: cage, the kiosk compositor, runs the kiosk full
# screen with SDL's own wayland driver (its window surface through GLES2; Mesa's
# llvmpipe where the board has no GPU). systemd/kiosk-session.service runs it as user
# kiosk in a logind session on tty7; tests/display/cage.sh runs it on cage's headless
# backend. docs/display.md says what was tested and how.
#   KIOSK_CONFIG     the config (default /etc/hallkiosk/kiosk.ini)
#   KIOSK_CAGE_ARGS  cage's options, e.g. "-r" to turn the output 90 degrees clockwise
#                    (a landscape panel mounted portrait; then leave [display]
#                    rotation at 0: cage turns the picture and the touches)
set -eu
bin=$(dirname "$(readlink -f "$0")")
export SDL_VIDEODRIVER=wayland
# shellcheck disable=SC2086 # KIOSK_CAGE_ARGS is a list of options
exec cage ${KIOSK_CAGE_ARGS:-} -- "$bin/kiosk" --config "${KIOSK_CONFIG:-/etc/hallkiosk/kiosk.ini}" --fullscreen
