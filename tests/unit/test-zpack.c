/*
 * test-zpack.c - the values of sealed tables packed with a dictionary of
 * their table (issue 16, the footprint): they read back as written, kept
 * in a fraction of the bytes; a dictionary made in a transaction that is
 * undone (whole, or a child's) is never named by a value that outlives it;
 * a value whose kind was changed in the file, or whose dictionary is
 * missing, does not open; the dictionaries are re-sealed like any sealed
 * value; a table learns its second dictionary soon and later ones
 * rarely, and values packed with each still read; no value of an undone
 * transaction is learnt; a table of brief values is never packed; values
 * that begin like a zstd dictionary still pack; a dictionary is made of
 * values from across its table and its latest; values that change are
 * learnt again soon; an odd zcurrent entry does
 * not stop writes; a store a newer build wrote is refused at open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_int.h"
#include "intake.h"
#include "intakekit.h"
#include "seal.h"
#include "store.h"
#include "testutil.h"
#include "zpack.h"

typedef struct zfix {
    char *dir;
    seal_ring_t ring;
    store_t store;
    MDB_dbi table;
} zfix_t;

/* Opens the store in f->dir as a daemon does: sealing, the table
 * "decisions" sealed, packing on. */
static void zfix_open(zfix_t *f)
{
    assert_int_equal(store_open(&f->store, f->dir, 64 << 20, 1), 0);
    store_seal(&f->store, &f->ring, "test");
    MDB_txn *txn;
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    assert_int_equal(store_pack(&f->store, txn), 0);
    assert_int_equal(store_table_sealed(txn, "decisions", &f->table), 0);
    assert_int_equal(store_commit(txn), 0);
}

static int zfix_setup(void **state)
{
    zfix_t *f = calloc(1, sizeof *f);
    f->dir = strdup(test_tmpdir());
    seal_ring_new(&f->ring);
    zfix_open(f);
    *state = f;
    return 0;
}

static int zfix_teardown(void **state)
{
    zfix_t *f = *state;
    store_close(&f->store);
    test_rmdir(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Value i: about 600 bytes that repeat what records of a table repeat (the
 * same words and codes), with a case's own numbers and name. */
static size_t value_of(unsigned i, char *out, size_t cap)
{
    return (size_t)snprintf(out, cap,
                            "case BT-2026-%06u outcome APPROVED means NO_MEANS_TEST "
                            "articles Legal Aid Law art. 25(1)(1); Legal Aid Law art. 36 "
                            "reason reason.notice @authority.court 包头市昆都仑区人民法院 "
                            "@ground.minor @role.defender deadline 2026-12-%02u 24:00 "
                            "tests scope.notice @authority.court @ground.minor "
                            "@role.defender_art25 means.notice deadline.notice 3 "
                            "green.groups @text @group.elderly @green.aged %u 65 "
                            "emergency.none same_day.no applicant 申请人%u "
                            "id 1502031960%08u rule_version 2022-01-01 centre BT",
                            i, 1 + i % 28, 60 + i % 30, i, i * 7919u % 100000000u);
}

static void key_of(unsigned i, char out[16])
{
    snprintf(out, 16, "BT-%06u", i);
}

/* Puts values [from, to) in txn. */
static void put_range(zfix_t *f, MDB_txn *txn, unsigned from, unsigned to)
{
    char key[16], val[1024];
    for (unsigned i = from; i < to; i++) {
        key_of(i, key);
        size_t n = value_of(i, val, sizeof val);
        assert_int_equal(store_put_value(txn, f->table, key, strlen(key), val, n, 0), 0);
    }
}

/* Puts values [from, to) in a transaction of their own, committed. */
static void put_committed(zfix_t *f, unsigned from, unsigned to)
{
    MDB_txn *txn;
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    put_range(f, txn, from, to);
    assert_int_equal(store_commit(txn), 0);
}

/* Each of values [from, to) reads back as written; returns how many are
 * kept packed, and adds their stored bytes to *stored and clear to *clear. */
static unsigned read_range(zfix_t *f, unsigned from, unsigned to, size_t *stored, size_t *clear)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(f->store.env, NULL, MDB_RDONLY, &txn), 0);
    unsigned packed = 0;
    char key[16], want[1024];
    for (unsigned i = from; i < to; i++) {
        key_of(i, key);
        size_t n = value_of(i, want, sizeof want);
        MDB_val k = {strlen(key), key}, v;
        assert_int_equal(mdb_get(txn, f->table, &k, &v), 0);
        assert_true(seal_is_sealed(v.mv_data, v.mv_size));
        if (seal_kind(v.mv_data) == SEAL_PACKED) packed++;
        if (stored) *stored += v.mv_size;
        if (clear) *clear += n;
        int rc = store_value(txn, &k, &v);
        if (rc) fail_msg("value %u does not open: %s", i, store_strerror(rc));
        assert_int_equal(v.mv_size, n);
        assert_memory_equal(v.mv_data, want, n);
    }
    mdb_txn_abort(txn);
    return packed;
}

