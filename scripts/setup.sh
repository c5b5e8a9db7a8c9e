#!/usr/bin/env bash
# Install everything egov-kg needs on a fresh Debian/Ubuntu machine, idempotently,
# into a project virtual environment (.venv): stock system Pythons refuse
# `pip install` outside one (PEP 668, "externally managed").
#   scripts/setup.sh          -> .venv with the package (runtime deps), Java for HermiT
#   scripts/setup.sh --test   -> plus test deps, Virtuoso, Chromium
# Afterwards: `. .venv/bin/activate` puts `egovkg` on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
apt_pkgs=()
command -v java >/dev/null 2>&1 || apt_pkgs+=(default-jre-headless)
# A stock Debian Python has no venv module until python3-venv is installed.
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || apt_pkgs+=(python3-venv)
if [ "$want_test" = 1 ]; then
  command -v virtuoso-t >/dev/null 2>&1 || apt_pkgs+=(virtuoso-opensource)
  [ -x /usr/bin/chromium ] || apt_pkgs+=(chromium)
fi
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # Virtuoso's package asks for a dba password; preseed an empty one so the
  # install never prompts. egovkg sets the real password from the environment
  # (EGOVKG_VIRTUOSO_PASSWORD) in the database it creates under .egovkg/.
  echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password " | $SUDO debconf-set-selections 2>/dev/null || true
  echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password " | $SUDO debconf-set-selections 2>/dev/null || true
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
extra="."
[ "$want_test" = 1 ] && extra=".[test]"
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$extra"
