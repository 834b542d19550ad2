/*
 * test-stream-cache.c - a stream's fetch answers open each sealed event
 * once, not once per consumer (performance issue 16, stream_cache.h):
 * consumers of a sealed log get the very bytes they got without the cache,
 * within the same limits; the second one opens nothing; a value rewritten
 * under the same seq, another generation or a reopened store is never
 * answered from memory; the byte budget holds, whatever is dropped is
 * wiped, and the clear bytes stay out of core dumps, locked as entries
 * reach them (none resident in a cache never used), with one warning where
 * no lock is allowed.
 */
#define _GNU_SOURCE /* memmem */
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon_int.h"
#include "seal.h"
#include "stream_cache.h"
#include "testutil.h"

/* Publishes each upstream event again, for case "BT-<seq>". */
static int relay_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    (void)upstream;
    return turn_emit(t, arena_printf(t->arena, "BT-%llu", (unsigned long long)ev->seq),
                     turn_event(t));
}

static const char *const relay_upstreams[] = {"up", NULL};
static const char *const relay_consumers[] = {"first", "second", NULL};
static const service_t relay_service = {
    .name = "relay",
    .upstreams = relay_upstreams,
    .consumers = relay_consumers,
    .apply = relay_apply,
};

#define EVENTS 6

/* A relay daemon whose store is sealed under a fresh data key, with EVENTS
 * events on its stream. */
static daemon_t *sealed_relay(test_daemon_t *td)
{
    test_daemon_open(td, &relay_service, 1780000000000);
    daemon_t *d = td->d;
    store_close(&d->store);
    d->sec.ring = malloc(sizeof *d->sec.ring);
    seal_ring_new(d->sec.ring);
    d->sec.data_key_path = strdup("data.key");
    assert_int_equal(daemon_store_open(d, 0), 0);
    test_feed_range(d, "up", 1, EVENTS, EVENTS, 1, 0);
    return d;
}

/* The whole Reply stream_encode_batch_reply gives, through cache. */
static void encode(daemon_t *d, stream_cache_t *cache, uint64_t after, uint32_t max_events,
                   size_t max_bytes, buf_t *out)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    out->len = 0;
    assert_true(stream_encode_batch_reply(&d->stream, txn, cache, "r", after, max_events, max_bytes,
                                          out) >= 0);
    mdb_txn_abort(txn);
}

/* Whether cache gives the same bytes as opening every event. */
static void assert_same_as_opened(daemon_t *d, stream_cache_t *cache, uint64_t after,
                                  uint32_t max_events, size_t max_bytes)
{
    buf_t cached = {0}, opened = {0};
    encode(d, cache, after, max_events, max_bytes, &cached);
    encode(d, NULL, after, max_events, max_bytes, &opened);
    assert_int_equal(cached.len, opened.len);
    assert_memory_equal(cached.data, opened.data, opened.len);
    buf_free(&cached);
    buf_free(&opened);
}

/* The events of a fetch reply, packed one after the other. */
static void fetched(daemon_t *d, const char *consumer, buf_t *out)
{
    Legalaid__Reply *r = test_fetch(d, "relay", consumer, 0);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->batch->n_events, EVENTS);
    out->len = 0;
    for (size_t i = 0; i < r->batch->n_events; i++) {
        size_t n = legalaid__event__get_packed_size(r->batch->events[i]);
        buf_reserve(out, n);
        legalaid__event__pack(r->batch->events[i], out->data + out->len);
        out->len += n;
    }
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_second_consumer_opens_nothing(void **state)
{
    (void)state;
    test_daemon_t td;
    daemon_t *d = sealed_relay(&td);
    /* The log is sealed: without that the cache has nothing to save. */
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    unsigned char key[8];
    store_be64(1, key);
    MDB_val k = {8, key}, v;
    assert_int_equal(mdb_get(txn, d->stream.log, &k, &v), 0);
    assert_true(seal_is_sealed(v.mv_data, v.mv_size));
    mdb_txn_abort(txn);

    buf_t first = {0}, second = {0};
    fetched(d, "first", &first);
    assert_int_equal(d->fetch_cache.hits, 0);
    fetched(d, "second", &second);
    /* The second consumer's EVENTS events came from memory: EVENTS calls
     * of seal_open saved, the same bytes. */
    assert_int_equal(d->fetch_cache.hits, EVENTS);
    assert_int_equal(second.len, first.len);
    assert_memory_equal(second.data, first.data, first.len);

    /* The same limits: a few events, a few bytes, from further on. */
    assert_same_as_opened(d, &d->fetch_cache, 0, 2, SIZE_MAX / 2);
    assert_same_as_opened(d, &d->fetch_cache, 3, 100, SIZE_MAX / 2);
    assert_same_as_opened(d, &d->fetch_cache, 0, 100, 60);
    assert_same_as_opened(d, &d->fetch_cache, 0, 100, 1);

    /* A compaction reopens the store: nothing read before is kept. */
    store_close(&d->store);
    assert_int_equal(daemon_store_open(d, 0), 0);
    assert_int_equal(d->fetch_cache.n, 0);
    fetched(d, "second", &second);
    assert_memory_equal(second.data, first.data, first.len);
    buf_free(&first);
    buf_free(&second);
    test_daemon_close(&td);
}