static void reopen(zfix_t *f)
{
    store_close(&f->store);
    zfix_open(f);
}

static void test_values_read_back_in_a_fraction_of_the_bytes(void **state)
{
    zfix_t *f = *state;
    MDB_txn *txn;
    for (unsigned b = 0; b < 8; b++) { /* eight turns of 50 */
        assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
        put_range(f, txn, b * 50, b * 50 + 50);
        assert_int_equal(store_commit(txn), 0);
    }
    unsigned packed = read_range(f, 0, 400, NULL, NULL);
    /* The value that brings the table to ZPACK_FIRST_BYTES makes its first
     * dictionary and is packed with it, and every value after it. */
    unsigned first = 0;
    while (first < 400 && read_range(f, first, first + 1, NULL, NULL) == 0) first++;
    size_t clear = 0;
    read_range(f, 0, first, NULL, &clear);
    if (clear >= ZPACK_FIRST_BYTES || clear + 1024 < ZPACK_FIRST_BYTES)
        fail_msg("the first packed value came after %zu bytes", clear);
    assert_int_equal(packed, 400 - first);
    size_t pstored = 0, pclear = 0;
    read_range(f, first, 400, &pstored, &pclear);
    if (pstored * 4 > pclear) fail_msg("%zu bytes kept for %zu", pstored, pclear);
    zpack_counts_t c;
    zpack_counts(f->store.zpack, &c);
    assert_int_equal(c.dicts, 1);
    /* A new process (no dictionary in memory) reads them all. */
    reopen(f);
    assert_int_equal(read_range(f, 0, 400, NULL, NULL), packed);
}

/* Puts enough values in a transaction at depth 2 (a child) to make the
 * table's first dictionary, then undoes the child (whole=0) or everything
 * (whole=1); then packs more values and commits. A new process must read
 * them: none may name the dictionary that was undone. */
static void undone_then_read(zfix_t *f, int whole)
{
    MDB_txn *parent, *child;
    assert_int_equal(store_begin(f->store.env, NULL, &parent), 0);
    assert_int_equal(store_begin(f->store.env, parent, &child), 0);
    put_range(f, child, 0, 100);
    zpack_counts_t c;
    zpack_counts(f->store.zpack, &c);
    assert_int_equal(c.dicts, 1); /* it was made, in the child */
    store_undo(child);
    if (whole) {
        store_undo(parent);
        assert_int_equal(store_begin(f->store.env, NULL, &parent), 0);
    }
    put_range(f, parent, 100, 200);
    assert_int_equal(store_commit(parent), 0);
    unsigned packed = read_range(f, 100, 200, NULL, NULL);
    assert_true(packed > 50); /* with the dictionary made again */
    reopen(f);
    assert_int_equal(read_range(f, 100, 200, NULL, NULL), packed);
}

static void test_a_dictionary_undone_with_its_child_is_not_used(void **state)
{
    undone_then_read(*state, 0);
}

