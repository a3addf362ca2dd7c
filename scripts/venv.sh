#!/usr/bin/env bash
# Create .venv (when missing or made with a Python that is too old) and install the pinned
# dependencies into it: requirements.lock (what production runs) and requirements-dev.lock (the test
# suite and the development tools on top). Called by `make install`.
#
# The interpreter: the version of .python-version through pyenv when pyenv is there, otherwise the
# first of python3.13, python3.12, python3 that is at least 3.12. PYTHON=/path/to/python overrides.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
wanted=$(tr -d '[:space:]' < .python-version 2>/dev/null || true)

new_enough() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidates=() found
  if [ -n "${PYTHON:-}" ]; then
    candidates+=("$PYTHON")
  fi
  if [ -n "$wanted" ] && command -v pyenv >/dev/null 2>&1; then
    if found=$(PYENV_VERSION="$wanted" pyenv which python 2>/dev/null); then
      candidates+=("$found")
    fi
  fi
  for name in python3.13 python3.12 python3; do
    if found=$(command -v "$name" 2>/dev/null); then
      candidates+=("$found")
    fi
  done
  for candidate in "${candidates[@]}"; do
    if new_enough "$candidate"; then
      # Resolve shims (pyenv) to the real interpreter, so that the venv does not depend on them.
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  {
    echo "error: WIZZR needs Python 3.12 or newer (preferably ${wanted:-3.13})."
    echo "       Tried: ${candidates[*]:-nothing found on PATH}."
    echo "       Install it (for example with pyenv: pyenv install ${wanted:-3.13}) or set PYTHON=/path/to/python3.13."
  } >&2
  return 1
}

if [ -x "$venv/bin/python" ] && ! new_enough "$venv/bin/python"; then
  echo "$venv was made with a Python older than 3.12; making it again."
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  python=$(find_python)
  echo "Creating $venv with $("$python" --version 2>&1)"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
