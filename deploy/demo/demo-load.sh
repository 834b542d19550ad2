# demo-load.sh - loading the demo's reference data into running daemons, shared
# by deploy/quickstart.sh and the system tests (tests/system/demo-lib.sh).
# Sourced, with CTL set to legalaidctl and its -c CONFIG:
#
#   CTL="build/legalaidctl -c run/legalaid.ini"; source deploy/demo/demo-load.sh
#   demo_load_reference          # stations, lawyers, agreements, templates, holidays
#   demo_publish_week            # this week's roster (Monday to Sunday, Beijing time)
#   demo_load_interns            # the 2027 internship places and candidates
DEMO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMPORT_WAIT_S=${IMPORT_WAIT_S:-60}

# import_agreements FILE: the roster vets each agreement's duty lawyers against
# the lawyer pool, which reaches it on dispatch's event stream a moment after
# `import lawyers`; until then it answers UNAVAILABLE ("the lawyer pool has not
# reached the roster yet"). That answer is the roster's own signal, so this
# retries on it alone, every 0.2 s for at most IMPORT_WAIT_S; any other answer is final.
import_agreements() {
  local out status _
  for _ in $(seq $((IMPORT_WAIT_S * 5))); do
    status=0
    out=$($CTL import agreements "$1" 2>&1) || status=$?
    case $out in *UNAVAILABLE*) sleep 0.2 ;; *) break ;; esac
  done
  printf '%s\n' "$out"
  return "$status"
}

# demo_load_reference: the stations, the lawyer pool (four rows recruitment
# rejects, by design), the firms' duty agreements, the shift templates and the
# statutory holidays, which end the roster's, eligibility's and dispatch's
# periods alike. Each import prints its outcome; a rejected line does not stop
# the others.
demo_load_reference() {
  $CTL import stations "$DEMO_DIR/stations.jsonl" || true
  $CTL import lawyers "$DEMO_DIR/lawyers.jsonl" || true
  import_agreements "$DEMO_DIR/agreements.jsonl" || true
  $CTL import templates "$DEMO_DIR/templates.jsonl" || true
  $CTL import duty-calendar "$DEMO_DIR/duty-calendar.jsonl" || true
  $CTL import calendar "$DEMO_DIR/duty-calendar.jsonl" || true
}

# demo_publish_week: generates and publishes this week's roster, an A and a B
# for every shift; sets DEMO_MONDAY and DEMO_SUNDAY.
demo_publish_week() {
  local today
  today=$(date -u -d "@$(($(date +%s) + 8 * 3600))" +%F)
  DEMO_MONDAY=$(date -u -d "$today -$(($(date -u -d "$today" +%u) - 1)) day" +%F)
  DEMO_SUNDAY=$(date -u -d "$DEMO_MONDAY +6 day" +%F)
  $CTL roster generate "$DEMO_MONDAY" "$DEMO_SUNDAY" | head -n 6 || true
  $CTL roster publish "S-$DEMO_MONDAY-$DEMO_SUNDAY" --officer demo >/dev/null &&
    echo "published S-$DEMO_MONDAY-$DEMO_SUNDAY" || true
}

# demo_load_interns: the firms' internship places for 2027 (their supervisors
# vetted against the pool just imported) and the qualification office's
# certificate list, a CSV whose last two rows are wrong on purpose.
demo_load_interns() {
  $CTL import places "$DEMO_DIR/intern-places.jsonl" || true
  $CTL import candidates "$DEMO_DIR/intern-candidates.csv" || true
}
