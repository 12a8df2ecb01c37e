#!/usr/bin/env bash
# Set up everything, then run the whole pipeline on seeds/ (extra arguments go to `pipeline run`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/pipeline run "$@"
