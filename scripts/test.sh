#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs test needs (Python extras,
# Java, Virtuoso, Chromium from Debian) and runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/python -m pytest -q "$@"
