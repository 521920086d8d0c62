#!/usr/bin/env bash
# Sets up, builds, and runs the kiosk on the built-in demo content. With no display,
# the kiosk says so and writes its tour (screenshots of every screen) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec build/kiosk "$@"
