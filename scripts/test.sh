#!/usr/bin/env bash
# Set up what running and testing need (Poedit, Xvfb, xdotool, Chromium, the test extras, a
# LibreTranslate server in its own venv, and Ace, axe-core and Calibre for the reader tests),
# then run the test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
echo "setup (test): LibreTranslate in .venv-libretranslate" >&2
bash scripts/setup-libretranslate.sh
echo "setup (test): the reading systems' checkers (Ace, axe-core, Calibre)" >&2
bash scripts/setup-readers.sh
exec .venv/bin/python -m pytest "$@"
