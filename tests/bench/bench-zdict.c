/*
 * bench-zdict.c - what learning a packing dictionary costs on a large
 * table (common/zpack.c): the walk that samples the table is O(table), and
 * it runs inside a write transaction, once a table has had ZPACK_AGAIN
 * values more or when its values drift.
 *
 * Puts RECORDS values of about 600 bytes (a case's record of its messages,
 * as notify keeps it: each its own case, dates, person and lawyer) into one sealed, packed table
 * of a fresh store in DIR, in turns of 500 puts, each its own write
 * transaction as a daemon's turn (fsync off: the walk is what is measured,
 * not the disk). The store logs each dictionary it makes, with the values
 * it took and the milliseconds it took; this program prints each turn that
 * made one beside the mean turn, then the table's size.
 *
 * Usage: bench-zdict [RECORDS] [DIR] (default 1000000 in /tmp). Prints
 * figures; exits 1 on an error. By hand, never a timed test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "seal.h"
#include "store.h"
#include "zpack.h"

#define TURN 500

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Value i: a case's record of its messages, as notify keeps it: what
 * every record repeats (the templates' words, the channels, the centre)
 * and what is its own (the case, the person, the dates, the lawyer). */
static size_t value_of(unsigned i, char *out, size_t cap)
{
    return (size_t)snprintf(
        out, cap,
        "notes BT-2026-%07u | sms 1380471%04u receipt 您的法律援助申请已受理，案号 BT-2026-%07u "
        "sent 2026-11-%02uT09:%02u | sms decision 经审查，您的申请符合《法律援助法》第%u条，"
        "决定给予法律援助 sent 2026-11-%02uT15:%02u | wechat lawyer 指派律师 L%04u 内蒙古测试律师事务所 "
        "电话 139%08u | letter 包头市法律援助中心 昆都仑区 钢铁大街 %u 号 | reminder 请于 2026-12-%02u 前"
        "携带身份证件到中心签署委托协议",
        i, i % 10000, i, 1 + i % 28, i % 60, 31 + i % 12, 1 + (i + 3) % 28, (i * 7) % 60,
        1 + i % 2500, 4720000 + i % 2500, 1 + i % 300, 1 + (i + 9) % 28);
}

/* How many dictionaries the table has had (0: none yet), from zcurrent. */
static unsigned newest_dict(MDB_env *env)
{
    MDB_txn *txn;
    MDB_dbi dbi;
    unsigned n = 0;
    if (mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) return 0;
    if (mdb_dbi_open(txn, "zcurrent", 0, &dbi) == 0) {
        MDB_cursor *c;
        MDB_val k, v;
        if (mdb_cursor_open(txn, dbi, &c) == 0) {
            while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0)
                if (v.mv_size >= 8) { /* [number][how many so far]... (zpack.c) */
                    const unsigned char *b = (const unsigned char *)v.mv_data + 4;
                    n = (unsigned)b[0] << 24 | (unsigned)b[1] << 16 | (unsigned)b[2] << 8 | b[3];
                }
            mdb_cursor_close(c);
        }
    }
    mdb_txn_abort(txn);
    return n;
}

int main(int argc, char **argv)
{
    unsigned records = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000000;
    const char *base = argc > 2 ? argv[2] : "/tmp";
    if (records < TURN) {
        fprintf(stderr, "usage: bench-zdict [RECORDS >= %d] [DIR]\n", TURN);
        return 1;
    }
    log_init("bench-zdict");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/bench-zdict.XXXXXX", base); /* mkdtemp's template */
    if (!mkdtemp(dir)) return perror(dir), 1;
    seal_ring_t ring;
    seal_ring_new(&ring);
    store_t s;
    MDB_txn *txn;
    MDB_dbi table;
    if (store_open(&s, dir, (size_t)8 << 30, 1)) return fprintf(stderr, "bench-zdict: no store in %s\n", dir), 1;
    store_seal(&s, &ring, "bench");
    if (store_begin(s.env, NULL, &txn) || store_pack(&s, txn) ||
        store_table_sealed(txn, "case_notes", &table) || store_commit(txn))
        return fprintf(stderr, "bench-zdict: the table did not open\n"), 1;
    char key[16], val[1024];
    double total = 0, plain = 0;
    unsigned turns = 0, plain_turns = 0, dict = 0;
    printf("bench-zdict: %u values of about 600 bytes, in turns of %d puts (one write transaction "
           "each)\n",
           records, TURN);
    fflush(stdout);
    for (unsigned i = 0; i < records; i += TURN) {
        double t0 = now_ms();
        int rc = store_begin(s.env, NULL, &txn);
        for (unsigned j = i; !rc && j < i + TURN && j < records; j++) {
            snprintf(key, sizeof key, "BT-%07u", j);
            size_t n = value_of(j, val, sizeof val);
            rc = store_put_value(txn, table, key, strlen(key), val, n, 0);
        }
        if (!rc) rc = store_commit(txn);
        if (rc == MDB_MAP_FULL) rc = store_grow(&s);
        if (rc) return fprintf(stderr, "bench-zdict: a turn failed: %s\n", store_strerror(rc)), 1;
        double ms = now_ms() - t0;
        unsigned now = newest_dict(s.env);
        total += ms;
        turns++;
        if (now != dict) {
            printf("bench-zdict: the turn after value %u made its dictionary %u: %.1f ms (a turn "
                   "without one so far: %.2f ms on average)\n",
                   i + TURN, now, ms, plain_turns ? plain / plain_turns : 0.0);
            fflush(stdout);
            dict = now;
        } else {
            plain += ms;
            plain_turns++;
        }
    }
    MDB_stat st;
    if (mdb_txn_begin(s.env, NULL, MDB_RDONLY, &txn) == 0) {
        if (mdb_stat(txn, table, &st) == 0)
            printf("bench-zdict: the table holds %zu values in %zu leaf pages (depth %u); %u turns, "
                   "%.2f ms on average\n",
                   (size_t)st.ms_entries, (size_t)st.ms_leaf_pages, st.ms_depth, turns,
                   total / turns);
        mdb_txn_abort(txn);
    }
    store_close(&s);
    seal_ring_wipe(&ring);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench-zdict: %s left behind\n", dir);
    return 0;
}
