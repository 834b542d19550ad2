#!/usr/bin/env bash
# make-shifts.sh - writes the duty shifts of one week (JSON Lines, the format
# of `legalaidctl import shifts`): at every station of stations.jsonl, on each
# working day (Monday to Friday) from 09:00 to 17:00 Beijing time, an A post on
# site and a B post on call by phone, taken in turn from the active lawyers of
# lawyers.jsonl so that nobody is booked twice at the same time.
#
#   make-shifts.sh [DAY] > shifts.jsonl     DAY: YYYY-MM-DD in the week wanted (default: today, +08:00)
#
# Public holidays and make-up working days are not known here: a real roster
# comes from the centre's schedule, not from weekday arithmetic.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATIONS="$DIR/stations.jsonl"
LAWYERS="$DIR/lawyers.jsonl"

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
while IFS= read -r line; do
  [[ $line == *'"status":"active"'* ]] || continue
  # Duty lawyers are lawyers the pool takes: not the other kinds of provider
  # (art. 12-15), not the rows recruitment rejects (a disciplinary record,
  # under two years of practice).
  [[ $line == *'"kind":"lawyer"'* || $line != *'"kind":'* ]] || continue
  [[ $line == *'"disciplinary_record":true'* ]] && continue
  licensed=$(field licence_date "$line")
  [[ -n $licensed && $licensed > $(date -u -d "$day -2 years" +%F) ]] && continue
  ids+=("$(field id "$line")")
  names+=("$(field name "$line")")
  phones+=("$(field phone "$line")")
done <"$LAWYERS"

posts_per_day=$((2 * ${#codes[@]}))
if [ "${#ids[@]}" -lt "$posts_per_day" ]; then
  echo "make-shifts.sh: ${#ids[@]} active lawyers cannot fill $posts_per_day posts a day" >&2
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
