#!/usr/bin/env bash
# Set up (first time), lint, then run the whole test suite offscreen.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SONGLOOM_EXTRAS=test,train "$ROOT/installer/setup.sh"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check core desktop tests
# The layers (pyproject.toml [tool.importlinter]): core without Qt, pure metrics, no
# training or bench code in the app, no import cycles.
.venv/bin/lint-imports
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
