#!/usr/bin/env bash
# Set up everything, then run the test suite (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-libretranslate.sh
exec .venv/bin/python -m pytest "$@"
