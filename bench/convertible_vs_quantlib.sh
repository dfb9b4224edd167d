#!/usr/bin/env bash
# Side-by-side timing of the convertible lattice against QuantLib's
# BinomialConvertibleEngine on the CleanSpark base case, on one core.
# Optional: not a project dependency, never run in CI. Installs QuantLib from
# PyPI into a throwaway virtualenv under ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/.."
core=${CORE:-1}
venv=${TMPDIR:-/tmp}/infraval-quantlib-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q QuantLib
fi
taskset -c "$core" "$venv/bin/python" bench/convertible_quantlib.py 250 1000 2000 4000 8000
taskset -c "$core" cargo bench -p infraval-core --bench convertible_lattice -- convertible_fair_value
