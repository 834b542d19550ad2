/*
 * storecheck.c - the start-up check of an LMDB environment and the watch
 * for damage found later (see storecheck.h).
 */
#include "storecheck.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"

static sigjmp_buf storecheck_jmp;
static volatile sig_atomic_t storecheck_guarded;
static volatile sig_atomic_t storecheck_signal;
static char storecheck_assertion[300];

/* SIGBUS (a page past the end of a truncated file) or SIGSEGV (a pointer
 * read from a garbage page). In the guarded region: back to the check.
 * Later (only SIGBUS is watched): one line, exit 76; nothing else is safe
 * in a signal handler. */
static void storecheck_fault(int sig)
{
    if (storecheck_guarded) {
        storecheck_signal = sig;
        siglongjmp(storecheck_jmp, 1);
    }
    log_flush_raw(); /* the lines of the turn that met it */
    static const char line[] =
        "legalaid: fatal: data damaged: bus error reading the LMDB environment (data.mdb "
        "truncated or its disk failing); restore from backup, see README (exit 76)\n";
    ssize_t w = write(2, line, sizeof line - 1);
    (void)w;
    _exit(STORECHECK_EXIT);
}

/* LMDB's assertion (an impossible page): back to the check in the guarded
 * region; later, the line and exit 76 instead of abort(). */
static void storecheck_assert(MDB_env *env, const char *msg)
{
    (void)env;
    if (storecheck_guarded) {
        snprintf(storecheck_assertion, sizeof storecheck_assertion, "%s", msg);
        siglongjmp(storecheck_jmp, 2);
    }
    log_flush_raw(); /* held by the loop's thread; this may be a worker */
    log_fatal(_("data damaged: LMDB found an impossible page (%s); restore from backup, see "
                "README (exit %d)"),
              msg, STORECHECK_EXIT);
    _exit(STORECHECK_EXIT);
}

/* LMDB's on-disk format (version 1, lmdb 0.9): a page starts with its own
 * number (8 bytes), 2 bytes of padding, its flags (2), then lower and upper
 * (2 each) bounding its free space; a table's record (MDB_db, 48 bytes)
 * ends with its root's page number; a meta page holds the free and the
 * main table's records from byte 40 and its transaction id at 144. */
#define SC_HDR 16
#define SC_DB_SIZE 48
#define SC_DB_ROOT 40
#define SC_META_DBS (SC_HDR + 24)
#define SC_META_TXNID (SC_META_DBS + 2 * SC_DB_SIZE + 8)
#define SC_P_BRANCH 0x01
#define SC_P_LEAF 0x02
#define SC_P_LEAF2 0x20
#define SC_NO_PAGE UINT64_MAX

typedef struct storecheck_map {
    const unsigned char *base;
    size_t len; /* of the view at base (munmap) */
    size_t psize;
    uint64_t last_pgno;
} storecheck_map_t;