static void test_a_dictionary_undone_with_its_transaction_is_not_used(void **state)
{
    undone_then_read(*state, 1);
}

/* The raw bytes of value i, changed by fn, written back in place. */
static void change_raw(zfix_t *f, unsigned i, void (*fn)(unsigned char *v, size_t n))
{
    char key[16];
    key_of(i, key);
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(f->store.env, NULL, 0, &txn), 0);
    MDB_val k = {strlen(key), key}, v;
    assert_int_equal(mdb_get(txn, f->table, &k, &v), 0);
    unsigned char *copy = malloc(v.mv_size);
    memcpy(copy, v.mv_data, v.mv_size);
    fn(copy, v.mv_size);
    MDB_val nv = {v.mv_size, copy};
    assert_int_equal(mdb_put(txn, f->table, &k, &nv, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    free(copy);
}

static void to_clear(unsigned char *v, size_t n)
{
    (void)n;
    v[1] = SEAL_CLEAR;
}

static void to_packed(unsigned char *v, size_t n)
{
    (void)n;
    v[1] = SEAL_PACKED;
}

static int open_raw(zfix_t *f, unsigned i)
{
    char key[16];
    key_of(i, key);
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(f->store.env, NULL, MDB_RDONLY, &txn), 0);
    MDB_val k = {strlen(key), key}, v;
    assert_int_equal(mdb_get(txn, f->table, &k, &v), 0);
    int rc = store_value(txn, &k, &v);
    mdb_txn_abort(txn);
    return rc;
}

static void test_a_changed_kind_or_a_missing_dictionary_does_not_open(void **state)
{
    zfix_t *f = *state;
    MDB_txn *txn;
    put_committed(f, 0, 100);
    assert_int_equal(read_range(f, 0, 1, NULL, NULL), 0);    /* the first: clear */
    assert_int_equal(read_range(f, 99, 100, NULL, NULL), 1); /* the last: packed */
    change_raw(f, 0, to_packed);
    change_raw(f, 99, to_clear);
    assert_int_equal(open_raw(f, 0), -EBADMSG);
    assert_int_equal(open_raw(f, 99), -EBADMSG);
    change_raw(f, 99, to_packed);
    assert_int_equal(open_raw(f, 99), 0);
    /* Its dictionary gone (a damaged store): refused, named, no crash. */
    reopen(f);
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    assert_int_equal(mdb_drop(txn, f->store.zdicts, 0), 0);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(open_raw(f, 99), -EBADMSG);
}

/* Every value of the sealed table named, opened and sealed again under
 * the ring's current key, as the re-seal does (reseal.c). */
static void reseal_table(zfix_t *f, const char *name)
{
    MDB_dbi dbi = 0;
    for (int i = 0; i < f->store.n_sealed; i++)
        if (strcmp(f->store.sealed[i].name, name) == 0) dbi = f->store.sealed[i].dbi;
    if (!dbi) fail_msg("%s is not a sealed table: the re-seal would not walk it", name);
    MDB_txn *txn;
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    MDB_cursor *c;
    assert_int_equal(mdb_cursor_open(txn, dbi, &c), 0);
    MDB_val k, v;
    while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0) {
        assert_int_equal(store_value(txn, &k, &v), 0);
        char *clear = malloc(v.mv_size + 1), *key = malloc(k.mv_size + 1);
        memcpy(clear, v.mv_data, v.mv_size);
        memcpy(key, k.mv_data, k.mv_size);
        assert_int_equal(store_put_value(txn, dbi, key, k.mv_size, clear, v.mv_size, 0), 0);
        free(clear);
        free(key);
    }
    mdb_cursor_close(c);
    assert_int_equal(store_commit(txn), 0);
}

