#!/usr/bin/env bash
# iofail.sh - one I/O call fails once in one daemon while applications flow
# (issue 18, item 10): the whole system under la-system with the shim
# tests/fault/iofail.c preloaded (LD_PRELOAD), acting only in DAEMON.
#
#   usage: iofail.sh BUILD_DIR LA_SYSTEM SHIM.so DAEMON CALL AT [APPS]
#
# CALL is fdatasync, fsync, pwrite, pwrite-dsync (LMDB's meta page) or
# msync; AT the call that fails. What must hold: the shim did fail a call;
# la-system's checks pass (every application decided, assigned and notified
# exactly once: no reply was sent for a write that was not durable); and
# the daemon either went on (its failed turn answered "nothing was
# written", retried by the clients) or stopped with its one line and exit
# 75 and was started again (la-system --restart-exited, as systemd does).
#
# Plain builds only: the shim is not built with -DLEGALAID_SANITIZE=ON (an
# ASan binary refuses a preloaded library that comes before its runtime).
set -euo pipefail
bin=$(cd "${1:?usage: iofail.sh BUILD_DIR LA_SYSTEM SHIM.so DAEMON CALL AT [APPS]}" && pwd)
la_system=$2 shim=$3 daemon=$4 call=$5 at=$6 apps=${7:-500}
work=$(mktemp -d "${TMPDIR:-/tmp}/legalaid-iofail.XXXXXX")
cleanup() { [ "${keep:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

fails=0
ok() { echo "ok    $1"; }
bad() { echo "FAIL  $1" >&2; fails=$((fails + 1)); }

set +e
TMPDIR=$work LD_PRELOAD=$shim LEGALAID_IOFAIL_PROG=legalaid-$daemon LEGALAID_IOFAIL_CALL=$call \
  LEGALAID_IOFAIL_AT=$at LEGALAID_IOFAIL_LOG=$work/iofail.log \
  "$la_system" --bin "$bin" --apps "$apps" --restart-exited --keep >"$work/la-system.out" 2>&1
status=$?
set -e
cat "$work/la-system.out"
log=$(ls "$work"/la-system-*/"$daemon".log 2>/dev/null | head -1)

if [ -s "$work/iofail.log" ]; then ok "$(cat "$work/iofail.log")"; else
  bad "the shim never failed $call call $at in legalaid-$daemon (fewer calls than that?)"
fi
if [ "$status" = 0 ]; then ok "la-system's exactly-once checks hold (status 0)"; else
  bad "la-system failed (status $status)"
fi
if grep -q "$daemon (pid [0-9]*) exited by itself with status 75" "$work/la-system.out"; then
  if grep -q "fatal: storage failure: LMDB cannot go on after a failed write" "$log"; then
    ok "$daemon stopped with one line and exit 75, and went on after its restart"
  else
    bad "$daemon exited 75 without its line"
  fi
elif grep -q "write transaction failed, .* nothing was written" "$log"; then
  ok "$daemon went on: its failed turn was answered \"nothing was written\" and retried"
  grep "write transaction failed" "$log" | head -1 | sed 's/^/      /'
else
  bad "$daemon's log says nothing of the failed $call"
fi
if grep -q "exited by itself with status [^7]" "$work/la-system.out"; then
  bad "a daemon exited by itself with another status"
fi
echo "$fails failed"
[ "$fails" = 0 ] || { keep=1; echo "kept: $work" >&2; exit 1; }