/* Puts event seq of d's log again, for case_id: what a restore leaves
 * under the same seq. */
static void rewrite(daemon_t *d, uint64_t seq, const char *case_id)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
    unsigned char key[8];
    store_be64(seq, key);
    Legalaid__Event *ev;
    assert_int_equal(store_get_pb(txn, d->stream.log, key, 8, &legalaid__event__descriptor, NULL,
                                  (ProtobufCMessage **)&ev),
                     0);
    char *was = ev->case_id;
    ev->case_id = (char *)case_id;
    assert_int_equal(store_put_pb(txn, d->stream.log, key, 8, &ev->base, 0), 0);
    ev->case_id = was;
    legalaid__event__free_unpacked(ev, NULL);
    assert_int_equal(mdb_txn_commit(txn), 0);
}

static void test_rewritten_or_restored_never_stale(void **state)
{
    (void)state;
    test_daemon_t td;
    daemon_t *d = sealed_relay(&td);
    stream_cache_t *c = &d->fetch_cache;
    buf_t out = {0};
    encode(d, c, 0, 100, SIZE_MAX / 2, &out);
    assert_int_equal(c->n, EVENTS);

    /* The same generation, seq 3 sealed again with other content: opened
     * again, and nothing else kept is trusted. */
    rewrite(d, 3, "BT-restored");
    encode(d, c, 0, 100, SIZE_MAX / 2, &out);
    assert_non_null(memmem(out.data, out.len, "BT-restored", 11));
    assert_null(memmem(out.data, out.len, "BT-3", 4));
    assert_same_as_opened(d, c, 0, 100, SIZE_MAX / 2);

    /* Another generation (a restore): the very same sealed values are
     * opened again, not answered from the old one. */
    uint64_t hits = c->hits;
    d->stream.epoch = 2;
    encode(d, c, 0, 100, SIZE_MAX / 2, &out);
    assert_int_equal(c->hits, hits);
    assert_int_equal(c->epoch, 2);
    assert_same_as_opened(d, c, 0, 100, SIZE_MAX / 2);
    buf_free(&out);
    test_daemon_close(&td);
}

/* A sealed value and its clear bytes for seq: "clear-SEQ" padded to size. */
typedef struct fake_event {
    unsigned char sealed[SEAL_OVERHEAD + 240];
    char clear[240];
    MDB_val s, c;
} fake_event_t;

static void fake(fake_event_t *e, uint64_t seq, size_t size)
{
    memset(e->clear, '.', size);
    int n = snprintf(e->clear, size, "clear-%llu;", (unsigned long long)seq);
    e->clear[n] = '.';
    memset(e->sealed, 0, sizeof e->sealed);
    e->sealed[1] = SEAL_CLEAR;
    memcpy(e->sealed + SEAL_HEADER, &seq, sizeof seq);
    e->s = (MDB_val){SEAL_OVERHEAD + size, e->sealed};
    e->c = (MDB_val){size, e->clear};
}

static int cached(stream_cache_t *c, uint64_t seq, size_t size)
{
    fake_event_t e;
    fake(&e, seq, size);
    MDB_val v = e.s;
    if (!stream_cache_get(c, 1, seq, &v)) return 0;
    assert_int_equal(v.mv_size, size);
    assert_memory_equal(v.mv_data, e.clear, size);
    return 1;
}