static void test_dictionaries_are_sealed_again_under_a_new_key(void **state)
{
    zfix_t *f = *state;
    MDB_txn *txn;
    put_committed(f, 0, 100);
    assert_int_equal(seal_ring_rotate(&f->ring), 0);
    reseal_table(f, "decisions");
    reseal_table(f, "zdicts");
    seal_ring_retire(&f->ring); /* key 1 gone */
    reopen(f);
    assert_true(read_range(f, 0, 100, NULL, NULL) > 50);
    /* The dictionary is kept as it is (never packed with itself). */
    assert_int_equal(mdb_txn_begin(f->store.env, NULL, MDB_RDONLY, &txn), 0);
    MDB_cursor *c;
    assert_int_equal(mdb_cursor_open(txn, f->store.zdicts, &c), 0);
    MDB_val k, v;
    assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_FIRST), 0);
    assert_int_equal(seal_kind(v.mv_data), SEAL_CLEAR);
    assert_int_equal(seal_key_id(v.mv_data), 2);
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
}

/* Puts values [*from, to) in turns of 5,000; returns the dictionaries
 * made so far. */
static uint64_t put_until(zfix_t *f, unsigned *from, unsigned to)
{
    MDB_txn *txn;
    for (; *from < to; *from = *from + 5000 < to ? *from + 5000 : to) {
        assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
        put_range(f, txn, *from, *from + 5000 < to ? *from + 5000 : to);
        assert_int_equal(store_commit(txn), 0);
    }
    zpack_counts_t c;
    zpack_counts(f->store.zpack, &c);
    return c.dicts;
}

static void test_new_dictionaries_soon_then_rarely(void **state)
{
    zfix_t *f = *state;
    unsigned from = 0, first = 40; /* 40 values of about 510 bytes: past 16 KB */
    assert_int_equal(put_until(f, &from, first), 1);
    /* The first was made at the 16 KB point, a few values before `first`:
     * each bound is looked at 50 values away from where it falls. */
    assert_int_equal(put_until(f, &from, first + ZPACK_AGAIN / 100 - 50), 1);
    assert_int_equal(put_until(f, &from, first + ZPACK_AGAIN / 100 + 50), 2);
    unsigned second = from;
    /* A restart counts again from its start, and knows the table has had two. */
    reopen(f);
    assert_int_equal(put_until(f, &from, second + ZPACK_AGAIN / 10 - 50), 0);
    assert_int_equal(put_until(f, &from, second + ZPACK_AGAIN / 10 + 50), 1);
    unsigned third = second + ZPACK_AGAIN / 10;
    assert_int_equal(put_until(f, &from, third + ZPACK_AGAIN - 50), 1);
    assert_int_equal(put_until(f, &from, third + ZPACK_AGAIN + 50), 2);
    reopen(f);
    /* Values of all four, read by a process that made none of them. */
    unsigned at[] = {first + 100, second + 100, third + 100, from - 5};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
        assert_int_equal(read_range(f, at[i], at[i] + 5, NULL, NULL), 5);
}

