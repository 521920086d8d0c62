#!/usr/bin/env bash
# search_layout_2k.sh BUILD_DIR - test_search_layout on 2,000 service guides + 2,000
# documents (tests/bench/gen_content.py), compiled by this build's kiosk-bundle.
set -euo pipefail
build=$(realpath "$1")
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/search_layout_2k.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 tests/bench/gen_content.py "$tmp/src" --services 2000 --docs 2000 >/dev/null
"$build/kiosk-bundle" build "$tmp/src" -o "$tmp/content.db" >/dev/null
TMPDIR=$tmp "$build/test_search_layout" "$tmp/content.db"
