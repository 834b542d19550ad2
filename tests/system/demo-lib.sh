# demo-lib.sh - what the system tests that drive the demo share: a fresh run
# directory, the demo's configuration, stopping exactly what was started, and
# a bounded poll. Sourced by ctl-selftest.sh and readme-examples.sh:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" NAME BIN_DIR
#
# sets TOP, BIN, RUN, LOCAL, DEMO and CTL (legalaidctl with the run's
# configuration) and traps EXIT, TERM and INT so that the daemons of
# `legalaid-local start "$RUN"` are stopped whatever ends the script.
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN=$(cd "${2:?usage: $1 BIN_DIR}" && pwd)
RUN=$(mktemp -d "${TMPDIR:-/tmp}/legalaid-$1.XXXXXX")
LOCAL="$TOP/deploy/legalaid-local"
DEMO="$TOP/deploy/demo"
CTL="$BIN/legalaidctl -c $RUN/legalaid.ini"

demo_cleanup() {
  "$LOCAL" stop "$RUN" >/dev/null 2>&1 || true
  rm -rf "$RUN"
}
trap demo_cleanup EXIT
trap 'exit 143' TERM # ctest's time limit: still stop the daemons (demo_cleanup)
trap 'exit 130' INT

# demo_config [SED-EXPR]: writes $RUN/legalaid.ini from the shipped template,
# edited by SED-EXPR when given.
# The gateway gets a free loopback port (tests run side by side).
demo_config() {
  local port
  port=$(LEGALAID_GATEWAY_PORT=0 "$LOCAL" port)
  sed -e "s|@RUN_DIR@|$RUN|g" -e "s|@GATEWAY_PORT@|$port|g" "$TOP/deploy/legalaid.ini.in" |
    sed "${1:-}" >"$RUN/legalaid.ini"
}

# The gateway's base URL (after demo_config).
gateway_url() {
  echo "http://$(sed -n '/^\[gateway\]/,/^\[/s/^listen *= *\([^ ;]*\).*/\1/p' "$RUN/legalaid.ini")"
}

# poll PATTERN CMD...: runs CMD every 0.1 s until its output matches PATTERN
# (grep -E), for at most POLL_MAX_S seconds. A poll ends as soon as it sees
# the pattern, so the bound costs nothing when all is well; it is generous
# because CI shares 2 cores with other work (stress-ng in tests/run.sh).
# Returns 0 either way, but a wait that runs out is counted as a failure.
POLL_MAX_S=${POLL_MAX_S:-60}
# A daemon restarted mid-stream catches up in turns of up to batch_max
# events before it answers a ping; under ASan beside another test one such
# turn took longer than legalaid-local's own 20 s (system/report in CI).
export LEGALAID_READY_TIMEOUT_S=${LEGALAID_READY_TIMEOUT_S:-90}
poll() {
  local pattern=$1 out _
  shift
  for _ in $(seq $((POLL_MAX_S * 10))); do
    out=$("$@" 2>&1 || true) # CMD's own status is not the question (pipefail)
    grep -Eq -- "$pattern" <<<"$out" && return 0
    sleep 0.1
  done
  # A wait that ran out is a failure, never a silent minute: the checks after
  # it would judge a state nobody waited for.
  bad "waited ${POLL_MAX_S} s for /$pattern/ from: $*"
  return 0
}

# ok / bad / check NAME EXPR: a test's lines ("ok    ...", "FAIL  ..."),
# counted in fails.
fails=0
ok() { echo "ok    $1"; }
bad() { echo "FAIL  $1" >&2; fails=$((fails + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# expect_out DESC STATUS PATTERN -- CMD...: CMD exits STATUS and prints PATTERN.
expect_out() {
  local desc=$1 want=$2 pattern=$3 out st
  shift 4
  set +e
  out=$("$@" 2>&1)
  st=$?
  set -e
  if [ "$st" -eq "$want" ] && grep -Eq -- "$pattern" <<<"$out"; then ok "$desc"; else
    bad "$desc (status $st, want $want; no line matching: $pattern)"
    sed 's/^/      /' <<<"$out" | head -8 >&2
  fi
}

IMPORT_WAIT_S=$POLL_MAX_S
source "$DEMO/demo-load.sh" # import_agreements, demo_load_reference

# signin NAME PASSWORD: the status of a sign-in at the gateway ($URL) with a
# fresh pre-session token; the session's cookie is in $RUN/jar.NAME.
signin() {
  local jar="$RUN/jar.$1" pre
  rm -f "$jar"
  curl -s -c "$jar" -o /dev/null "$URL/login"
  pre=$(awk '$6 == "la_pre" { print $7 }' "$jar")
  curl -s -b "$jar" -c "$jar" -o "$RUN/signin.html" -w '%{http_code}' --data-urlencode "pre=$pre" \
    --data-urlencode "name=$1" --data-urlencode "password=$2" "$URL/login" || true
}

# id_number PREFIX17: the 18-character resident ID number with its check digit (GB 11643).
id_number() {
  awk -v p="$1" 'BEGIN { split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
    for (j = 1; j <= 17; j++) s += substr(p, j, 1) * w[j]
    printf "%s%s\n", p, substr("10X98765432", s % 11 + 1, 1) }'
}
