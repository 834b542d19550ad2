#!/usr/bin/env bash
# make-shifts.sh - writes the duty shifts of one week (JSON Lines, the format
# of `legalaidctl import shifts`): at every station of stations.jsonl, on each
# working day (Monday to Friday) from 09:00 to 17:00 Beijing time, an A post on
# site and a B post on call by phone, taken in turn from the duty lawyers of
# the firms' agreements (agreements.jsonl: the roster takes an imported shift
# only from a duty lawyer of an agreement serving the station, R-DUTY-09) so
# that nobody is booked twice at the same time. Import the agreements first.
#
#   make-shifts.sh [DAY] > shifts.jsonl     DAY: YYYY-MM-DD in the week wanted (default: today, +08:00)
#
# Public holidays and make-up working days are not known here: a real roster
# comes from the centre's schedule, not from weekday arithmetic.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATIONS="$DIR/stations.jsonl"
AGREEMENTS="$DIR/agreements.jsonl"

# Today's date in Beijing time without relying on tzdata.
day=${1:-$(date -u -d "@$(($(date +%s) + 8 * 3600))" +%F)}
date -u -d "$day" +%F >/dev/null 2>&1 || { echo "make-shifts.sh: '$day' is not a date (YYYY-MM-DD)" >&2; exit 2; }
weekday=$(date -u -d "$day" +%u)
monday=$(date -u -d "$day -$((weekday - 1)) day" +%F)

field() { # field NAME LINE: the string value of "NAME":"..." in a compact JSON line
  local re="\"$1\":\"([^\"]*)\""
  [[ $2 =~ $re ]] && printf '%s' "${BASH_REMATCH[1]}"
}

codes=()
while IFS= read -r line; do
  [ -n "$line" ] && codes+=("$(field code "$line")")
done <"$STATIONS"

ids=() names=() phones=()
# Every duty lawyer entry of every agreement, in file order: one per line.
# (The demo's agreements serve every station and have no "left" dates; a
# lawyer who joins after the week is not taken.)
while IFS= read -r entry; do
  joined=$(field joined "$entry")
  [[ -n $joined && $joined > $(date -u -d "$monday +4 day" +%F) ]] && continue
  ids+=("$(field id "$entry")")
  names+=("$(field name "$entry")")
  phones+=("$(field phone "$entry")")
done < <(grep -o '{"id":"BT-L[^}]*}' "$AGREEMENTS")

posts_per_day=$((2 * ${#codes[@]}))
if [ "${#ids[@]}" -lt "$posts_per_day" ]; then
  echo "make-shifts.sh: ${#ids[@]} duty lawyers cannot fill $posts_per_day posts a day" >&2
  exit 1
fi

for d in 0 1 2 3 4; do
  date=$(date -u -d "$monday +$d day" +%F)
  for s in "${!codes[@]}"; do
    for b in 0 1; do
      k=$(((d * posts_per_day + 2 * s + b) % ${#ids[@]}))
      post=A mode=on_site
      if [ "$b" -eq 1 ]; then post=B mode=phone; fi
      printf '{"station":"%s","lawyer_id":"%s","lawyer_name":"%s","lawyer_phone":"%s","starts_at":"%sT09:00:00+08:00","ends_at":"%sT17:00:00+08:00","role":"%s","mode":"%s"}\n' \
        "${codes[$s]}" "${ids[$k]}" "${names[$k]}" "${phones[$k]}" "$date" "$date" "$post" "$mode"
    done
  done
done
