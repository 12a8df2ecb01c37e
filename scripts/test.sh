#!/usr/bin/env bash
# Set up what running and testing need (Poedit, Xvfb, xdotool, Chromium, the test extras and
# a LibreTranslate server in its own venv), then run the test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
echo "setup (test): LibreTranslate in .venv-libretranslate" >&2
bash scripts/setup-libretranslate.sh
exec .venv/bin/python -m pytest "$@"
