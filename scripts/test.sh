#!/usr/bin/env bash
# Set up what running and testing need (Poedit, Xvfb, xdotool, Chromium, the test extras, a
# LibreTranslate server in its own venv, and Ace, axe-core and Calibre for the reader tests),
# then run the test suite (extra arguments go to pytest): in two pytest-xdist workers, the tests
# that share an expensive fixture together and the longest first (tests/conftest.py), unless the
# arguments choose (-n 0 runs in this process; -n 4 in four workers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
echo "setup (test): LibreTranslate in .venv-libretranslate" >&2
bash scripts/setup-libretranslate.sh
echo "setup (test): the reading systems' checkers (Ace, axe-core, Calibre)" >&2
bash scripts/setup-readers.sh
workers=(-n 2) placement=(--dist loadgroup)
for arg in "$@"; do
  case "$arg" in
    -n | -n[0-9]* | --numprocesses*) workers=() ;;  # their count, our placement
    no:xdist) workers=() placement=() ;;
  esac
done
exec .venv/bin/python -m pytest ${workers[@]+"${workers[@]}"} ${placement[@]+"${placement[@]}"} "$@"
