#!/usr/bin/env bash
# Installs, from npm into the gitignored vendor/ folder, the two front-end files that make every page lighter:
# - plotly.js's cartesian bundle (all the dashboard's charts need), at exactly the plotly.js version the installed
#   plotly package ships;
# - regenerator-runtime (pinned below), the one part of Dash's @babel/polyfill that current browsers still need.
# Run by scripts/run.sh and scripts/test.sh after pip. Without npm (or offline) it only prints a note: the dashboard
# then serves the full plotly.js bundle and Dash's whole polyfill (dashboard/frontend.py).
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(python -c 'from plotly.offline import get_plotlyjs_version; print(get_plotlyjs_version())')"
plotly_package="plotly.js-cartesian-dist-min@${version}"
plotly_target="vendor/node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js"
runtime_version="0.13.11"  # the 0.13 line that @babel/polyfill 7.12.1 (Dash's polyfill) bundles
runtime_package="regenerator-runtime@${runtime_version}"
runtime_manifest="vendor/node_modules/regenerator-runtime/package.json"

installed=true
if ! { [ -f "$plotly_target" ] && head -c 300 "$plotly_target" | grep -q "v${version}"; }; then
  installed=false
fi
if ! { [ -f "$runtime_manifest" ] && grep -q "\"version\": \"${runtime_version}\"" "$runtime_manifest"; }; then
  installed=false
fi
if $installed; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: serving the full plotly.js bundle and Dash's whole polyfill (install npm for the smaller files)" >&2
  exit 0
fi
mkdir -p vendor
# One npm command for both: npm removes from vendor/ whatever the command does not name (there is no package.json).
install() { npm install --prefix vendor --no-save --no-package-lock --no-audit --no-fund --silent "$@"; }
if ! install "$plotly_package" "$runtime_package"; then
  echo "could not install both ${plotly_package} and ${runtime_package}; trying each alone" >&2
  install "$plotly_package" || install "$runtime_package" || echo "could not install either: serving the files they replace" >&2
fi
