#!/usr/bin/env bash
# Set-up, idempotent: the Debian packages that are missing, then .venv with the project.
#   bash scripts/setup.sh        what running the pipeline needs (scripts/run.sh)
#   bash scripts/setup.sh test   that, plus what the test suite needs (scripts/test.sh)
# Every step says what it does on stderr; nothing is installed twice.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
case "$mode" in
  run|test) ;;
  *) echo "usage: bash scripts/setup.sh [run|test]" >&2; exit 2 ;;
esac

# Running: catalogs (gettext), drafts (apertium and its pairs), EPUBCheck (Java).
RUN_PACKAGES=(gettext libunistring2 apertium apertium-eng-spa apertium-es-pt apertium-fr-es
              epubcheck default-jre-headless)
# Testing also drives Poedit under Xvfb, checks the web edition in Chromium and compares
# books with Pandoc's; the JDK compiles the one-JVM EPUBCheck helper of the tests.
TEST_PACKAGES=(poedit xvfb xdotool chromium pandoc default-jdk-headless)

say() { echo "setup ($mode): $*" >&2; }

packages=("${RUN_PACKAGES[@]}")
[ "$mode" = test ] && packages+=("${TEST_PACKAGES[@]}")
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "[1/3] Debian packages: installing ${missing[*]} (a few minutes on a fresh machine)"
  $sudo apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2
else
  say "[1/3] Debian packages: all ${#packages[@]} present"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "[2/3] creating .venv with $python"
  "$python" -m venv .venv
fi
# torch comes in through argostranslate -> stanza; the CPU build first keeps pip from
# fetching gigabytes of CUDA packages.
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  say "[2/3] installing torch 2.13.0 (CPU build, about 200 MB)"
  .venv/bin/pip install --disable-pip-version-check --progress-bar on -c scripts/constraints.txt "torch==2.13.0" >&2
else
  say "[2/3] torch present"
fi

# Versions come from scripts/constraints.txt: what the suite was last green with.
hash=$(cat pyproject.toml scripts/constraints.txt | sha256sum | cut -c1-16)
test_stamp=".venv/.installed-$hash"      # the project with its test extras
run_stamp=".venv/.installed-run-$hash"   # the project alone
if [ "$mode" = test ] && [ ! -f "$test_stamp" ]; then
  say "[3/3] installing the project with its test extras into .venv"
  .venv/bin/pip install --disable-pip-version-check --progress-bar on -c scripts/constraints.txt -e ".[test]" >&2
  rm -f .venv/.installed-*
  touch "$test_stamp" "$run_stamp"
elif [ "$mode" = run ] && [ ! -f "$run_stamp" ] && [ ! -f "$test_stamp" ]; then
  say "[3/3] installing the project into .venv"
  .venv/bin/pip install --disable-pip-version-check --progress-bar on -c scripts/constraints.txt -e . >&2
  rm -f .venv/.installed-run-*
  touch "$run_stamp"
else
  say "[3/3] the project is installed in .venv"
fi
say "done"
