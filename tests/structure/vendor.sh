#!/usr/bin/env bash
# vendor.sh - every file services/gateway/web/VENDOR.md lists is there and
# is byte for byte the pinned release: its sha256 is the one the table
# gives. Fails naming the file that differs or is missing, and any row
# whose hash is not 64 hex digits (a table that cannot be checked).
#
#   usage: vendor.sh   exit: 0 all match; 1 a file differs or is missing
set -euo pipefail
web="$(cd "$(dirname "$0")/../../services/gateway/web" && pwd)"
table="$web/VENDOR.md"
status=0 rows=0
while IFS='|' read -r _ file _ _ _ sum _; do
    file="$(echo "$file" | tr -d ' `')"
    sum="$(echo "$sum" | tr -d ' `')"
    case "$file" in *.js|*.css) ;; *) continue ;; esac
    rows=$((rows + 1))
    if ! [[ "$sum" =~ ^[0-9a-f]{64}$ ]]; then
        echo "FAIL $file: VENDOR.md gives no sha256 ('$sum')"; status=1; continue
    fi
    if [ ! -f "$web/$file" ]; then
        echo "FAIL $file: listed in VENDOR.md but not in services/gateway/web/"; status=1; continue
    fi
    got="$(sha256sum "$web/$file" | cut -d' ' -f1)"
    if [ "$got" != "$sum" ]; then
        echo "FAIL $file: sha256 $got, VENDOR.md pins $sum"; status=1
    else
        echo "ok $file $sum"
    fi
done < "$table"
[ "$rows" -gt 0 ] || { echo "FAIL VENDOR.md lists no file"; status=1; }
exit $status
