/*
 * test-limits.c - what one request may make a daemon do (issue 18, items 1
 * and 6), through dispatch's real turns: an import of 520,000 empty
 * lawyers in one frame is refused TOO_LARGE before it is decoded (also when
 * its list is split over two copies of the body), with a small reply kept;
 * a frame that would decode to more than max_decoded_bytes is refused the
 * same way; the request's decoded memory is freed after it; and a stored
 * reply answers only the request it was stored for (the same request_id
 * with another body is CONFLICT, the same request the first reply), also
 * in a sealed store, and also a reply kept in the earlier layout (its hash
 * in "reply_hashes": replies.h) until it is pruned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "daemon_int.h"
#include "replies.h"
#include "dispatchkit.h"
#include "seal.h"
#include "testutil.h"

typedef dk_fixture_t fixture_t;

/* Appends the varint v to p; returns the next byte. */
static unsigned char *put_varint(unsigned char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    return p;
}

/* A Request frame with request_id id and the body ImportLawyers (field
 * 40) given `copies` times, each holding `entries` empty lawyers
 * (ImportLawyers.lawyers is field 1: 0x0a 0x00 each). *len set; malloc'ed. */
static unsigned char *hostile_import(const char *id, size_t copies, size_t entries, size_t *len)
{
    size_t body = entries * 2;
    unsigned char *f = malloc(2 + strlen(id) + copies * (body + 16));
    unsigned char *p = f;
    *p++ = 0x0a;
    *p++ = (unsigned char)strlen(id);
    memcpy(p, id, strlen(id));
    p += strlen(id);
    for (size_t c = 0; c < copies; c++) {
        p = put_varint(p, (40 << 3) | 2);
        p = put_varint(p, body);
        for (size_t i = 0; i < entries; i++) *p++ = 0x0a, *p++ = 0x00;
    }
    *len = (size_t)(p - f);
    return f;
}

/* Sends the frame of hostile_import(id, copies, entries) through d and
 * returns the reply, asserting its code. */
static Legalaid__Reply *send_hostile(daemon_t *d, const char *id, size_t copies, size_t entries,
                                     Legalaid__Code code)
{
    size_t len;
    unsigned char *frame = hostile_import(id, copies, entries, &len);
    assert_true(len < (size_t)d->cfg.max_frame_bytes);
    Legalaid__Reply *r = NULL;
    assert_int_equal(daemon_call_bytes(d, frame, len, &r), 0);
    free(frame);
    test_assert_code(r, code);
    assert_string_equal(r->request_id, id);
    return r;
}

/* 1. The attack: 520,000 empty lawyers in a frame under 1 MiB. */
static void test_hostile_import_refused(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    Legalaid__Reply *r = send_hostile(d, "attack-1", 1, 520000, LEGALAID__CODE__TOO_LARGE);
    assert_string_equal(r->field, "import_lawyers.lawyers");
    assert_non_null(strstr(r->error, "520000 entries"));
    assert_non_null(strstr(r->error, "max_request_entries"));
    assert_true(legalaid__reply__get_packed_size(r) < 1024);
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(d->req_arena.used, 0);

    /* Kept: the retry gets the same small reply (from the store). */
    r = send_hostile(d, "attack-1", 1, 520000, LEGALAID__CODE__TOO_LARGE);
    assert_non_null(strstr(r->error, "520000 entries"));
    legalaid__reply__free_unpacked(r, NULL);

    /* The list split over two copies of the body, which the decoder
     * merges, is counted whole. */
    r = send_hostile(d, "attack-2", 2, 3000, LEGALAID__CODE__TOO_LARGE);
    assert_non_null(strstr(r->error, "6000 entries"));
    legalaid__reply__free_unpacked(r, NULL);

    /* Within the limit the import is the daemon's to judge record by record. */
    r = send_hostile(d, "attack-3", 1, 3, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->n_rejected, 3);
    legalaid__reply__free_unpacked(r, NULL);
}

/* 2. A frame with few entries that decodes to much: one lawyer with 40,000
 * counties of one byte (each a pointer and an allocation once decoded). */
static void test_decoded_size_bounded(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    d->cfg.max_decoded_bytes = 256 * 1024;
    static char *counties[40000];
    for (size_t i = 0; i < 40000; i++) counties[i] = "a";
    Legalaid__Lawyer *l = dk_lawyer(f->pool, "BT-L0001", "firm");
    l->counties = counties;
    l->n_counties = 40000;
    Legalaid__Reply *r = dk_import_from(d, f->pool, 0);
    test_assert_code(r, LEGALAID__CODE__TOO_LARGE);
    assert_non_null(strstr(r->error, "max_decoded_bytes=262144"));
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(d->req_arena.used, 0);

    /* The daemon goes on: the same lawyer without them goes in. */
    l->n_counties = 0;
    dk_import_ok(d, f->pool);
}

static Legalaid__Reply *import_as(daemon_t *d, const char *request_id, dk_pool_t *p)
{
    Legalaid__ImportLawyers imp = LEGALAID__IMPORT_LAWYERS__INIT;
    imp.lawyers = p->list;
    imp.n_lawyers = p->n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = (char *)request_id;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_LAWYERS;
    req.import_lawyers = &imp;
    return test_call(d, &req);
}

/* id's first reply again (an import that accepted one lawyer, not the
 * import run again: unchanged 0); then id with another body (BT-L0002
 * added to the pool): CONFLICT. */
