# disk-lib.sh - what data-dir.sh and disk-full.sh share (issue 18): one
# daemon ($ONE, default roster) on its own configuration in $RUN, started
# and stopped by pid, and the expectations on a command's status and
# output. Sourced after demo-lib.sh:
#
#   one_config INI DATA_DIR [ENDPOINT]   writes INI: security off, [$ONE] on DATA_DIR
#   one_start INI LOG                    starts legalaid-$ONE (pid in $one_pid)
#   one_answers INI                      legalaidctl ping $ONE answers "up"
#   one_stop PID                         SIGTERM, wait; its status in $one_status
ONE_PIDS=()
ONE=${ONE:-roster}

# The streams each daemon consumes (an endpoint each in the file).
one_upstreams() {
  case $1 in
  intake) echo eligibility dispatch roster ;;
  roster) echo dispatch ;;
  esac
}

one_config() {
  local ini=$1 data=$2 ep=${3:-ipc://$RUN/$ONE.sock} up
  printf '[security]\nmode = off\n\n[%s]\nendpoint = %s\ndata_dir = %s\nsync = true\n\n' \
    "$ONE" "$ep" "$data" >"$ini"
  for up in $(one_upstreams "$ONE"); do
    printf '[%s]\nendpoint = ipc://%s/%s.sock\n\n' "$up" "$RUN" "$up" >>"$ini"
  done
}

one_start() {
  "$BIN/legalaid-$ONE" -c "$1" </dev/null >/dev/null 2>>"$2" &
  one_pid=$!
  ONE_PIDS+=("$one_pid")
}

one_answers() {
  poll ' up ' "$BIN/legalaidctl" -c "$1" --lang en -t 1000 ping "$ONE"
  "$BIN/legalaidctl" -c "$1" --lang en -t 1000 ping "$ONE" 2>&1 | grep -q ' up '
}

one_stop() {
  one_status=0
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" || one_status=$?
}

# Stops what one_start started (exactly those pids).
one_stop_all() {
  local p
  for p in "${ONE_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${ONE_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
one_cleanup() {
  one_stop_all
  demo_cleanup
}
trap one_cleanup EXIT
