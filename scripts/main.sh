#!/usr/bin/env bash
# The main job on a fresh machine: install, build the graph, run the example
# queries, write the browsable pages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m kg build
.venv/bin/python -m kg examples
.venv/bin/python -m kg graph --out build/graph.html
.venv/bin/python -m kg site
echo "open build/site/index.html in a browser (works offline)"