static size_t zdicts_kept(zfix_t *f)
{
    MDB_txn *txn;
    MDB_stat st;
    assert_int_equal(mdb_txn_begin(f->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_stat(txn, f->store.zdicts, &st), 0);
    mdb_txn_abort(txn);
    return st.ms_entries;
}

/* A pass that writes every value again (a rotation's re-seal) drops, when
 * it ends, the dictionaries that were no table's newest when it began; it
 * keeps the one that was, though a newer one came during the pass, for the
 * values written before that still name it. Every value reads, in this
 * process and the next. */
static void test_a_pass_drops_only_what_no_value_can_name(void **state)
{
    zfix_t *f = *state;
    unsigned from = 0;
    assert_int_equal(put_until(f, &from, 40 + ZPACK_AGAIN / 100 + 50), 2); /* A, then B */
    reopen(f); /* counts from here: C after ZPACK_AGAIN / 10 more */
    MDB_txn *txn;
    MDB_dbi meta;
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    assert_int_equal(store_table(txn, "meta", &meta), 0);
    assert_int_equal(zpack_retire_plan(f->store.zpack, txn, meta, "plan"), 0);
    assert_int_equal(store_commit(txn), 0);
    unsigned all = from, again = 0;
    put_until(f, &again, all); /* the pass: every value again, with B */
    assert_int_equal(put_until(f, &from, all + ZPACK_AGAIN / 10 + 50), 1); /* C, during it */
    assert_int_equal(zdicts_kept(f), 3);
    size_t dropped;
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    assert_int_equal(zpack_retire(f->store.zpack, txn, meta, "plan", &dropped), 0);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(dropped, 1); /* A */
    assert_int_equal(zdicts_kept(f), 2);
    assert_true(read_range(f, 0, from, NULL, NULL) > from - 100);
    reopen(f);
    assert_true(read_range(f, 0, from, NULL, NULL) > from - 100);
    /* The plan is gone with the pass: another end drops nothing. */
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    assert_int_equal(store_table(txn, "meta", &meta), 0); /* the environment is new */
    assert_int_equal(zpack_retire(f->store.zpack, txn, meta, "plan", &dropped), 0);
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(dropped, 0);
}


/* Every dictionary the store keeps, opened: whether any holds needle. */
static int dicts_hold(zfix_t *f, const char *needle)
{
    MDB_txn *txn;
    MDB_cursor *c;
    MDB_val k, v;
    int found = 0, n = 0;
    assert_int_equal(mdb_txn_begin(f->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_cursor_open(txn, f->store.zdicts, &c), 0);
    while (mdb_cursor_get(c, &k, &v, MDB_NEXT) == 0) {
        assert_int_equal(store_value(txn, &k, &v), 0);
        found |= memmem(v.mv_data, v.mv_size, needle, strlen(needle)) != NULL;
        n++;
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    assert_true(n > 0);
    return found;
}

/* The second dictionary is made of values from across the table as well
 * as its latest: a table whose records grow (notify's record of a case)
 * writes young records at any moment, and a dictionary of its latest
 * alone knows none of what the records become. */
static void test_a_dictionary_holds_values_from_across_its_table(void **state)
{
    zfix_t *f = *state;
    unsigned from = 0;
    while (from < 40 + ZPACK_AGAIN / 100 + 50) /* turns of 20, as a daemon's are small */
        put_until(f, &from, from + 20);
    zpack_counts_t c;
    zpack_counts(f->store.zpack, &c);
    assert_int_equal(c.dicts, 2);
    char needle[32];
    unsigned across = 0, latest = 0;
    for (unsigned i = 100; i < 900; i++) { /* neither the first's values nor the latest */
        snprintf(needle, sizeof needle, "BT-2026-%06u", i);
        across += (unsigned)dicts_hold(f, needle);
    }
    for (unsigned i = 40 + ZPACK_AGAIN / 100 - 40; i < 40 + ZPACK_AGAIN / 100 - 10; i++) {
        snprintf(needle, sizeof needle, "BT-2026-%06u", i);
        latest += (unsigned)dicts_hold(f, needle);
    }
    if (across < 8) fail_msg("the dictionaries hold %u of values 100-899, not 8 or more", across);
    if (latest < 10) fail_msg("the dictionaries hold %u of the 30 latest values, not 10 or more", latest);
    assert_int_equal(read_range(f, 100, 900, NULL, NULL), 800);
}

/* Records that grow: each key written first short, then whole, so the
 * values the table holds are larger than those it was given on average.
 * The walk fills its sample before the end of the table and thins it
 * instead of stopping: the dictionary holds values of its last keys too. */
static void test_a_sample_reaches_the_end_of_its_table(void **state)
{
    zfix_t *f = *state;
    char key[16], val[1024];
    MDB_txn *txn;
    for (unsigned pass = 0; pass < 3; pass++)
        for (unsigned at = 0; at < (pass == 2 ? 100u : 600u); at += 20) {
            assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
            for (unsigned i = at; i < at + 20; i++) {
                key_of(i, key);
                size_t n = pass == 0 ? (size_t)snprintf(val, sizeof val, "short record %06u of "
                                                        "a case just opened, to be written again",
                                                        i)
                                     : value_of(i, val, sizeof val);
                assert_int_equal(store_put_value(txn, f->table, key, strlen(key), val, n, 0), 0);
            }
            assert_int_equal(store_commit(txn), 0);
        }
    zpack_counts_t c;
    zpack_counts(f->store.zpack, &c);
    assert_int_equal(c.dicts, 2);
    char needle[32];
    unsigned last = 0;
    for (unsigned i = 450; i < 600; i++) {
        snprintf(needle, sizeof needle, "BT-2026-%06u", i);
        last += (unsigned)dicts_hold(f, needle);
    }
    if (last < 3) fail_msg("the dictionaries hold %u of values 450-599, not 3 or more", last);
}

/* A value of another kind than value_of's: a month-on reminder, whose
 * words no value of value_of has. */
static size_t other_of(unsigned i, char *out, size_t cap)
{
    return (size_t)snprintf(out, cap,
                            "reminder R-%06u: 您申请的法律援助案件已满三十日，请于 2027-01-%02u "
                            "前携带身份证、户口簿、收入证明、劳动合同及工资条到援助中心补充材料；"
                            "逾期未补充的，依照《法律援助法》第四十三条视为撤回申请。 "
                            "kind materials_overdue channel sms attempts %u template "
                            "reminder.materials.overdue.v2 office 昆都仑区法律援助工作站 "
                            "phone 0472-21%05u window 周一至周五 8:30-12:00 14:30-17:30",
                            i, 1 + i % 28, i % 5, i * 7919u % 100000u);
}

/* Puts [from, to) of other_of's values, keyed R-..., 500 a transaction;
 * their stored bytes. */
static size_t put_others(zfix_t *f, unsigned from, unsigned to)
{
    char key[16], val[1024];
    size_t stored = 0;
    MDB_txn *txn;
    for (unsigned at = from; at < to; at += 500) {
        assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
        for (unsigned i = at; i < to && i < at + 500; i++) {
            snprintf(key, sizeof key, "R-%06u", i);
            size_t n = other_of(i, val, sizeof val);
            assert_int_equal(store_put_value(txn, f->table, key, strlen(key), val, n, 0), 0);
            MDB_val k = {strlen(key), key}, v;
            assert_int_equal(mdb_get(txn, f->table, &k, &v), 0);
            stored += v.mv_size;
            assert_int_equal(store_value(txn, &k, &v), 0);
            assert_int_equal(v.mv_size, n);
            assert_memory_equal(v.mv_data, val, n);
        }
        assert_int_equal(store_commit(txn), 0);
    }
    return stored;
}

/* Records that change (the month-on reminders, a new court): when a
 * table's values pack worse than its dictionary's first window did, two
 * windows in a row, the next is learnt then, not ZPACK_AGAIN values
 * later, and packs them
 * as small as the first did its own. Values like the dictionary's own
 * learn nothing new (the control). The first window's share is kept: a
 * process started after the values changed compares with it, not with a
 * first window of its own, packed by a dictionary that no longer fits. */
static void test_values_that_change_are_learnt_again(void **state)
{
    zfix_t *f = *state;
    unsigned from = 0, second = 40 + ZPACK_AGAIN / 100;
    assert_int_equal(put_until(f, &from, second + ZPACK_AGAIN / 10 + 50), 3);
    assert_int_equal(put_until(f, &from, from + ZPACK_AGAIN / 10 + 2 * ZPACK_DRIFT_VALUES), 3);
    size_t before = put_others(f, 0, 1000);
    zpack_counts_t c;
    zpack_counts(f->store.zpack, &c);
    assert_int_equal(c.dicts, 3); /* at most one window of them so far */
    reopen(f); /* its first window would be of reminders: it keeps the one before */
    put_others(f, 1000, 1000 + 3 * ZPACK_DRIFT_VALUES);
    zpack_counts(f->store.zpack, &c);
    assert_int_equal(c.dicts, 1);
    size_t after = put_others(f, 20000, 21000);
    if (after * 10 > before * 6)
        fail_msg("1,000 reminders kept %zu bytes after the new dictionary, %zu before", after,
                 before);
    zpack_counts(f->store.zpack, &c);
    assert_int_equal(c.dicts, 1); /* and it fits: no other */
    assert_int_equal(read_range(f, 100, 200, NULL, NULL), 100);
}

/* Values put in a child that is undone, and in a whole turn undone: a
 * refused request's words must not reach a dictionary, kept for good. */
static void test_undone_values_are_not_learnt(void **state)
{
    zfix_t *f = *state;
    MDB_txn *parent, *child;
    char val[1024];
    assert_int_equal(store_begin(f->store.env, NULL, &parent), 0);
    assert_int_equal(store_begin(f->store.env, parent, &child), 0);
    size_t n = value_of(7, val, sizeof val);
    memcpy(val, "REFUSED-IN-A-CHILD", 18);
    assert_int_equal(store_put_value(child, f->table, "R-1", 3, val, n, 0), 0);
    store_undo(child);
    put_range(f, parent, 0, 10);
    assert_int_equal(store_commit(parent), 0);
    assert_int_equal(store_begin(f->store.env, NULL, &parent), 0);
    memcpy(val, "UNDONE-WITH-A-TURN", 18);
    assert_int_equal(store_put_value(parent, f->table, "R-2", 3, val, n, 0), 0);
    store_undo(parent);
    assert_int_equal(store_begin(f->store.env, NULL, &parent), 0);
    put_range(f, parent, 10, 100); /* the first dictionary, from what committed */
    assert_int_equal(store_commit(parent), 0);
    assert_true(dicts_hold(f, "BT-2026-000009")); /* the control: committed words are there */
    assert_false(dicts_hold(f, "REFUSED-IN-A-CHILD"));
    assert_false(dicts_hold(f, "UNDONE-WITH-A-TURN"));
}

/* A table whose values are deleted by age (store_table_brief) is sealed
 * and never packed: no dictionary keeps its words after them. */
static void test_a_brief_table_is_never_packed(void **state)
{
    zfix_t *f = *state;
    MDB_txn *txn;
    MDB_dbi brief;
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    assert_int_equal(store_table_brief(txn, "replies", &brief), 0);
    char key[16], val[1024];
    for (unsigned i = 0; i < 200; i++) {
        key_of(i, key);
        size_t n = value_of(i, val, sizeof val);
        assert_int_equal(store_put_value(txn, brief, key, strlen(key), val, n, 0), 0);
    }
    assert_int_equal(store_commit(txn), 0);
    assert_int_equal(mdb_txn_begin(f->store.env, NULL, MDB_RDONLY, &txn), 0);
    key_of(199, key);
    MDB_val k = {strlen(key), key}, v;
    assert_int_equal(mdb_get(txn, brief, &k, &v), 0);
    assert_int_equal(seal_kind(v.mv_data), SEAL_CLEAR);
    mdb_txn_abort(txn);
    zpack_counts_t c;
    zpack_counts(f->store.zpack, &c);
    assert_int_equal(c.dicts, 0);
}

/* Values that begin with zstd's dictionary magic: the window learnt from
 * them is still taken as raw words, and packs. */
static void test_values_that_look_like_a_zstd_dictionary_still_pack(void **state)
{
    zfix_t *f = *state;
    MDB_txn *txn;
    char key[16], val[1024];
    assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
    for (unsigned i = 0; i < 100; i++) {
        key_of(i, key);
        size_t n = value_of(i, val, sizeof val);
        memcpy(val, "\x37\xa4\x30\xec", 4); /* ZSTD_MAGIC_DICTIONARY, little-endian */
        assert_int_equal(store_put_value(txn, f->table, key, strlen(key), val, n, 0), 0);
    }
    assert_int_equal(store_commit(txn), 0);
    zpack_counts_t c;
    zpack_counts(f->store.zpack, &c);
    if (c.packed < 50) fail_msg("%llu of 100 packed", (unsigned long long)c.packed);
}

/* zcurrent naming a table's newest in 4 bytes (the first build of this
 * format) or in too few: the table still packs, and every value reads. */
static void test_an_odd_zcurrent_entry_does_not_stop_writes(void **state)
{
    zfix_t *f = *state;
    MDB_txn *txn;
    put_committed(f, 0, 100);
    const size_t sizes[] = {4, 2, 8}; /* the last names dictionary 0 */
    for (size_t i = 0; i < 3; i++) {
        reopen(f);
        MDB_dbi cur;
        assert_int_equal(store_begin(f->store.env, NULL, &txn), 0);
        assert_int_equal(mdb_dbi_open(txn, "zcurrent", 0, &cur), 0);
        MDB_val k = {9, "decisions"}, v;
        assert_int_equal(mdb_get(txn, cur, &k, &v), 0);
        unsigned char b[8];
        memcpy(b, v.mv_data, 8);
        if (i == 2) memset(b, 0, 4);
        MDB_val nv = {sizes[i], b};
        assert_int_equal(mdb_put(txn, cur, &k, &nv, 0), 0);
        put_range(f, txn, 100 + 100 * (unsigned)i, 200 + 100 * (unsigned)i);
        assert_int_equal(store_commit(txn), 0);
        assert_true(read_range(f, 100 + 100 * (unsigned)i, 200 + 100 * (unsigned)i, NULL, NULL) > 50);
    }
    reopen(f);
    assert_true(read_range(f, 0, 400, NULL, NULL) > 300);
}


/* A store a newer build wrote (its meta "store.format" above this
 * build's) is refused at open, before anything is read or written; one of
 * this build's says its format. */
static void test_a_store_of_a_newer_format_is_refused(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &intake_service, IK_T0);
    daemon_t *d = td.d;
    MDB_txn *txn;
    uint64_t format;
    assert_int_equal(store_begin(d->store.env, NULL, &txn), 0);
    assert_int_equal(store_get_u64(txn, d->meta, "store.format", &format), 0);
    assert_int_equal(format, 4);
    assert_int_equal(store_put_u64(txn, d->meta, "store.format", 5), 0);
    assert_int_equal(store_commit(txn), 0);
    store_close(&d->store);
    assert_int_equal(daemon_store_open(d, 0), -EPROTONOSUPPORT);
    /* Nothing written: the newer build's mark stays. */
    MDB_dbi meta;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    assert_int_equal(store_get_u64(txn, meta, "store.format", &format), 0);
    assert_int_equal(format, 5);
    mdb_txn_abort(txn);
    test_daemon_close(&td);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_values_read_back_in_a_fraction_of_the_bytes,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_a_dictionary_undone_with_its_child_is_not_used,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_a_dictionary_undone_with_its_transaction_is_not_used,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_a_changed_kind_or_a_missing_dictionary_does_not_open,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_dictionaries_are_sealed_again_under_a_new_key,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_new_dictionaries_soon_then_rarely,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_a_pass_drops_only_what_no_value_can_name,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_a_dictionary_holds_values_from_across_its_table,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_a_sample_reaches_the_end_of_its_table, zfix_setup,
                                        zfix_teardown),
        cmocka_unit_test_setup_teardown(test_values_that_change_are_learnt_again, zfix_setup,
                                        zfix_teardown),
        cmocka_unit_test_setup_teardown(test_undone_values_are_not_learnt, zfix_setup,
                                        zfix_teardown),
        cmocka_unit_test_setup_teardown(test_a_brief_table_is_never_packed, zfix_setup,
                                        zfix_teardown),
        cmocka_unit_test_setup_teardown(test_values_that_look_like_a_zstd_dictionary_still_pack,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test_setup_teardown(test_an_odd_zcurrent_entry_does_not_stop_writes,
                                        zfix_setup, zfix_teardown),
        cmocka_unit_test(test_a_store_of_a_newer_format_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