static void replayed_then_conflict(fixture_t *f, const char *id)
{
    Legalaid__Reply *r = import_as(f->td.d, id, f->pool);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    assert_int_equal(r->import_result->unchanged, 0);
    legalaid__reply__free_unpacked(r, NULL);
    dk_lawyer(f->pool, "BT-L0002", "firm");
    r = import_as(f->td.d, id, f->pool);
    test_assert_code(r, LEGALAID__CODE__CONFLICT);
    assert_string_equal(r->field, "request_id");
    assert_non_null(strstr(r->error, "used before for a different request"));
    legalaid__reply__free_unpacked(r, NULL);
}

/* 3. A stored reply answers its own request only. */
static void request_id_reused(fixture_t *f)
{
    daemon_t *d = f->td.d;
    dk_lawyer(f->pool, "BT-L0001", "firm");
    Legalaid__Reply *r = import_as(d, "import-1", f->pool);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);

    /* The same request again: the first reply; the same request_id with
     * another body: refused, nothing imported. */
    replayed_then_conflict(f, "import-1");
    Legalaid__Reply *l = dk_lawyers(d, "BT-L0002");
    assert_true(l->code != LEGALAID__CODE__OK || l->lawyers->n_lawyers == 0);
    legalaid__reply__free_unpacked(l, NULL);

    /* And the first request still gets its first reply. */
    f->pool->n = 1;
    r = import_as(d, "import-1", f->pool);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, 1);
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_request_id_reused(void **state)
{
    request_id_reused(*state);
}

/* 4. The same with the store sealed (a data key): the stored reply and its
 * hash are both sealed values, each opened in turn. */
static void test_request_id_reused_sealed(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    char path[300], err[1200];
    snprintf(path, sizeof path, "%s/data.key", f->td.dir);
    seal_ring_t ring;
    seal_ring_new(&ring);
    assert_int_equal(seal_ring_save(&ring, path, err, sizeof err), 0);
    store_close(&d->store);
    d->sec.ring = malloc(sizeof *d->sec.ring);
    *d->sec.ring = ring;
    d->sec.data_key_path = strdup(path);
    assert_int_equal(daemon_store_open(d, 0), 0);
    request_id_reused(f);
}

/* The number of entries of dbi. */
static size_t entries_of(daemon_t *d, MDB_dbi dbi)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    size_t n = store_count(txn, dbi);
    mdb_txn_abort(txn);
    return n;
}

/* Rewrites the reply kept for id as a daemon kept it before replies.h: the
 * value [at][reply], the hash in "reply_hashes" (none when !with_hash). */
static void keep_in_earlier_layout(daemon_t *d, const char *id, int with_hash)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
    MDB_val k = {strlen(id), (void *)id}, v;
    assert_int_equal(mdb_get(txn, d->replies, &k, &v), 0);
    assert_int_equal(store_value(txn, &k, &v), 0);
    size_t head = 8 + 1 + REPLIES_HASH_BYTES;
    assert_true(v.mv_size > head);
    unsigned char *val = malloc(v.mv_size);
    memcpy(val, v.mv_data, v.mv_size);
    assert_int_equal(val[8], 0); /* kept in the layout of replies.h */
    unsigned char *old = malloc(v.mv_size - 1 - REPLIES_HASH_BYTES);
    memcpy(old, val, 8);
    memcpy(old + 8, val + head, v.mv_size - head);
    assert_int_equal(store_put_value(txn, d->replies, id, strlen(id), old,
                                     v.mv_size - 1 - REPLIES_HASH_BYTES, 0),
                     0);
    if (with_hash)
        assert_int_equal(store_put_value(txn, d->reply_hashes, id, strlen(id), val + 9,
                                         REPLIES_HASH_BYTES, 0),
                         0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    free(old);
    free(val);
}

/* 5. A reply kept in the earlier layout answers as before: its request
 * gets it, another body under its request_id is CONFLICT, one kept with
 * no hash answers; a reply kept now adds nothing to "reply_hashes"; both
 * are forgotten after reply_keep_days. */
static void test_reply_of_earlier_layout(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    dk_lawyer(f->pool, "BT-L0001", "firm");
    Legalaid__Reply *r = import_as(d, "import-old", f->pool);
    test_assert_code(r, LEGALAID__CODE__OK);
    legalaid__reply__free_unpacked(r, NULL);
    r = import_as(d, "import-nohash", f->pool);
    test_assert_code(r, LEGALAID__CODE__OK);
    uint32_t first_accepted = r->import_result->accepted, first_unchanged = r->import_result->unchanged;
    legalaid__reply__free_unpacked(r, NULL);
    assert_int_equal(entries_of(d, d->reply_hashes), 0);
    assert_int_equal(entries_of(d, d->replies), 2);
    keep_in_earlier_layout(d, "import-old", 1);
    keep_in_earlier_layout(d, "import-nohash", 0);
    assert_int_equal(entries_of(d, d->reply_hashes), 1);

    replayed_then_conflict(f, "import-old");
    /* No hash kept: it answers whatever the frame, with its first reply
     * (the pool now holds BT-L0002 too, which is not imported). */
    r = import_as(d, "import-nohash", f->pool);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->import_result->accepted, first_accepted);
    assert_int_equal(r->import_result->unchanged, first_unchanged);
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__Reply *l = dk_lawyers(d, "BT-L0002");
    assert_true(l->code != LEGALAID__CODE__OK || l->lawyers->n_lawyers == 0);
    legalaid__reply__free_unpacked(l, NULL);

    clock_advance_ms((d->cfg.reply_keep_days + 1) * MS_PER_DAY);
    assert_int_equal(daemon_tick(d), 0);
    assert_int_equal(entries_of(d, d->replies), 0);
    assert_int_equal(entries_of(d, d->reply_hashes), 0);
    assert_int_equal(entries_of(d, d->replies_by_time), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hostile_import_refused, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_decoded_size_bounded, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_request_id_reused, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_request_id_reused_sealed, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_reply_of_earlier_layout, dk_setup, dk_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
