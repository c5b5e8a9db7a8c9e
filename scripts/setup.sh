#!/usr/bin/env bash
# Install everything egov-kg needs on a fresh Debian machine, idempotently.
#   scripts/setup.sh          -> Python package (runtime deps)
#   scripts/setup.sh --test   -> plus test deps, Virtuoso, Chromium, Java
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_pkgs=()
command -v java >/dev/null 2>&1 || apt_pkgs+=(default-jre-headless)
if [ "$want_test" = 1 ]; then
  command -v virtuoso-t >/dev/null 2>&1 || apt_pkgs+=(virtuoso-opensource)
  [ -x /usr/bin/chromium ] || apt_pkgs+=(chromium)
fi
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Virtuoso's package asks for a dba password; preseed an empty one so the
  # install never prompts. egovkg sets the real password from the environment
  # (EGOVKG_VIRTUOSO_PASSWORD) in the database it creates under .egovkg/.
  echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password " | $SUDO debconf-set-selections 2>/dev/null || true
  echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password " | $SUDO debconf-set-selections 2>/dev/null || true
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}"
fi

extra="."
[ "$want_test" = 1 ] && extra=".[test]"
python3 -m pip install -q --disable-pip-version-check -e "$extra"
