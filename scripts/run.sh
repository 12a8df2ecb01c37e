#!/usr/bin/env bash
# Set up everything, then run the whole pipeline on seeds/: catalogs, drafts, every book as a
# folder and an .epub, and the web edition (extra arguments go to `pipeline run`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/pipeline run --epub --web "$@"
