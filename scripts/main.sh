#!/usr/bin/env bash
# The main job on a fresh machine: install, build the graph, run the example
# queries, write the browsable pages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -m kg build
python3 -m kg examples
python3 -m kg graph --out build/graph.html
python3 -m kg site
echo "open build/site/index.html in a browser (works offline)"