static uint64_t storecheck_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static unsigned storecheck_u16(const unsigned char *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The file against its meta page: every page the meta counts is inside
 * data.mdb, and inside the map. 0 or -1 with why. */
static int storecheck_size(MDB_env *env, storecheck_map_t *m, char *why, size_t whylen)
{
    MDB_envinfo info;
    MDB_stat st;
    int fd;
    struct stat sb;
    int rc = mdb_env_info(env, &info);
    if (!rc) rc = mdb_env_stat(env, &st);
    if (!rc) rc = mdb_env_get_fd(env, &fd);
    if (rc || fstat(fd, &sb) < 0) {
        snprintf(why, whylen, "cannot read the meta page of data.mdb: %s",
                 rc ? mdb_strerror(rc) : "fstat failed");
        return -1;
    }
    uint64_t need = ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
    m->psize = st.ms_psize;
    m->last_pgno = info.me_last_pgno;
    if ((uint64_t)sb.st_size < need) {
        snprintf(why, whylen,
                 "data.mdb is %lld bytes, but its meta page counts %llu pages of %u bytes "
                 "(%llu bytes): the file was cut short",
                 (long long)sb.st_size, (unsigned long long)info.me_last_pgno + 1, st.ms_psize,
                 (unsigned long long)need);
        return -1;
    }
    if (need > info.me_mapsize) {
        snprintf(why, whylen, "data.mdb's pages need %llu bytes, more than its map of %zu",
                 (unsigned long long)need, info.me_mapsize);
        return -1;
    }
    /* A view of its own (LMDB does not say where its map is), read only. */
    void *base = mmap(NULL, (size_t)need, PROT_READ, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        snprintf(why, whylen, "cannot map data.mdb to check it: %s", strerror(errno));
        return -1;
    }
    m->base = base;
    m->len = (size_t)need;
    return 0;
}

/* The root page of table (a record db of SC_DB_SIZE bytes) is a page of
 * the file that names itself, a branch or a leaf, with its bounds inside
 * it. 0 or -1 with why. */
static int storecheck_root(const storecheck_map_t *m, const unsigned char *db, const char *table,
                           char *why, size_t whylen)
{
    uint64_t root = storecheck_u64(db + SC_DB_ROOT);
    if (root == SC_NO_PAGE) return 0; /* an empty table has no root */
    if (root < 2 || root > m->last_pgno) {
        snprintf(why, whylen, "table %s's root is page %llu, outside the %llu pages of data.mdb",
                 table, (unsigned long long)root, (unsigned long long)m->last_pgno + 1);
        return -1;
    }
    const unsigned char *pg = m->base + root * m->psize;
    unsigned flags = storecheck_u16(pg + 10) & ~(unsigned)SC_P_LEAF2;
    unsigned lower = storecheck_u16(pg + 12), upper = storecheck_u16(pg + 14);
    if (storecheck_u64(pg) != root || (flags != SC_P_BRANCH && flags != SC_P_LEAF) ||
        lower < SC_HDR || lower > upper || upper > m->psize) {
        snprintf(why, whylen, "table %s's root, page %llu, is not a page of LMDB (overwritten)",
                 table, (unsigned long long)root);
        return -1;
    }
    return 0;
}

/* The newer meta page's free and main tables. 0 or -1 with why. */
static int storecheck_meta(const storecheck_map_t *m, char *why, size_t whylen)
{
    const unsigned char *m0 = m->base, *m1 = m->base + m->psize;
    const unsigned char *meta =
        storecheck_u64(m1 + SC_META_TXNID) > storecheck_u64(m0 + SC_META_TXNID) ? m1 : m0;
    if (storecheck_root(m, meta + SC_META_DBS, "(free pages)", why, whylen) < 0) return -1;
    return storecheck_root(m, meta + SC_META_DBS + SC_DB_SIZE, "(main)", why, whylen);
}

/* Reads table name (NULL: the main table) in txn: its statistics (the
 * root), its first and its last entry (each a path from the root to a
 * leaf). 0, or an LMDB error. A key of the main table that is not a table
 * is passed over (MDB_INCOMPATIBLE). */
static int storecheck_table(MDB_txn *txn, const char *name, MDB_dbi *dbi)
{
    int rc = mdb_dbi_open(txn, name, 0, dbi);
    if (rc) return rc;
    MDB_stat st;
    rc = mdb_stat(txn, *dbi, &st);
    if (rc) return rc;
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, *dbi, &c);
    if (rc) return rc;
    MDB_val k, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    if (!rc) rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Every table of the environment, in one read transaction. 0 or -1 with why. */
static int storecheck_tables(MDB_env *env, const storecheck_map_t *m, char *why, size_t whylen)
{
    MDB_txn *txn = NULL;
    int rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    MDB_dbi main_dbi;
    if (!rc) rc = storecheck_table(txn, NULL, &main_dbi);
    if (rc) {
        snprintf(why, whylen, "the main table does not read: %s", mdb_strerror(rc));
        if (txn) mdb_txn_abort(txn);
        return -1;
    }
    MDB_cursor *c = NULL;
    rc = mdb_cursor_open(txn, main_dbi, &c);
    MDB_val k, v;
    int n = 0;
    for (rc = rc ? rc : mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        char name[128];
        if (k.mv_size == 0 || k.mv_size >= sizeof name || memchr(k.mv_data, 0, k.mv_size))
            continue;
        memcpy(name, k.mv_data, k.mv_size);
        name[k.mv_size] = 0;
        if (v.mv_size == SC_DB_SIZE && storecheck_root(m, v.mv_data, name, why, whylen) < 0) {
            rc = MDB_CORRUPTED;
            break;
        }
        MDB_dbi dbi;
        int trc = storecheck_table(txn, name, &dbi);
        if (trc == MDB_INCOMPATIBLE) continue;
        if (trc) {
            snprintf(why, whylen, "table %s does not read: %s", name, mdb_strerror(trc));
            rc = trc;
            break;
        }
        n++;
    }
    if (rc == MDB_NOTFOUND) {
        rc = 0;
    } else if (rc && !why[0]) {
        snprintf(why, whylen, "the list of tables does not read: %s", mdb_strerror(rc));
    }
    if (c) mdb_cursor_close(c); /* a read transaction's cursor outlives it */
    mdb_txn_abort(txn);
    if (!rc) log_debug("store check: %d tables read", n);
    return rc ? -1 : 0;
}

int storecheck_env(MDB_env *env, char *why, size_t whylen)
{
    struct sigaction sa, old_bus, old_segv;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = storecheck_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &old_bus);
    sigaction(SIGSEGV, &sa, &old_segv);
    mdb_env_set_assert(env, storecheck_assert);
    why[0] = 0;
    volatile int rc = -1;
    static storecheck_map_t m; /* static: unmapped after a jump too */
    memset(&m, 0, sizeof m);
    int jumped = sigsetjmp(storecheck_jmp, 1);
    if (jumped == 0) {
        storecheck_guarded = 1;
        rc = storecheck_size(env, &m, why, whylen);
        if (rc == 0) rc = storecheck_meta(&m, why, whylen);
        if (rc == 0) rc = storecheck_tables(env, &m, why, whylen);
    } else if (jumped == 1) {
        snprintf(why, whylen, "%s reading its pages (data.mdb cut short or overwritten)",
                 storecheck_signal == SIGBUS ? "bus error" : "segmentation fault");
        rc = -1;
    } else {
        snprintf(why, whylen, "LMDB found an impossible page (%s)", storecheck_assertion);
        rc = -1;
    }
    storecheck_guarded = 0;
    if (m.base) munmap((void *)m.base, m.len);
    mdb_env_set_assert(env, NULL);
    sigaction(SIGBUS, &old_bus, NULL);
    sigaction(SIGSEGV, &old_segv, NULL);
    return rc;
}

void storecheck_watch(MDB_env *env)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = storecheck_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
    mdb_env_set_assert(env, storecheck_assert);
}
