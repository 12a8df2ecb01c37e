#!/usr/bin/env bash
# A LibreTranslate server in its own virtual environment (.venv-libretranslate).
# LibreTranslate pins its own argostranslate fork, so it never shares the
# product's environment.  Used by the test suite and the benchmark; publishers
# run their servers wherever they like.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.9.6
python=${PYTHON:-python3}
pins=$(sha256sum scripts/constraints-libretranslate.txt | cut -c1-12)
stamp=".venv-libretranslate/.installed-$VERSION-$pins"
if [ ! -f "$stamp" ]; then
  rm -rf .venv-libretranslate
  "$python" -m venv .venv-libretranslate
  if ! .venv-libretranslate/bin/pip install -q --disable-pip-version-check \
       -c scripts/constraints-libretranslate.txt "libretranslate==$VERSION" \
       > .venv-libretranslate/install.log 2>&1; then
    cat .venv-libretranslate/install.log >&2
    exit 1
  fi
  touch "$stamp"
fi
