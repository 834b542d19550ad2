#!/usr/bin/env bash
# run-fuzz.sh - the fuzz run (issue 18, item 9): builds the libFuzzer
# targets with clang (-DLEGALAID_FUZZ=ON: the project's libraries built with
# -fsanitize=fuzzer-no-link, so coverage reaches the handlers, under ASan
# and UBSan) in build-fuzz/, then runs each target for SECONDS, as many at
# once as there are cores, from a copy of its committed seed corpus
# (tests/fuzz/corpus/NAME). Prints each target's executions, coverage
# (cov: edges reached; ft: features) and what it found; a crash's input is
# kept in build-fuzz/fuzz-out/NAME/ (crash-*, leak-*, timeout-*): add it to
# the corpus once fixed, and every build replays it (ctest
# unit/fuzz-corpus-NAME). Fails when any target found anything.
#
#   tests/fuzz/run-fuzz.sh [SECONDS] [TARGET...]     (60 s; every target)
#   a long run: tests/fuzz/run-fuzz.sh 3600
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
secs=${1:-60}
shift || true
build="$top/build-fuzz"
jobs=$(nproc 2>/dev/null || echo 2)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for s in intake eligibility dispatch roster notify; do targets+=("request-$s" "stream-$s"); done
  targets+=(records ini template)
fi

CC=clang cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DLEGALAID_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs" --target $(printf 'fuzz-%s ' "${targets[@]}") >/dev/null

out="$build/fuzz-out"
rm -rf "$out"
mkdir -p "$out"
corpus_of() { case $1 in request-*) echo request ;; stream-*) echo stream ;; *) echo "$1" ;; esac; }
run_one() {
  local t=$1 dir="$out/$1"
  mkdir -p "$dir/corpus"
  cp "$top/tests/fuzz/corpus/$(corpus_of "$t")"/* "$dir/corpus/"
  (cd "$dir" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$build/tests/fuzz-$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$dir/" corpus >"$dir/log" 2>&1) || true
}
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

found=0
printf '%-20s %12s %8s %8s %8s  %s\n' target executions "exec/s" cov ft found
for t in "${targets[@]}"; do
  log="$out/$t/log"
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
  ft=$(grep -Eo 'ft: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
  crashes=$(find "$out/$t" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  what=none
  if [ "$crashes" -gt 0 ] || grep -q 'ERROR: \(AddressSanitizer\|LeakSanitizer\|libFuzzer\)\|runtime error:' "$log"; then
    what="$crashes input(s): $(grep -m1 -Eo 'ERROR: [A-Za-z]+: [a-z-]+|runtime error: .*' "$log" || echo see log) ($log)"
    found=$((found + 1))
  elif [ "$runs" -eq 0 ]; then
    what="did not run ($log)"
    found=$((found + 1))
  fi
  printf '%-20s %12s %8s %8s %8s  %s\n' "$t" "$runs" "$rate" "$cov" "$ft" "$what"
done
echo "run-fuzz: ${#targets[@]} targets, $secs s each, $found found something"
[ "$found" -eq 0 ]
