/*
 * bench-ageq.c - what a queue's ages cost the status that shows them
 * (common/ageq.c): a backlog of MEMBERS (default 1,000,000) left waiting in
 * one queue for two days, entered over one hour (a terminal that never
 * fetched, a burst that stuck), and a young queue beside it; prints how long
 * the moves took, how long counting them all again at an open takes (after
 * an older build ran on the store), and how long one status of both queues
 * takes: the ops
 * board and `legalaidctl queues` ask for it every few seconds, each time in
 * the daemon's one loop.
 *
 * Usage: bench-ageq [MEMBERS] [DIR]. A benchmark, not a test: it prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ageq.h"
#include "arena.h"
#include "clock.h"
#include "store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "bench-ageq: %s: %s\n", what, mdb_strerror(rc));
    return 1;
}

int main(int argc, char **argv)
{
    long members = argc > 1 ? atol(argv[1]) : 1000000;
    char dir[] = "/tmp/bench-ageq.XXXXXX";
    const char *where = argc > 2 ? argv[2] : NULL;
    if (members < 1 || (!where && !mkdtemp(dir))) {
        fprintf(stderr, "usage: bench-ageq [MEMBERS] [DIR]\n");
        return 2;
    }
    if (!where) where = dir;
    MDB_env *env;
    MDB_txn *txn;
    int rc = mdb_env_create(&env);
    if (!rc) rc = mdb_env_set_maxdbs(env, 8);
    if (!rc) rc = mdb_env_set_mapsize(env, (size_t)4 << 30);
    if (!rc) rc = mdb_env_open(env, where, MDB_NOSYNC, 0600);
    if (rc) return fail("open", rc);
    const int64_t now = 1780000000000LL, stuck = now - 2 * MS_PER_DAY;
    ageq_t q;
    double t0 = now_s();
    char id[32];
    for (long i = 0; i < members;) {
        if ((rc = mdb_txn_begin(env, NULL, 0, &txn))) return fail("begin", rc);
        if ((rc = ageq_open(txn, &q, NULL))) return fail("ageq_open", rc);
        for (long end = i + 10000; i < members && i < end; i++) {
            snprintf(id, sizeof id, "N%09ld", i);
            rc = ageq_set(txn, &q, id, "outbox.unrouted", stuck + i * MS_PER_HOUR / members);
            if (!rc && i % 100 == 0) {
                snprintf(id, sizeof id, "Y%09ld", i);
                rc = ageq_set(txn, &q, id, "outbox.queued", now - (i % 600) * 1000);
            }
            if (rc) return fail("ageq_set", rc);
        }
        if ((rc = mdb_txn_commit(txn))) return fail("commit", rc);
    }
    double moved = now_s() - t0;
    /* As after an older build ran on the store: its mark dropped, every
     * member counted again at the next open. */
    if ((rc = mdb_txn_begin(env, NULL, 0, &txn))) return fail("begin", rc);
    if ((rc = ageq_open(txn, &q, NULL))) return fail("ageq_open", rc);
    unsigned char mark[2] = {0, 3};
    MDB_val mk = {2, mark};
    if ((rc = mdb_del(txn, q.by_id, &mk, NULL))) return fail("mark", rc);
    double r0 = now_s();
    if ((rc = ageq_open(txn, &q, NULL))) return fail("ageq_open", rc);
    double recounted = now_s() - r0;
    if ((rc = mdb_txn_commit(txn))) return fail("commit", rc);
    static const char *const queues[] = {"outbox.unrouted", "outbox.queued", NULL};
    arena_t a;
    arena_init(&a);
    double best = 1e9, t1 = now_s();
    int rounds = 0;
    uint64_t old = 0;
    do {
        if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn))) return fail("begin", rc);
        if ((rc = ageq_open(txn, &q, NULL))) return fail("ageq_open", rc);
        Legalaid__StreamStatus st = LEGALAID__STREAM_STATUS__INIT;
        double s = now_s();
        if ((rc = ageq_status(txn, &q, queues, now, &st, &a))) return fail("ageq_status", rc);
        s = now_s() - s;
        if (s < best) best = s;
        old = st.queue_ages[0]->buckets[3];
        mdb_txn_abort(txn);
        arena_reset(&a);
        rounds++;
    } while (now_s() - t1 < 2 && rounds < 1000);
    printf("bench-ageq: %ld members put (%ld young beside them) in %.2f s; counted again at an "
           "open in %.2f s; one status of both queues: %.3f ms (best of %d); %llu counted between "
           "1 and 7 days old\n",
           members, members / 100, moved, recounted, best * 1000, rounds, (unsigned long long)old);
    arena_destroy(&a);
    mdb_env_close(env);
    if (where == dir) {
        char f[64];
        snprintf(f, sizeof f, "%s/data.mdb", dir);
        unlink(f);
        snprintf(f, sizeof f, "%s/lock.mdb", dir);
        unlink(f);
        rmdir(dir);
    }
    return 0;
}
