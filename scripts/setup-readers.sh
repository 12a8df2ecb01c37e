#!/usr/bin/env bash
# The reading systems' and checkers' own tools, for the slow tests in tests/test_readers.py:
#   Ace by DAISY (@daisy/ace-cli) and axe-core (@axe-core/cli) from npm, into .readers/
#   (project-local, gitignored), driving Debian's chromium; Debian's chromium-driver of
#   the same version as chromium, for axe; Debian's calibre for ebook-meta/ebook-convert.
# Idempotent; nothing here is needed to run the pipeline itself.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium chromium-driver calibre)
# Node from anywhere (Debian's, or NodeSource's nodejs that carries its own npm).
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ((${#missing[@]})); then
  echo "setup-readers: installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
# axe drives chromium through chromedriver: both must be the same version.
browser=$(dpkg-query -W -f='${Version}' chromium)
driver=$(dpkg-query -W -f='${Version}' chromium-driver)
if [ "$browser" != "$driver" ]; then
  echo "setup-readers: chromium $browser but chromium-driver $driver; installing chromium-driver=$browser" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    "chromium-driver=$browser" >&2
fi

# scripts/readers/ holds the package.json and package-lock.json the suite was last green with:
# @daisy/ace-cli 1.4.6, @axe-core/cli 4.13.0, axe-core 4.14.1 and what they pulled in; npm ci
# installs exactly those (regenerate: npm install the three packages at their versions in an
# empty folder, and copy its two files here).
lock=$(cat scripts/readers/package.json scripts/readers/package-lock.json | sha256sum | cut -c1-12)
stamp=".readers/.installed-$lock"
if [ ! -f "$stamp" ]; then
  rm -rf .readers
  mkdir -p .readers
  cp scripts/readers/package.json scripts/readers/package-lock.json .readers/
  # Debian's chromium and chromedriver: no downloaded Chrome or driver, no Electron
  # (@daisy/ace would pull it in).
  if ! (cd .readers && PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 CHROMEDRIVER_SKIP_DOWNLOAD=true \
        npm ci --no-audit --no-fund --loglevel=error) \
       > .readers/install.log 2>&1; then
    cat .readers/install.log >&2
    exit 1
  fi
  touch "$stamp"
fi