/* Whether the clear bytes of seq are anywhere in the cache's buffer. */
static int in_buffer(const stream_cache_t *c, uint64_t seq)
{
    char mark[32];
    snprintf(mark, sizeof mark, "clear-%llu;", (unsigned long long)seq);
    return memmem(c->bytes, c->budget, mark, strlen(mark)) != NULL;
}

static void test_budget_oldest_first_and_wiped(void **state)
{
    (void)state;
    stream_cache_t c;
    stream_cache_init(&c, 4096);
    fake_event_t e;
    for (uint64_t seq = 1; seq <= 100; seq++) {
        size_t size = 40 + seq % 7 * 20;
        fake(&e, seq, size);
        stream_cache_put(&c, 1, seq, &e.s, &e.c);
        assert_true(c.used <= c.budget);
        assert_true(cached(&c, seq, size)); /* the newest is always kept */
    }
    /* Oldest dropped first: a run ending at the newest. */
    assert_int_equal(c.first + c.n - 1, 100);
    assert_true(c.first > 1);
    assert_false(cached(&c, c.first - 1, 40 + (c.first - 1) % 7 * 20));
    for (uint64_t seq = c.first; seq <= 100; seq++) assert_true(cached(&c, seq, 40 + seq % 7 * 20));
    /* What was dropped is nowhere in memory; what is kept is. */
    for (uint64_t seq = 1; seq < c.first; seq++) assert_false(in_buffer(&c, seq));
    assert_true(in_buffer(&c, 100));
    /* Emptied: nothing left in the whole buffer, not even behind what was
     * in use (what each drop moved down). */
    stream_cache_clear(&c);
    for (uint64_t seq = 1; seq <= 100; seq++) assert_false(in_buffer(&c, seq));

    /* Too large for it, older than its run: not kept. After a gap: the run
     * starts again there, the rest wiped. */
    stream_cache_free(&c);
    stream_cache_init(&c, 800);
    fake(&e, 101, 201);
    stream_cache_put(&c, 1, 101, &e.s, &e.c);
    assert_int_equal(c.n, 0);
    fake(&e, 10, 40);
    stream_cache_put(&c, 1, 10, &e.s, &e.c);
    fake(&e, 11, 40);
    stream_cache_put(&c, 1, 11, &e.s, &e.c);
    fake(&e, 9, 40);
    stream_cache_put(&c, 1, 9, &e.s, &e.c);
    assert_false(cached(&c, 9, 40));
    fake(&e, 20, 40);
    stream_cache_put(&c, 1, 20, &e.s, &e.c);
    assert_int_equal(c.first, 20);
    assert_false(in_buffer(&c, 10));
    assert_false(in_buffer(&c, 11));
    stream_cache_free(&c);
}

/* The VmFlags of the mapping that holds p (/proc/self/smaps), or "". */
static const char *vmflags_of(const void *p)
{
    static char flags[256];
    char line[512];
    uintptr_t at = (uintptr_t)p, lo = 0, hi = 0;
    int inside = 0;
    flags[0] = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        uintptr_t a, b;
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &a, &b) == 2) {
            lo = a;
            hi = b;
            inside = at >= lo && at < hi;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(flags, sizeof flags, "%.255s", line + 8); /* flags[256] */
            break;
        }
    }
    fclose(f);
    return flags;
}

/* Whether mlock really locks len bytes here: the limit (RLIMIT_MEMLOCK,
 * root's CAP_IPC_LOCK) allows it, and no sanitizer answers mlock without
 * locking (AddressSanitizer's does). */
static int mlock_locks(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    int locked = mlock(p, len) == 0 && strstr(vmflags_of(p), " lo") != NULL;
    munlock(p, len);
    munmap(p, len);
    return locked;
}

/* The kB of field ("Rss:", "Locked:") of the mappings within [p, p + len)
 * (/proc/self/smaps: a lock of part of a mapping splits it); 1 in *dumped
 * when one of them is not left out of a core dump ("dd"). */
static long region_kb(const void *p, size_t len, const char *field, int *dumped)
{
    char line[512];
    uintptr_t from = (uintptr_t)p, to = from + len;
    int inside = 0;
    long kb = 0;
    *dumped = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        uintptr_t a, b;
        long n;
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &a, &b) == 2) {
            inside = a >= from && b <= to;
        } else if (inside && strncmp(line, field, strlen(field)) == 0 &&
                   sscanf(line + strlen(field), "%ld", &n) == 1) {
            kb += n;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0 && !strstr(line, " dd")) {
            *dumped = 1;
        }
    }
    fclose(f);
    return kb;
}

