#!/usr/bin/env bash
# run.sh - the README's test command: installs what is missing, builds with
# warnings as errors, runs every test (unit, end to end, SIGKILL fault,
# the operator's selftest), builds the Debian package and installs it on this
# machine (as root: CI), then builds again with AddressSanitizer and UBSan
# and runs them all again: the daemons under real traffic and kills, and
# LeakSanitizer at every clean stop; then the fault tests once more with
# `stress-ng --cpu 2` taking both cores beside them: a test that passes only
# on an idle machine is a defect. Last, every fuzz target for 60 s. The first two runs take the
# tests two at a time (ctest -j, one per core), as they share CI's cores.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"

bash deploy/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEGALAID_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
(cd build && ctest -j "$jobs" --output-on-failure)

# The Debian package: built, checked with lintian, installed on this machine
# with apt-get, checked as installed, purged. It installs as root, so only
# where run.sh runs as root (CI); never under ctest.
if [ "$(id -u)" -eq 0 ]; then
  bash tests/package/deb.sh
else
  echo "run.sh: not root: tests/package/deb.sh (installs the .deb) left out"
fi

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLEGALAID_WERROR=ON -DLEGALAID_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
# fault/sigkill-5000 is left to the plain build (alone, and beside stress-ng
# below): under ASan each of its 24 restarts of a sanitized daemon takes
# seconds and the run took 515 s of CI's 30 minutes; every other system test
# still stops its sanitized daemons cleanly under LeakSanitizer.
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
   ctest -j "$jobs" --output-on-failure -E '^fault/sigkill-5000$')

# Beside a busy machine: stress-ng loads both cores while the fault tests
# (the real daemons as processes, SIGKILLed) run again. The ASan run above
# already runs two sanitized tests at once on the two cores. Stopped by its
# own pid.
stress_pid=""
stop_stress() { if [ -n "$stress_pid" ]; then kill "$stress_pid" 2>/dev/null || true; wait "$stress_pid" 2>/dev/null || true; fi; }
trap stop_stress EXIT
stress-ng --cpu 2 --timeout 1800s --quiet &
stress_pid=$!
(cd build && ctest --output-on-failure -R '^fault/')
stop_stress
stress_pid=""

# Fuzzing (issue 18, item 9): every target for 60 s under ASan and UBSan,
# the libraries instrumented (clang, build-fuzz/); fails on anything found.
bash tests/fuzz/run-fuzz.sh 60
