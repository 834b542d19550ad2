#!/usr/bin/env bash
# data-dir.sh - a daemon's data directory (issue 18, items 3, 4 and 7):
#
#  - one owner: a second copy on the same data directory, or on another
#    directory but the same ipc:// socket, refuses to start (exit 75, one
#    line naming the holder's pid) and the first still answers;
#  - damage found at start: data.mdb cut short, or any one of its pages
#    overwritten with garbage, is one line "data damaged: ...; restore from
#    backup, see README" and exit 76 (never a bus error or an LMDB abort);
#    the units do not restart on 76;
#  - private files: legalaid-local makes data directories, logs and sockets
#    for the owner alone, and every unit runs with UMask=0077.
#
#   usage: data-dir.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" data-dir "${1:-}"
source "$(dirname "${BASH_SOURCE[0]}")/disk-lib.sh"

# --- item 3: one daemon per data directory and per socket -------------------
# (Each copy runs under `timeout`: one that is not refused fails the check.)
one_config "$RUN/one.ini" "$RUN/data-one"
one_start "$RUN/one.ini" "$RUN/one.log"
first=$one_pid
check "the first roster answers" 'one_answers "$RUN/one.ini"'
expect_out "a second copy on the same data directory is refused (exit 75, the holder named)" 75 \
  "not started: the data directory $RUN/data-one is in use by another daemon \\(.*held by pid $first\\)" \
  -- timeout 30 "$BIN/legalaid-roster" -c "$RUN/one.ini"
one_config "$RUN/two.ini" "$RUN/data-two"
expect_out "a second copy on the same socket is refused (exit 75)" 75 \
  "not started: the socket ipc://$RUN/roster.sock is in use by another daemon \\(.*held by pid $first\\)" \
  -- timeout 30 "$BIN/legalaid-roster" -c "$RUN/two.ini"
check "the first still answers after both refusals" 'one_answers "$RUN/one.ini"'
check "the refused copies left the first's socket in place" '[ -S "$RUN/roster.sock" ]'
one_stop "$first"
check "the first stops cleanly (status $one_status)" '[ "$one_status" = 0 ]'
# The locks go with the process: after a SIGKILL a new copy starts at once.
one_start "$RUN/one.ini" "$RUN/one.log"
kill -KILL "$one_pid"
wait "$one_pid" 2>/dev/null || true
one_start "$RUN/one.ini" "$RUN/one.log"
check "after a SIGKILL of the holder a new copy starts and answers" 'one_answers "$RUN/one.ini"'
one_stop "$one_pid"

# --- item 4: a damaged data.mdb is one line and exit 76 ----------------------
good="$RUN/data-good"
cp -a "$RUN/data-one" "$good"
rm -f "$good/daemon.lock"
psize=4096
pages=$(($(stat -c %s "$good/data.mdb") / psize))
check "the environment has pages beyond its two meta pages ($pages)" '[ "$pages" -gt 3 ]'
damaged="data damaged: .* in $RUN/data-one; restore from backup, see README \\(exit 76\\)"
fresh() { rm -rf "$RUN/data-one" && cp -a "$good" "$RUN/data-one"; }

fresh
truncate -s $(((pages - 1) * psize)) "$RUN/data-one/data.mdb"
expect_out "data.mdb cut short by a page: exit 76, one line" 76 "$damaged" \
  -- timeout 30 "$BIN/legalaid-roster" -c "$RUN/one.ini"
expect_out "... the line says the file was cut short" 76 "the file was cut short" \
  -- timeout 30 "$BIN/legalaid-roster" -c "$RUN/one.ini"
fresh
truncate -s $((3 * psize)) "$RUN/data-one/data.mdb"
expect_out "data.mdb cut to three pages: exit 76" 76 "$damaged" \
  -- timeout 30 "$BIN/legalaid-roster" -c "$RUN/one.ini"
fresh
truncate -s 5000 "$RUN/data-one/data.mdb"
expect_out "data.mdb cut inside its meta pages: exit 76" 76 "$damaged" \
  -- timeout 30 "$BIN/legalaid-roster" -c "$RUN/one.ini"

# Every page after the two meta pages, one at a time, overwritten with garbage.
head -c $psize /dev/zero | tr '\000' '\336' >"$RUN/garbage"
for ((pg = 2; pg < pages; pg++)); do
  fresh
  dd if="$RUN/garbage" of="$RUN/data-one/data.mdb" bs=$psize seek=$pg conv=notrunc status=none
  set +e
  out=$("$BIN/legalaid-roster" -c "$RUN/one.ini" 2>&1)
  st=$?
  set -e
  lines=$(grep -c . <<<"$out" || true)
  if [ "$st" = 76 ] && grep -Eq -- "$damaged" <<<"$out" && [ "$lines" = 1 ]; then
    ok "page $pg of $pages overwritten: exit 76, one line"
  else
    bad "page $pg of $pages overwritten: status $st, $lines lines"
    sed 's/^/      /' <<<"$out" | head -8 >&2
  fi
done
fresh
one_start "$RUN/one.ini" "$RUN/one.log"
check "the undamaged copy starts and answers" 'one_answers "$RUN/one.ini"'
one_stop "$one_pid"

units=$(ls "$TOP"/deploy/systemd/legalaid-*.service)
check "every unit keeps systemd from restarting on 76 and 78" \
  '! grep -L "^RestartPreventExitStatus=78 76$" $units | grep -q .'

# --- item 7: private files ----------------------------------------------------
check "every unit runs with UMask=0077" '! grep -L "^UMask=0077$" $units | grep -q .'
demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
open_to_others=$(find "$RUN/data" "$RUN/log" "$RUN/pids" "$RUN"/*.sock \
  -perm /077 2>/dev/null || true)
check "legalaid-local: data directories, logs, pid files and sockets are the owner's alone" \
  '[ -z "$open_to_others" ]'
[ -z "$open_to_others" ] || ls -ld $open_to_others >&2
check "legalaid-local: there are sockets to look at" 'ls "$RUN"/*.sock >/dev/null 2>&1'
"$LOCAL" stop "$RUN" >/dev/null

echo "$fails failed"
[ "$fails" = 0 ]
