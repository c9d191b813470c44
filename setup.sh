#!/usr/bin/env bash
# Sets up pagesetter on a fresh Debian 12 machine: the CJK font packages (apt-get, as root or
# through sudo) and a virtual environment .venv with pagesetter and its test extras.
set -euo pipefail
cd "$(dirname "$0")"

# fonts; poppler-utils: pdftotext, a fourth text extractor the tests read the page with;
# libgs-common: Ghostscript's CMYK ICC profile, the default PDF/X output intent
PACKAGES=(fonts-noto-cjk fonts-lxgw-wenkai fonts-arphic-gkai00mp fonts-arphic-gbsn00lp
               poppler-utils libgs-common)
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

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# an editable install is not byte-compiled by pip: compile it once, so that every build does not
# (with PYTHONDONTWRITEBYTECODE set, Python would otherwise recompile pagesetter on each run)
.venv/bin/python -m compileall -q src >/dev/null
echo "setup: ready (.venv)"
