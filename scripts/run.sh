#!/usr/bin/env bash
# The README's start command: installs the dashboard's dependencies in .venv and serves it on the embedded data
# at http://127.0.0.1:8050 (HOST and PORT override).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -d .venv ] || "$PYTHON" -m venv .venv
  # shellcheck disable=SC1091
  source .venv/bin/activate
fi
python -m pip install -q --disable-pip-version-check -r requirements.txt
bash scripts/install-frontend.sh
python -m dashboard check
exec python app.py
