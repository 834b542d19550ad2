#!/usr/bin/env python3
"""lmdb-writes.py - per table, what a daemon's commits write (issue 16).

Reads the file liblmdb-writes.so wrote for one daemon (tests/bench/lmdb-writes.c)
and that daemon's environment, as the run left it (la-system --keep):

    python3 tests/bench/lmdb-writes.py TRACE DATA_DIR [FROM TO]

FROM and TO (default 0.3 and 0.6) choose the commits read, as fractions of
all of them: the middle of a steady run, not its start or the checks after.
A trace is read of a run without compactions (the library stops at the
first). For each table it prints the share of commits that wrote it, its puts and
deletes a commit, and the pages a commit copies in it, estimated: a key's
leaf is taken from its rank among the keys the table holds at the end
(rank / entries x leaf pages), its branch page the same way one level up,
plus the root. A commit copies each page it changes once, so keys that sort
together (a case number, a time) share pages and keys that do not (a keyed
hash) copy a leaf and a branch each. Needs mdb_stat and mdb_dump
(Debian's lmdb-utils).
"""
import bisect
import collections
import re
import subprocess
import sys


def shapes(data_dir):
    """Depth, branch and leaf pages, entries of every table."""
    out = subprocess.run(["mdb_stat", "-a", data_dir], capture_output=True, text=True,
                         check=True).stdout
    shape, name = {}, None
    for line in out.splitlines():
        m = re.match(r"Status of (\S+)", line)
        if m:
            name = m.group(1)
            shape[name] = {}
            continue
        m = re.match(r"\s+(Tree depth|Branch pages|Leaf pages|Entries): (\d+)", line)
        if m and name:
            shape[name][m.group(1)] = int(m.group(2))
    return shape


def keys_of(data_dir, table, cache):
    """The table's keys in hex, cut as the trace cuts them, sorted."""
    if table not in cache:
        out = subprocess.run(["mdb_dump", "-s", table, data_dir], capture_output=True,
                             text=True).stdout.splitlines()
        start = out.index("HEADER=END") + 1 if "HEADER=END" in out else len(out)
        cache[table] = sorted(out[i].strip()[:80] for i in range(start, len(out) - 1, 2)
                              if out[i].startswith(" "))
    return cache[table]


def commits_of(path):
    commits, cur = [], None
    with open(path) as f:
        for line in f:
            if line.startswith("COMMIT"):
                cur = []
                commits.append(cur)
                continue
            part = line.split()
            if cur is not None and len(part) >= 3:
                cur.append((part[1], part[3] if len(part) > 3 else ""))
    return commits


def main():
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    trace, data_dir = sys.argv[1], sys.argv[2]
    lo, hi = (float(sys.argv[3]), float(sys.argv[4])) if len(sys.argv) == 5 else (0.3, 0.6)
    shape, cache = shapes(data_dir), {}
    commits = commits_of(trace)
    chosen = commits[int(len(commits) * lo):int(len(commits) * hi)]
    if not chosen:
        sys.exit(f"{trace}: no commits between {lo} and {hi} of {len(commits)}")
    pages, writes, wrote = collections.Counter(), collections.Counter(), collections.Counter()
    for c in chosen:
        per = collections.defaultdict(list)
        for table, key in c:
            per[table].append(key)
        for table, ks in per.items():
            writes[table] += len(ks)
            wrote[table] += 1
            s = shape.get(table, {})
            depth, leaves = s.get("Tree depth", 1), max(s.get("Leaf pages", 1), 1)
            branches, entries = s.get("Branch pages", 0), max(s.get("Entries", 1), 1)
            held = keys_of(data_dir, table, cache) if table in shape else []
            ranks = [bisect.bisect_left(held, k[:80]) for k in ks]
            n = len({r * leaves // (entries + 1) for r in ranks})
            if depth >= 3:
                n += len({r * max(branches - 1, 1) // (entries + 1) for r in ranks}) + 1
            elif depth == 2:
                n += 1
            pages[table] += n
    count = len(chosen)
    print(f"{trace}: {count} commits of {len(commits)}, "
          f"{sum(len(c) for c in chosen) / count:.1f} puts and deletes a commit")
    print(f"{'table':20} {'% of commits':>12} {'puts+dels':>10} {'pages':>7}")
    for table, n in sorted(pages.items(), key=lambda x: -x[1]):
        print(f"{table:20} {100 * wrote[table] / count:12.0f} {writes[table] / count:10.2f} "
              f"{n / count:7.2f}")
    print(f"{'all':20} {'':12} {sum(writes.values()) / count:10.2f} "
          f"{sum(pages.values()) / count:7.2f}   (and the catalogue, free list, meta)")


if __name__ == "__main__":
    main()
