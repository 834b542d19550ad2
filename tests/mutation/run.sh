#!/usr/bin/env bash
# run.sh - the mutation run (issue 17, item 14): how many small, careless
# edits to the rule code the suite notices. A benchmark-style command run by
# hand, never in CI: 9 to 11 minutes on 2 cores (three runs, 2026-12-04).
#
#   tests/mutation/run.sh [--check] [--only ID[,ID...]] [--save] [--jobs N]
#
# mutants.txt lists the edits, one a line, fields separated by TABs:
#   ID  FILE  ORIGINAL  REPLACEMENT  [accepted: WHY]
# ORIGINAL must occur exactly once in FILE (so line numbers do not matter and
# an edit elsewhere in the file does not move it); the fifth field, when
# present, marks an equivalent mutant (one that cannot change behaviour) and
# says why. `\t` and `\n` in ORIGINAL and REPLACEMENT stand for a tab and a
# newline.
#
# The tree is copied to a tmpfs (/dev/shm) and built once (RelWithDebInfo,
# without -Werror: a mutant may leave a variable unused). Then, one mutant at
# a time: the edit applied, an incremental build, every unit test run (ctest
# -R '^unit/': the handlers through real turns, 50-odd programs, a second or
# two), the file restored. A mutant is KILLED when a test fails, BUILD-FAILED
# when it does not compile (counted as killed: the compiler noticed), SURVIVED
# otherwise. --check only verifies that every edit applies exactly once.
# --save writes the table to tests/mutation/LAST-RUN.txt.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
list="$top/tests/mutation/mutants.txt"
check=0 only="" save=0 jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case $1 in
    --check) check=1 ;;
    --only) only=$2; shift ;;
    --save) save=1 ;;
    --jobs) jobs=$2; shift ;;
    *) echo "usage: run.sh [--check] [--only ID[,ID...]] [--save] [--jobs N]" >&2; exit 2 ;;
  esac
  shift
done

# apply FILE ORIGINAL REPLACEMENT: edits FILE in place; exit 3 unless
# ORIGINAL occurs exactly once.
apply() {
  python3 - "$@" <<'PY'
import sys
path, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
unesc = lambda s: s.replace("\\t", "\t").replace("\\n", "\n")
old, new = unesc(old), unesc(new)
text = open(path, encoding="utf-8").read()
n = text.count(old)
if n != 1:
    print(f"{path}: the original text occurs {n} times, not once: {old!r}", file=sys.stderr)
    sys.exit(3)
open(path, "w", encoding="utf-8").write(text.replace(old, new))
PY
}

ids=() files=() olds=() news=() whys=()
while IFS=$'\t' read -r id file old new why; do
  case $id in '' | '#'*) continue ;; esac
  if [ -n "$only" ]; then case ",$only," in *",$id,"*) ;; *) continue ;; esac; fi
  ids+=("$id") files+=("$file") olds+=("$old") news+=("$new") whys+=("${why:-}")
done <"$list"
[ ${#ids[@]} -gt 0 ] || { echo "run.sh: no mutant${only:+ named $only}" >&2; exit 2; }

work=$(mktemp -d /dev/shm/legalaid-mutation.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$top" && tar --exclude='./build*' --exclude=./.git --exclude=./Testing --exclude=./run -cf - .) |
  tar -C "$work" -xf -

if [ $check -eq 1 ]; then
  bad=0
  for i in "${!ids[@]}"; do
    cp "$work/${files[$i]}" "$work/.orig" 2>/dev/null || { echo "${ids[$i]}: no file ${files[$i]}"; bad=$((bad + 1)); continue; }
    if apply "$work/${files[$i]}" "${olds[$i]}" "${news[$i]}"; then :; else echo "${ids[$i]}: does not apply"; bad=$((bad + 1)); fi
    cp "$work/.orig" "$work/${files[$i]}"
  done
  echo "${#ids[@]} mutants, $bad that do not apply"
  [ $bad -eq 0 ]
  exit
fi

start=$(date +%s)
echo "building the copy in $work ..."
cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$work/build" -j "$jobs" >"$work/build.log" 2>&1 || { tail -20 "$work/build.log"; exit 1; }
(cd "$work/build" && ctest -R '^unit/' -j "$jobs" >/dev/null) || { echo "run.sh: the suite fails without any mutant" >&2; exit 1; }

killed=0 survived=0 accepted=0 table=""
for i in "${!ids[@]}"; do
  id=${ids[$i]} f="$work/${files[$i]}"
  cp "$f" "$work/.orig"
  if ! apply "$f" "${olds[$i]}" "${news[$i]}"; then
    echo "$id: does not apply (run --check)" >&2
    exit 1
  fi
  if ! cmake --build "$work/build" -j "$jobs" >"$work/mutant.log" 2>&1; then
    outcome=BUILD-FAILED
  elif (cd "$work/build" && ctest -R '^unit/' -j "$jobs" --timeout 120 >"$work/mutant.log" 2>&1); then
    outcome=SURVIVED
  else
    outcome=KILLED
  fi
  cp "$work/.orig" "$f"
  case $outcome in
    SURVIVED)
      if [ -n "${whys[$i]}" ]; then accepted=$((accepted + 1)); outcome="SURVIVED (${whys[$i]})"
      else survived=$((survived + 1)); fi ;;
    *) killed=$((killed + 1)) ;;
  esac
  line=$(printf '%-6s %-44s %s' "$id" "${files[$i]}" "$outcome")
  echo "$line"
  table+="$line"$'\n'
done
# Restore the last file's build so that the copy is as it was (not needed
# after, but a rerun with --only relies on nothing else).
total=${#ids[@]}
secs=$(($(date +%s) - start))
score=$(awk -v k=$killed -v t=$total 'BEGIN { printf "%.1f", t ? 100 * k / t : 0 }')
summary="$total mutants: $killed killed, $survived survived, $accepted survived as equivalent (accepted); score $score % killed; $((secs / 60)) min $((secs % 60)) s on $(nproc) cores, $(date -u +%F)"
echo "$summary"
if [ $save -eq 1 ]; then
  { echo "# tests/mutation/run.sh --save, commit $(cd "$top" && git rev-parse --short HEAD 2>/dev/null || echo '?')"; echo "$table"; echo "$summary"; } \
    >"$top/tests/mutation/LAST-RUN.txt"
fi
