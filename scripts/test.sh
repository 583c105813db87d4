#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh machine and runs it.
# Used by the README and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
# PyTorch 2.13.0 (CPU) installs from a local file; JAX from the registry.
.venv/bin/pip install -q --disable-pip-version-check 'torch==2.13.0' || echo "note: PyTorch not installed; its tests will be skipped"
.venv/bin/pip install -q --disable-pip-version-check -e '.[jax,tensora]' || echo "note: JAX/tensora not installed; their tests will be skipped"
.venv/bin/pip install -q --disable-pip-version-check -e '.[ray]' || echo "note: Ray not installed; the bench --executor ray test will be skipped"
# A real headless browser for the HTML report test, and clang's builtin headers
# (<immintrin.h>, which the libclang wheel does not ship) for the intrinsics tests.
missing=""
command -v chromium >/dev/null || missing="$missing chromium"
ls -d /usr/lib/llvm-*/lib/clang/*/include >/dev/null 2>&1 || missing="$missing libclang-common-19-dev"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
    || echo "note:$missing not installed; the tests that need them will be skipped"
fi
# Two test processes (pytest-xdist): the tests are independent of each other's order; a -n
# given to this script wins.
exec .venv/bin/python -m pytest -q -n 2 "$@"