/* The clear bytes are left out of a core dump ("dd") from the start, and
 * locked ("lo") as the entries reach them, where this process may lock
 * that much: a fresh cache (a daemon no consumer fetches from) has none of
 * its megabyte resident, nor locked. */
static void test_clear_bytes_not_dumped(void **state)
{
    (void)state;
    int may_lock = mlock_locks(STREAM_CACHE_BYTES), dumped;
    stream_cache_t c;
    stream_cache_init(&c, STREAM_CACHE_BYTES);
    assert_int_equal(region_kb(c.bytes, STREAM_CACHE_BYTES, "Rss:", &dumped), 0);
    assert_int_equal(region_kb(c.bytes, STREAM_CACHE_BYTES, "Locked:", &dumped), 0);
    assert_false(dumped);
    const char *flags = vmflags_of(c.bytes);
    if (!strstr(flags, " dd")) fail_msg("the cache's mapping is dumped: VmFlags:%s", flags);

    fake_event_t e;
    fake(&e, 1, 200);
    stream_cache_put(&c, 1, 1, &e.s, &e.c);
    flags = vmflags_of(c.bytes);
    if (may_lock && !strstr(flags, " lo"))
        fail_msg("the cache's first event is not locked: VmFlags:%s", flags);
    long locked = region_kb(c.bytes, STREAM_CACHE_BYTES, "Locked:", &dumped);
    assert_false(dumped);
    if (may_lock) assert_true(locked > 0 && locked < STREAM_CACHE_BYTES / 1024);
    /* Full once: every page locked, none dumped. */
    for (uint64_t seq = 2; c.used + 500 < STREAM_CACHE_BYTES; seq++) {
        fake(&e, seq, 200);
        stream_cache_put(&c, 1, seq, &e.s, &e.c);
        if (c.n == STREAM_CACHE_EVENTS) break;
    }
    locked = region_kb(c.bytes, STREAM_CACHE_BYTES, "Locked:", &dumped);
    assert_false(dumped);
    if (may_lock) assert_int_equal(locked, STREAM_CACHE_BYTES / 1024);
    stream_cache_free(&c);
}

/* No lock allowed from here on: RLIMIT_MEMLOCK 0, and root's CAP_IPC_LOCK
 * dropped (no libcap: the system call). */
static void memlock_forbid(void)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_MEMLOCK, &none);
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &hdr, data) != 0) return;
    data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
    syscall(SYS_capset, &hdr, data);
}

/* Whether mlock fails here (AddressSanitizer's answers success, locking
 * nothing, whatever the limit). */
static int mlock_refused(void)
{
    size_t len = (size_t)sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    int refused = mlock(p, len) != 0;
    munmap(p, len);
    return refused;
}

/* Where no lock is allowed: nothing said while nothing is kept, then one
 * warning however many pages the entries reach, and the cache works. The
 * child's exit status: 0, or 2 where mlock cannot be made to fail (a
 * sanitizer's), 1 when the cache does not work. */
static void test_lock_refused_said_once(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        memlock_forbid();
        if (!mlock_refused()) _exit(2);
        stream_cache_t c;
        stream_cache_init(&c, STREAM_CACHE_BYTES);
        fputs("init\n", stderr);
        fake_event_t e;
        for (uint64_t seq = 1; seq <= 600; seq++) {
            fake(&e, seq, 200);
            stream_cache_put(&c, 1, seq, &e.s, &e.c);
        }
        int ok = cached(&c, 600, 200) && c.n == 600;
        stream_cache_free(&c);
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    char got[4096];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof got - 1 && (n = read(fds[0], got + len, sizeof got - 1 - len)) > 0)
        len += (size_t)n;
    got[len] = 0;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 2) skip();
    assert_int_equal(WEXITSTATUS(status), 0);
    const char *warned = strstr(got, "LimitMEMLOCK=");
    if (!warned || strstr(warned + 1, "LimitMEMLOCK=")) fail_msg("not one warning: %s", got);
    assert_true(strncmp(got, "init\n", 5) == 0); /* nothing said before */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_consumer_opens_nothing),
        cmocka_unit_test(test_rewritten_or_restored_never_stale),
        cmocka_unit_test(test_budget_oldest_first_and_wiped),
        cmocka_unit_test(test_clear_bytes_not_dumped),
        cmocka_unit_test(test_lock_refused_said_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
