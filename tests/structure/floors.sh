#!/usr/bin/env bash
# floors.sh - the floor plan as the linker sees it (issue 10). For every
# source folder (common/, each services/<name>/), reads each object file's
# defined and needed global symbols with nm, draws an arrow from a file to
# every file of the same folder that defines a symbol it needs, and fails
# when the arrows make a circle (tsort names each). Also fails when a file
# of common/ needs a symbol of a service's generated proto, or a service's
# file needs a symbol defined in another service's folder, and when an
# exported function does not start with its file's name (dispatch_offer.c
# exports dispatch_offer_*; main.c only main), so a name says where it lives.
# common/json/ (JSON <-> protobuf for the edge: legalaidctl and the
# gateway) is a folder of its own, since it knows every service's messages.
# Two documented exceptions: common/xalloc.c exports the allocators that abort
# on out-of-memory under the names every C reader knows (xmalloc, xcalloc,
# xrealloc, xstrdup: STYLE.md's "one xmalloc", as in Postfix and git), since
# xalloc_malloc would only hide that they are malloc that cannot fail; and
# common/store_calls.c defines __wrap_mdb_put and the other LMDB write calls
# it counts, the names the linker's --wrap gives them (CMakeLists.txt).
#
#   usage: floors.sh [-v] BUILD_DIR [FOLDER]   (after cmake --build BUILD_DIR)
#          -v lists every arrow of a folder with a circle, with the symbols
#          FOLDER (e.g. services/dispatch) checks that folder only
#   exit:  0 no circle; 1 circles or upward arrows, listed; 2 usage
set -euo pipefail
verbose=0
if [ "${1:-}" = -v ]; then verbose=1; shift; fi
build="${1:?usage: floors.sh [-v] BUILD_DIR [FOLDER]}"
only="${2:-}"
[ -d "$build/CMakeFiles" ] || { echo "floors.sh: $build is not a CMake build directory" >&2; exit 2; }
top="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Objects of product code: .../CMakeFiles/<target>.dir/<folder>/<file>.c.o
# (the CLI too: tools/ctl)
find "$build/CMakeFiles" -path '*.dir/common/*.c.o' -o -path '*.dir/services/*/*.c.o' \
    -o -path '*.dir/tools/*/*.c.o' |
    sort > "$work/objs"
[ -s "$work/objs" ] || { echo "floors.sh: no object files under $build" >&2; exit 2; }

# Objects whose source still exists (a stale object of a source since moved
# or deleted is not read).
while read -r o; do
    rel="${o#*.dir/}"                  # common/turn.c.o
    [ -f "$top/${rel%.o}" ] && echo "$o"
done < "$work/objs" > "$work/live"

# One line per symbol: folder file kind(D defined / U needed) symbol [type],
# from one nm run for all objects (nm -A prefixes each line with its object).
to_file='{ o = $1; sub(/:$/, "", o); sub(/^.*\.dir\//, "", o); sub(/\.o$/, "", o)
           d = o; sub(/\/[^\/]*$/, "", d) }'
xargs -r nm -A -g --defined-only < "$work/live" | sed 's/:/: /' |
    awk "$to_file"' NF == 4 {print d, o, "D", $4, $3}' > "$work/syms"
xargs -r nm -A -u < "$work/live" | sed 's/:/: /' |
    awk "$to_file"' {print d, o, "U", $NF}' >> "$work/syms"

# Symbols of the services' own generated messages (not the envelope, not base).
find "$build/CMakeFiles" -path '*la_proto.dir/*.pb-c.c.o' |
    grep -Ev '/(legalaid|base)\.pb-c\.c\.o$' |
    xargs -r nm -g --defined-only | awk 'NF==3 {print $3}' | sort -u > "$work/svcproto"

status=0

# Arrows inside each folder, and arrows between service folders.
awk '
    $3 == "D" { def[$4] = $2; folder_of[$4] = $1 }
    $3 == "U" { need[++n] = $0 }
    END {
        for (i = 1; i <= n; i++) {
            split(need[i], a, " ")
            s = a[4]
            if (!(s in def)) continue
            if (folder_of[s] == a[1] && def[s] != a[2]) print "EDGE", a[1], a[2], def[s], s
            else if (a[1] ~ /^services\// && folder_of[s] ~ /^services\// && folder_of[s] != a[1])
                print "CROSS", a[2], def[s], s
        }
    }' "$work/syms" | sort -u > "$work/edges"

if grep -q '^CROSS' "$work/edges"; then
    echo "services that need each other (they may share only proto/ and common/):"
    grep '^CROSS' "$work/edges" | awk '{print "  " $2 " -> " $3 " (" $4 ")"}'
    status=1
fi

for folder in $(awk '{print $1}' "$work/syms" | sort -u); do
    [ -z "$only" ] || [ "$folder" = "${only%/}" ] || continue
    awk -v d="$folder" '$1 == "EDGE" && $2 == d {print $3, $4}' "$work/edges" | sort -u > "$work/folder"
    nfiles=$(awk -v d="$folder" '$1 == d {print $2}' "$work/syms" | sort -u | wc -l)
    nedges=$(wc -l < "$work/folder")
    if ! tsort "$work/folder" > /dev/null 2> "$work/loops"; then
        echo "$folder: $nfiles files, $nedges arrows, CIRCLES:"
        echo "  files on a circle: $(grep -v 'input contains a loop' "$work/loops" | sed 's/^tsort: //' | sort -u | tr '\n' ' ')"
        # the pairs that need each other both ways, the plainest circles
        awk '{e[$1" "$2]=1} END {for (k in e) {split(k,a," "); if ((a[2]" "a[1]) in e && a[1] < a[2]) print "  both ways: " a[1] " <-> " a[2]}}' "$work/folder"
        if [ $verbose = 1 ]; then
            awk -v d="$folder" '$1 == "EDGE" && $2 == d {print "  " $3 " -> " $4 " (" $5 ")"}' "$work/edges"
        fi
        status=1
    else
        echo "$folder: $nfiles files, $nedges arrows, no circle"
    fi
done

# Every exported function starts with its file's name (less ".c").
awk -v only="${only%/}" '$3 == "D" && $5 == "T" && (only == "" || $1 == only) {
        n = split($2, p, "/"); base = p[n]; sub(/\.c$/, "", base)
        if (base == "main") { if ($4 != "main") print "  " $2 ": " $4 }
        else if (base == "xalloc" && $4 ~ /^x(malloc|calloc|realloc|strdup)$/) next
        else if (base == "store_calls" && $4 ~ /^__wrap_mdb_(put|del|cursor_put|cursor_del|drop)$/) next
        else if ($4 != base && index($4, base "_") != 1) print "  " $2 ": " $4
    }' "$work/syms" | sort > "$work/names"
if [ -s "$work/names" ]; then
    echo "$(wc -l < "$work/names") exported functions not named after their file:"
    if [ $verbose = 1 ]; then cat "$work/names"; else head -20 "$work/names"; fi
    status=1
fi

# common/ needs no service's messages.
awk '$1 == "common" && $3 == "U" {print $2, $4}' "$work/syms" | sort -u > "$work/commonneeds"
if awk 'NR==FNR {p[$1]=1; next} ($2 in p)' "$work/svcproto" "$work/commonneeds" | grep -q .; then
    echo "common/ needs a service's generated proto:"
    awk 'NR==FNR {p[$1]=1; next} ($2 in p) {print "  " $1 " needs " $2}' "$work/svcproto" "$work/commonneeds"
    status=1
fi
exit $status
