#!/usr/bin/env bash
# The product's own words: extract the messages of pipeline/labels.py into pipeline/locale/pipeline.pot
# with Babel, then merge every shipped catalog (pipeline/locale/<lang>/LC_MESSAGES/pipeline.po) with it.
# Run after changing a message; translate the new entries in Poedit; tests/test_labels.py checks the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract --no-location --sort-output --project=pipeline \
    --version="$(.venv/bin/python -c 'import pipeline; print(pipeline.__version__)')" --copyright-holder="the pipeline authors" -k NP_:1c,2 --no-default-keywords \
    -o pipeline/locale/pipeline.pot pipeline/labels.py
shopt -s nullglob
for po in pipeline/locale/*/LC_MESSAGES/pipeline.po; do
    lang=$(basename "$(dirname "$(dirname "$po")")")
    .venv/bin/pybabel update --no-fuzzy-matching -l "$lang" -D pipeline -d pipeline/locale \
        -i pipeline/locale/pipeline.pot
done
