#!/usr/bin/env bash
# Installs plotly.js's cartesian bundle (all the dashboard's charts need) from npm into the gitignored vendor/ folder,
# at exactly the plotly.js version the installed plotly package ships. Run by scripts/run.sh and scripts/test.sh
# after pip. Without npm (or offline) it only prints a note: the dashboard then serves the full plotly.js bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(python -c 'from plotly.offline import get_plotlyjs_version; print(get_plotlyjs_version())')"
package="plotly.js-cartesian-dist-min@${version}"
target="vendor/node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js"
if [ -f "$target" ] && head -c 300 "$target" | grep -q "v${version}"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: serving the full plotly.js bundle (install npm for the 3x smaller ${package})" >&2
  exit 0
fi
mkdir -p vendor
if ! npm install --prefix vendor --no-save --no-package-lock --no-audit --no-fund --silent "$package"; then
  echo "could not install ${package}: serving the full plotly.js bundle" >&2
fi
