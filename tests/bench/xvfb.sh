# xvfb.sh - sourced by the benches that run the kiosk on an X server:
# `xvfb_start DIR` starts Xvfb 1080x1920x24 on a free display (its number written to
# DIR/display), exports DISPLAY and sets xvfb_pid, which the caller's EXIT trap kills.
xvfb_start() {
  exec 3> "$1/display"
  Xvfb -displayfd 3 -screen 0 1080x1920x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  exec 3>&-
  for _ in $(seq 100); do [ -s "$1/display" ] && break; sleep 0.05; done
  export DISPLAY=:$(cat "$1/display")
}
