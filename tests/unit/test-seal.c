/*
 * test-seal.c - personal data sealed at rest (issue 11): a sealed value
 * opens only under its key and its record; the data key file refuses what
 * it must; an intake store holds an applicant's name, ID number and phone
 * only sealed, and finds the person again by the keyed hash; a wrong or
 * missing key is refused at open; a rotated key re-seals every value in
 * the background turns, after which the old key can go, and a retired key
 * still needed is refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "daemon_int.h"
#include "intake.h"
#include "intakekit.h"
#include "seal.h"
#include "store.h"
#include "testutil.h"

static void test_value_opens_only_where_sealed(void **state)
{
    (void)state;
    seal_ring_t r, other;
    seal_ring_new(&r);
    seal_ring_new(&other);
    const char clear[] = "张三 150203199001011234 13904721234";
    unsigned char sealed[sizeof clear + SEAL_OVERHEAD], out[sizeof clear];
    seal_value(&r, "intake", "BT-1", 4, clear, sizeof clear, sealed);
    assert_true(seal_is_sealed(sealed, sizeof sealed));
    assert_int_equal(seal_key_id(sealed), 1);
    assert_null(memmem(sealed, sizeof sealed, "150203", 6));
    assert_int_equal(seal_open(&r, "intake", "BT-1", 4, sealed, sizeof sealed, out), 0);
    assert_memory_equal(out, clear, sizeof clear);
    /* Another record's key, another ring's key-1, a flipped bit, no ring. */
    assert_int_equal(seal_open(&r, "intake", "BT-2", 4, sealed, sizeof sealed, out), -EBADMSG);
    assert_int_equal(seal_open(&other, "intake", "BT-1", 4, sealed, sizeof sealed, out), -EBADMSG);
    sealed[SEAL_HEADER + 3] ^= 1;
    assert_int_equal(seal_open(&r, "intake", "BT-1", 4, sealed, sizeof sealed, out), -EBADMSG);
    assert_int_equal(seal_open(NULL, "intake", "BT-1", 4, sealed, sizeof sealed, out), -ENOKEY);
    /* A clear protobuf value is never taken for a sealed one. */
    assert_false(seal_is_sealed("\x0a\x03" "abc", 5));
    /* The keyed hash: the same under one index key, different under another. */
    unsigned char h1[SEAL_HASH_LEN], h2[SEAL_HASH_LEN], h3[SEAL_HASH_LEN];
    seal_hash(&r, "id_number", "150203199001011234", 18, h1);
    seal_hash(&r, "id_number", "150203199001011234", 18, h2);
    seal_hash(&other, "id_number", "150203199001011234", 18, h3);
    assert_memory_equal(h1, h2, sizeof h1);
    assert_memory_not_equal(h1, h3, sizeof h1);
    seal_hash(&r, "party", "150203199001011234", 18, h2);
    assert_memory_not_equal(h1, h2, sizeof h1);
}

/* The short form is what seal.h says it is, computed here from its words
 * alone: 0x00 's' id, the SIV (BLAKE2b-128 under the MAC key over the
 * header, the length of the place and the place, the length of the record
 * key, the key and the value), and the
 * value XORed with XChaCha20 under the cipher key and the nonce SIV||0^8,
 * each key BLAKE2b of its words under the data key. */
static void test_short_form_as_documented(void **state)
{
    (void)state;
    seal_ring_t r;
    seal_ring_new(&r);
    const char clear[] = "李四 13904721234", ad[] = "BT-2026-000017";
    unsigned char got[sizeof clear + SEAL_OVERHEAD], want[sizeof clear + 19];
    assert_int_equal(sizeof got, sizeof want);
    seal_value(&r, "intake", ad, sizeof ad - 1, clear, sizeof clear, got);

    unsigned char mac[32], cipher[32], nonce[24] = {0}, len[8] = {sizeof ad - 1};
    crypto_generichash(mac, 32, (const unsigned char *)"legalaid seal siv mac", 21, r.keys[0].key, 32);
    crypto_generichash(cipher, 32, (const unsigned char *)"legalaid seal siv cipher", 24,
                       r.keys[0].key, 32);
    want[0] = 0, want[1] = 's', want[2] = 1;
    unsigned char plen[8] = {6};
    crypto_generichash_state st;
    crypto_generichash_init(&st, mac, 32, 16);
    crypto_generichash_update(&st, want, 3);
    crypto_generichash_update(&st, plen, 8);
    crypto_generichash_update(&st, (const unsigned char *)"intake", 6);
    crypto_generichash_update(&st, len, 8);
    crypto_generichash_update(&st, (const unsigned char *)ad, sizeof ad - 1);
    crypto_generichash_update(&st, (const unsigned char *)clear, sizeof clear);
    crypto_generichash_final(&st, want + 3, 16);
    memcpy(nonce, want + 3, 16);
    crypto_stream_xchacha20_xor(want + 19, (const unsigned char *)clear, sizeof clear, nonce, cipher);
    assert_memory_equal(got, want, sizeof want);
    assert_int_equal(seal_value_len(got, sizeof got), sizeof clear);
    assert_true(seal_is_current(&r, got, sizeof got));

    /* The same value under the same record seals to the same bytes; under
     * another record, or with the record key's last byte moved into the
     * value, to others. */
    unsigned char again[sizeof got], moved[sizeof got + 1];
    seal_value(&r, "intake", ad, sizeof ad - 1, clear, sizeof clear, again);
    assert_memory_equal(again, got, sizeof got);
    seal_value(&r, "intake", "BT-2026-000018", 14, clear, sizeof clear, again);
    assert_memory_not_equal(again + 3, got + 3, 16);
    char shifted[sizeof clear + 1];
    shifted[0] = ad[sizeof ad - 2];
    memcpy(shifted + 1, clear, sizeof clear);
    seal_value(&r, "intake", ad, sizeof ad - 2, shifted, sizeof shifted, moved);
    assert_memory_not_equal(moved + 3, got + 3, 16);

    /* Not in another daemon's store, though the host's key is the same. */
    unsigned char out[sizeof clear + 8];
    assert_int_equal(seal_open(&r, "eligibility", ad, sizeof ad - 1, got, sizeof got, out), -EBADMSG);
    assert_int_equal(seal_open(&r, NULL, ad, sizeof ad - 1, got, sizeof got, out), -EBADMSG);
    seal_value(&r, "eligibility", ad, sizeof ad - 1, clear, sizeof clear, again);
    assert_memory_not_equal(again + 3, got + 3, 16);

    /* Any one bit changed anywhere, the value cut short or made longer:
     * nothing opens, and the buffer holds no deciphered byte. */
    for (size_t bit = 0; bit < sizeof got * 8; bit++) {
        unsigned char t[sizeof got];
        memcpy(t, got, sizeof got);
        t[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        memset(out, 0xAA, sizeof out);
        int rc = seal_open(&r, "intake", ad, sizeof ad - 1, t, sizeof t, out);
        if (rc != -EBADMSG && rc != -ENOKEY) fail_msg("bit %zu flipped: %d", bit, rc);
        for (size_t i = 0; rc == -EBADMSG && bit >= 24 && i < sizeof clear; i++)
            if (out[i] != 0) fail_msg("bit %zu flipped: byte %zu left deciphered", bit, i);
    }
    assert_int_equal(seal_open(&r, "intake", ad, sizeof ad - 1, got, sizeof got - 1, out), -EBADMSG);
    assert_int_equal(seal_open(&r, "intake", ad, sizeof ad - 1, got, 18, out), -EBADMSG);
    assert_int_equal(seal_open(&r, "intake", ad, sizeof ad - 1, got, sizeof got, out), 0);
    assert_memory_equal(out, clear, sizeof clear);
    sodium_memzero(mac, sizeof mac);
    sodium_memzero(cipher, sizeof cipher);
}

/* A value as builds before format 3 sealed it (seal.h): XChaCha20-Poly1305
 * with the record key as AD, 'S' under the data key, 'Z' under BLAKE2b of
 * "legalaid packed value" under it. Written here from those words. */
static size_t old_form(const seal_key_t *k, int kind, const void *ad, size_t adlen,
                       const void *clear, size_t n, unsigned char *out)
{
    unsigned char key[32];
    if (kind == 'Z')
        crypto_generichash(key, 32, (const unsigned char *)"legalaid packed value", 21, k->key, 32);
    else
        memcpy(key, k->key, 32);
    out[0] = 0, out[1] = (unsigned char)kind, out[2] = (unsigned char)k->id;
    randombytes_buf(out + 3, 24);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 27, NULL, clear, n, ad, adlen, NULL, out + 3,
                                               key);
    sodium_memzero(key, sizeof key);
    return n + 43;
}

static void test_old_form_still_opens(void **state)
{
    (void)state;
    seal_ring_t r;
    seal_ring_new(&r);
    const char clear[] = "王五 劳动报酬纠纷";
    unsigned char v[sizeof clear + 43], out[sizeof clear];
    for (int kind = 'S'; kind; kind = kind == 'S' ? 'Z' : 0) {
        size_t n = old_form(&r.keys[0], kind, "BT-1", 4, clear, sizeof clear, v);
        assert_true(seal_is_sealed(v, n));
        assert_int_equal(seal_kind(v), kind == 'S' ? SEAL_CLEAR : SEAL_PACKED);
        assert_int_equal(seal_value_len(v, n), sizeof clear);
        assert_false(seal_is_current(&r, v, n)); /* the re-seal moves it */
        assert_int_equal(seal_open(&r, "intake", "BT-1", 4, v, n, out), 0);
        assert_memory_equal(out, clear, sizeof clear);
        assert_int_equal(seal_open(&r, "intake", "BT-2", 4, v, n, out), -EBADMSG);
        v[1] = (unsigned char)(kind == 'S' ? 'Z' : 'S'); /* the kind bound to it */
        assert_int_equal(seal_open(&r, "intake", "BT-1", 4, v, n, out), -EBADMSG);
        assert_false(seal_is_sealed(v, 42)); /* shorter than the old form's overhead */
    }
}

static void test_key_file(void **state)
{
    (void)state;
    char dir[256], path[300], err[1200];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    snprintf(path, sizeof path, "%s/data.key", dir);
    seal_ring_t r, back;
    seal_ring_new(&r);
    assert_int_equal(seal_ring_rotate(&r), 0);
    assert_int_equal(r.current, 2);
    assert_int_equal(seal_ring_save(&r, path, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(seal_ring_load(&back, path, err, sizeof err), 0);
    assert_int_equal(back.n, 2);
    assert_int_equal(back.current, 2);
    assert_memory_equal(back.index, r.index, SEAL_KEY_LEN);
    assert_memory_equal(seal_ring_find(&back, 1)->key, seal_ring_find(&r, 1)->key, SEAL_KEY_LEN);
    seal_ring_retire(&back);
    assert_int_equal(back.n, 1);
    assert_null(seal_ring_find(&back, 1));
    assert_non_null(seal_ring_find(&back, 2));

    /* Readable by others: refused, saying so. */
    chmod(path, 0644);
    assert_int_equal(seal_ring_load(&back, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "readable by others"));
    /* Not a key file, a bad key, a key given twice, none at all. */
    static const char *const bad[][2] = {
        {"data-key\n    index = \"short\"\n", "is not a key of 40 Z85"},
        {"data-key\n    key-0 = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n", "key-N"},
        {"data-key\n    key-1 = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n"
         "    key-1 = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n",
         "given twice"},
        {"curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n",
         "not a data key file"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f = fopen(path, "w");
        fputs(bad[i][0], f);
        fclose(f);
        chmod(path, 0600);
        assert_int_equal(seal_ring_load(&back, path, err, sizeof err), -1);
        if (!strstr(err, bad[i][1])) fail_msg("case %zu: '%s' lacks '%s'", i, err, bad[i][1]);
    }
    unlink(path);
    assert_int_equal(seal_ring_load(&back, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read the data key file"));
    test_rmdir(dir);
}

/* Whether the bytes of needle occur in the file at path. */
static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *all = malloc((size_t)n);
    assert_int_equal(fread(all, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    int found = memmem(all, (size_t)n, needle, strlen(needle)) != NULL;
    free(all);
    return found;
}

typedef struct seal_fixture {
    test_daemon_t td;
    char key_path[300];
    seal_ring_t ring; /* what the key file holds */
} seal_fixture_t;

/* Reopens the store of f under ring (NULL: no data key). The status of
 * daemon_store_open. */
static int reopen(seal_fixture_t *f, const seal_ring_t *ring)
{
    daemon_t *d = f->td.d;
    store_close(&d->store);
    free(d->sec.ring);
    free(d->sec.data_key_path);
    d->sec.ring = NULL;
    d->sec.data_key_path = NULL;
    if (ring) {
        d->sec.ring = malloc(sizeof *d->sec.ring);
        *d->sec.ring = *ring;
        d->sec.data_key_path = strdup(f->key_path);
    }
    return daemon_store_open(d, 0);
}

static void save(seal_fixture_t *f)
{
    char err[1200];
    assert_int_equal(seal_ring_save(&f->ring, f->key_path, err, sizeof err), 0);
}

/* Reloads the key file as ReloadKeys does, in a write transaction of its
 * own. 0, or -1 with err. */
static int reload(daemon_t *d, char *err, size_t errlen)
{
    MDB_txn *txn;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
    int rc = reseal_reload(d, txn, err, errlen);
    if (rc == 0)
        assert_int_equal(mdb_txn_commit(txn), 0);
    else
        mdb_txn_abort(txn);
    return rc;
}

/* The key ids of every value in intake's applications table. */
static void assert_all_under(daemon_t *d, unsigned id)
{
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "applications", 0, &dbi), 0);
    MDB_cursor *c;
    assert_int_equal(mdb_cursor_open(txn, dbi, &c), 0);
    MDB_val k, v;
    int n = 0;
    for (int op = MDB_FIRST; mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT, n++) {
        assert_true(seal_is_sealed(v.mv_data, v.mv_size));
        assert_int_equal(seal_key_id(v.mv_data), id);
    }
    assert_true(n > 0);
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
}

/* An intake store sealed under a fresh key in f's key file. */
static daemon_t *sealed_intake(seal_fixture_t *f)
{
    memset(f, 0, sizeof *f);
    test_daemon_open(&f->td, &intake_service, IK_T0);
    snprintf(f->key_path, sizeof f->key_path, "%s/data.key", f->td.dir);
    seal_ring_new(&f->ring);
    save(f);
    assert_int_equal(reopen(f, &f->ring), 0);
    return f->td.d;
}

static void test_intake_store_sealed_and_rotated(void **state)
{
    (void)state;
    seal_fixture_t f;
    daemon_t *d = sealed_intake(&f);

    test_submit_t p;
    ik_civil_init(&p);
    p.person.name = "王晓明";
    p.app.matter = "劳动报酬纠纷，拖欠工资三个月";
    p.person.address = "包头市昆都仑区钢铁大街12号";
    Legalaid__Reply *r = ik_expect_ok(d, &p);
    char case_id[64];
    snprintf(case_id, sizeof case_id, "%s", r->application_accepted->case_id);
    legalaid__reply__free_unpacked(r, NULL);
    /* The same person again on the same matter: found by the keyed hash. */
    ik_expect_case(d, &p, case_id, 1);

    char mdb[400];
    snprintf(mdb, sizeof mdb, "%s/data.mdb", f.td.dir);
    assert_int_equal(mdb_env_sync(d->store.env, 1), 0);
    assert_true(file_has(mdb, case_id)); /* the control: keys are clear */
    const char *personal[] = {"王晓明", p.id_number, "13904721234", "钢铁大街", "拖欠工资"};
    for (size_t i = 0; i < sizeof personal / sizeof personal[0]; i++)
        if (file_has(mdb, personal[i])) fail_msg("'%s' is in clear in data.mdb", personal[i]);
    r = ik_get_application(d, case_id);
    assert_string_equal(r->application->applicant->name, "王晓明");
    legalaid__reply__free_unpacked(r, NULL);

    /* A wrong key, no key: refused, and the right one opens again. */
    seal_ring_t wrong;
    seal_ring_new(&wrong);
    assert_int_equal(reopen(&f, &wrong), -EKEYREJECTED);
    assert_int_equal(reopen(&f, NULL), -EKEYREJECTED);
    assert_int_equal(reopen(&f, &f.ring), 0);
    assert_all_under(d, 1);

    /* Rotation: key-2 seals, the turns move everything to it. */
    char err[1200];
    assert_int_equal(seal_ring_rotate(&f.ring), 0);
    save(&f);
    assert_int_equal(reload(d, err, sizeof err), 0);
    assert_int_equal(d->sec.ring->current, 2);
    assert_true(d->reseal_due);
    for (int i = 0; i < 20 && test_counter(d, "seal.resealing"); i++) {
    }
    assert_int_equal(test_counter(d, "seal.resealing"), 0);
    assert_int_equal(test_counter(d, "seal.keys_in_use"), 1);
    assert_true(test_counter(d, "seal.moved") >= 1);
    assert_all_under(d, 2);

    /* key-1 leaves the file; everything still reads after a restart:
     * masked, and whole for the right unmask (audited). */
    seal_ring_retire(&f.ring);
    save(&f);
    assert_int_equal(reload(d, err, sizeof err), 0);
    assert_int_equal(reopen(&f, &f.ring), 0);
    r = ik_get_application(d, case_id);
    char masked[64];
    snprintf(masked, sizeof masked, "%.6s********%s", p.id_number, p.id_number + 14);
    assert_string_equal(r->application->applicant->id_number, masked);
    assert_string_equal(r->application->applicant->phone, "139****1234");
    assert_string_equal(r->application->applicant->address, "包头市昆都仑…");
    assert_string_equal(r->application->applicant->name, "王晓明");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__GetApplication g = LEGALAID__GET_APPLICATION__INIT;
    g.case_id = case_id;
    Legalaid__Request q = LEGALAID__REQUEST__INIT;
    q.body_case = LEGALAID__REQUEST__BODY_GET_APPLICATION;
    q.get_application = &g;
    q.has_unmask = q.unmask = 1;
    principal_t clerk = {.name = "clerk", .roles = ROLE_STAFF};
    daemon_test_act_as(d, &clerk);
    r = test_call_new(d, &q);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    assert_string_equal(r->field, "unmask");
    legalaid__reply__free_unpacked(r, NULL);
    principal_t senior = {.name = "senior", .roles = ROLE_STAFF | ROLE_UNMASK};
    daemon_test_act_as(d, &senior);
    r = test_call_new(d, &q);
    daemon_test_act_as(d, NULL);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_string_equal(r->application->applicant->id_number, p.id_number);
    assert_string_equal(r->application->applicant->address, "包头市昆都仑区钢铁大街12号");
    legalaid__reply__free_unpacked(r, NULL);
    Legalaid__AuditQuery aq = LEGALAID__AUDIT_QUERY__INIT;
    aq.principal = "senior";
    Legalaid__Request ar = LEGALAID__REQUEST__INIT;
    ar.body_case = LEGALAID__REQUEST__BODY_AUDIT;
    ar.audit = &aq;
    r = test_call_new(d, &ar);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->audit_list->n_entries, 1);
    assert_string_equal(r->audit_list->entries[0]->detail, "read unmasked (完整信息)");
    assert_string_equal(r->audit_list->entries[0]->case_id, case_id);
    legalaid__reply__free_unpacked(r, NULL);

    /* key-3, then key-2 retired before the re-seal ran: refused, naming it. */
    assert_int_equal(seal_ring_rotate(&f.ring), 0);
    save(&f);
    assert_int_equal(reload(d, err, sizeof err), 0);
    seal_ring_retire(&f.ring);
    save(&f);
    assert_int_equal(reload(d, err, sizeof err), -1);
    if (!strstr(err, "still sealed under key-2")) fail_msg("%s", err);
    assert_int_equal(d->sec.ring->current, 3); /* the old keys stay */
    assert_non_null(seal_ring_find(d->sec.ring, 2));
    test_daemon_close(&f.td);
}

/* Rewrites every sealed value of d's store in the form of the builds
 * before format 3 and marks the store as theirs. How many it rewrote, and
 * in *packed how many of those were packed. */
static size_t to_old_form(daemon_t *d, const seal_ring_t *ring, size_t *packed)
{
    *packed = 0;
    MDB_txn *txn;
    size_t moved = 0;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
    for (int i = 0; i < d->store.n_sealed; i++) {
        MDB_cursor *c;
        assert_int_equal(mdb_cursor_open(txn, d->store.sealed[i].dbi, &c), 0);
        MDB_val k, v;
        for (int op = MDB_FIRST; mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
            assert_true(seal_is_current(ring, v.mv_data, v.mv_size));
            size_t n = seal_value_len(v.mv_data, v.mv_size);
            unsigned char *clear = malloc(n + 1), *old = malloc(n + 43);
            assert_int_equal(seal_open(ring, d->svc->name, k.mv_data, k.mv_size, v.mv_data, v.mv_size, clear), 0);
            int kind = seal_kind(v.mv_data) == SEAL_PACKED ? 'Z' : 'S';
            *packed += kind == 'Z';
            /* The key copied: k points into the page the put rewrites. */
            unsigned char key[512];
            assert_true(k.mv_size <= sizeof key);
            memcpy(key, k.mv_data, k.mv_size);
            MDB_val kc = {k.mv_size, key};
            MDB_val ov = {old_form(&ring->keys[0], kind, key, k.mv_size, clear, n, old), old};
            assert_int_equal(mdb_cursor_put(c, &kc, &ov, MDB_CURRENT), 0);
            free(clear);
            free(old);
            moved++;
        }
        mdb_cursor_close(c);
    }
    MDB_val fk = {9, "seal.form"};
    assert_int_equal(mdb_del(txn, d->meta, &fk, NULL), 0);
    assert_int_equal(store_put_u64(txn, d->meta, "store.format", 2), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    return moved;
}

/* How many sealed values of d's store are not in the short form under the
 * current key, and the bytes of all. */
static size_t not_current(daemon_t *d, size_t *bytes)
{
    MDB_txn *txn;
    size_t n = 0;
    *bytes = 0;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    for (int i = 0; i < d->store.n_sealed; i++) {
        MDB_cursor *c;
        assert_int_equal(mdb_cursor_open(txn, d->store.sealed[i].dbi, &c), 0);
        MDB_val k, v;
        for (int op = MDB_FIRST; mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
            n += !seal_is_current(d->sec.ring, v.mv_data, v.mv_size);
            *bytes += v.mv_size;
        }
        mdb_cursor_close(c);
    }
    mdb_txn_abort(txn);
    return n;
}

/* A store sealed by a build before format 3: it opens, every record reads,
 * and the background turns move every value to the short form (24 bytes
 * fewer each), after which a restart finds nothing left to move. With
 * pending, the older build had left a rotation's pass past the store's
 * last value: the values it moved are in the old form too, and the pass
 * starts again from the first table. */
static void old_store_moves(int pending)
{
    seal_fixture_t f;
    daemon_t *d = sealed_intake(&f);
    assert_int_equal(test_counter(d, "seal.resealing"), 0); /* a new store: nothing to move */
    /* Enough applications for some tables' first dictionaries: packed
     * values ('Z' in the old form) move too. */
    test_submit_t p;
    char case_id[64];
    for (int i = 0; i < 200; i++) {
        ik_civil_init(&p);
        p.person.name = "赵六";
        Legalaid__Reply *r = ik_expect_ok(d, &p);
        snprintf(case_id, sizeof case_id, "%s", r->application_accepted->case_id);
        legalaid__reply__free_unpacked(r, NULL);
    }

    size_t before, old_bytes, bytes, packed;
    assert_int_equal(not_current(d, &before), 0);
    size_t values = to_old_form(d, &f.ring, &packed);
    if (values < 300 || packed < 10) fail_msg("%zu sealed values, %zu packed", values, packed);
    assert_int_equal(not_current(d, &old_bytes), values); /* the control */
    assert_int_equal(old_bytes, before + 24 * values);
    if (pending) {
        MDB_txn *txn;
        assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
        const char *last = d->store.sealed[d->store.n_sealed - 1].name;
        char pass[64];
        size_t n = (size_t)snprintf(pass, sizeof pass, "%s", last) + 1;
        memset(pass + n, 0xff, 8);
        MDB_val pk = {9, "seal.pass"}, pv = {n + 8, pass};
        assert_int_equal(mdb_put(txn, d->meta, &pk, &pv, 0), 0);
        assert_int_equal(mdb_txn_commit(txn), 0);
    }

    assert_int_equal(reopen(&f, &f.ring), 0);
    assert_true(d->reseal_due);
    Legalaid__Reply *r = ik_get_application(d, case_id); /* read in the old form */
    assert_string_equal(r->application->applicant->name, "赵六");
    legalaid__reply__free_unpacked(r, NULL);
    for (int i = 0; i < 50 && test_counter(d, "seal.resealing"); i++) {
    }
    assert_int_equal(test_counter(d, "seal.resealing"), 0);
    assert_true(test_counter(d, "seal.moved") >= values);
    assert_int_equal(not_current(d, &bytes), 0);
    if (bytes > old_bytes - 24 * values)
        fail_msg("%zu bytes after, %zu before: not 24 fewer a value", bytes, old_bytes);
    r = ik_get_application(d, case_id);
    assert_string_equal(r->application->applicant->name, "赵六");
    legalaid__reply__free_unpacked(r, NULL);
    ik_expect_case(d, &p, case_id, 1); /* found again by the keyed hash */

    MDB_txn *txn;
    uint64_t format;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(store_get_u64(txn, d->meta, "store.format", &format), 0);
    assert_int_equal(format, 4); /* this build's */
    mdb_txn_abort(txn);
    assert_int_equal(reopen(&f, &f.ring), 0);
    assert_false(d->reseal_due);
    test_daemon_close(&f.td);
}

static void test_old_store_moves_to_short_form(void **state)
{
    (void)state;
    old_store_moves(0);
}

static void test_old_store_mid_rotation_moves_to_short_form(void **state)
{
    (void)state;
    old_store_moves(1);
}

static uint32_t be32_of(const void *p)
{
    const unsigned char *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The numbers of the dictionaries of d's store that are no table's newest
 * (zcurrent), at most max; how many. */
static size_t older_dictionaries(daemon_t *d, uint32_t *out, size_t max)
{
    MDB_txn *txn;
    MDB_dbi dicts, current;
    MDB_cursor *c, *cc;
    MDB_val k, v, ck, cv;
    size_t n = 0;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "zdicts", 0, &dicts), 0);
    assert_int_equal(mdb_dbi_open(txn, "zcurrent", 0, &current), 0);
    assert_int_equal(mdb_cursor_open(txn, dicts, &c), 0);
    for (int op = MDB_FIRST; n < max && mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
        int newest = 0;
        assert_int_equal(mdb_cursor_open(txn, current, &cc), 0);
        for (int cop = MDB_FIRST; mdb_cursor_get(cc, &ck, &cv, cop) == 0; cop = MDB_NEXT)
            newest |= be32_of(cv.mv_data) == be32_of(k.mv_data);
        mdb_cursor_close(cc);
        if (!newest) out[n++] = be32_of(k.mv_data);
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    return n;
}

static int has_dictionary(daemon_t *d, uint32_t id)
{
    MDB_txn *txn;
    MDB_dbi dicts;
    unsigned char key[4] = {(unsigned char)(id >> 24), (unsigned char)(id >> 16),
                            (unsigned char)(id >> 8), (unsigned char)id};
    MDB_val k = {4, key}, v;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, "zdicts", 0, &dicts), 0);
    int rc = mdb_get(txn, dicts, &k, &v);
    mdb_txn_abort(txn);
    return rc == 0;
}

/* Every sealed value of d's store opens, but at most bad; how many are
 * packed. */
static size_t all_open(daemon_t *d, int bad)
{
    MDB_txn *txn;
    size_t packed = 0;
    assert_int_equal(store_begin(d->store.env, NULL, &txn), 0);
    for (int i = 0; i < d->store.n_sealed; i++) {
        MDB_cursor *c;
        assert_int_equal(mdb_cursor_open(txn, d->store.sealed[i].dbi, &c), 0);
        MDB_val k, v;
        for (int op = MDB_FIRST; mdb_cursor_get(c, &k, &v, op) == 0; op = MDB_NEXT) {
            packed += seal_kind(v.mv_data) == SEAL_PACKED;
            MDB_val clear = v;
            int rc = store_value(txn, &k, &clear);
            if (rc && --bad < 0) fail_msg("a value of %s does not open: %d", d->store.sealed[i].name, rc);
        }
        mdb_cursor_close(c);
    }
    store_undo(txn);
    return packed;
}

/* A rotation's pass writes every value again, packed with its table's
 * newest dictionary: when it ends, the older dictionaries (holding words
 * of values since changed) are dropped, and every value still opens, in
 * this process and after a restart. */
/* Flips the last byte of the first value of d's table name. */
static void damage_first(daemon_t *d, const char *name)
{
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_cursor *c;
    MDB_val k, v;
    assert_int_equal(mdb_txn_begin(d->store.env, NULL, 0, &txn), 0);
    assert_int_equal(mdb_dbi_open(txn, name, 0, &dbi), 0);
    assert_int_equal(mdb_cursor_open(txn, dbi, &c), 0);
    assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_FIRST), 0);
    unsigned char key[64], *copy = malloc(v.mv_size);
    assert_true(k.mv_size <= sizeof key);
    memcpy(key, k.mv_data, k.mv_size);
    memcpy(copy, v.mv_data, v.mv_size);
    copy[v.mv_size - 1] ^= 1;
    MDB_val kc = {k.mv_size, key}, vc = {v.mv_size, copy};
    mdb_cursor_close(c);
    assert_int_equal(mdb_put(txn, dbi, &kc, &vc, 0), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    free(copy);
}

static void rotation_drops(int damaged)
{
    seal_fixture_t f;
    daemon_t *d = sealed_intake(&f);
    test_submit_t p;
    char case_id[64];
    for (int i = 0; i < 1300; i++) { /* a second dictionary after 1,000 more values */
        ik_civil_init(&p);
        Legalaid__Reply *r = ik_expect_ok(d, &p);
        snprintf(case_id, sizeof case_id, "%s", r->application_accepted->case_id);
        legalaid__reply__free_unpacked(r, NULL);
    }
    uint32_t older[64];
    size_t n_older = older_dictionaries(d, older, 64);
    if (n_older == 0) fail_msg("no dictionary older than its table's newest");
    all_open(d, 0);
    if (damaged) damage_first(d, "audit");

    char err[1200];
    assert_int_equal(seal_ring_rotate(&f.ring), 0);
    save(&f);
    assert_int_equal(reload(d, err, sizeof err), 0);
    for (int i = 0; i < 50 && test_counter(d, "seal.resealing"); i++) {
    }
    assert_int_equal(test_counter(d, "seal.resealing"), 0);
    for (size_t i = 0; i < n_older; i++)
        if (has_dictionary(d, older[i]) != damaged)
            fail_msg("dictionary %u %s", (unsigned)older[i], damaged ? "dropped" : "still kept");
    if (all_open(d, damaged) < 1000) fail_msg("fewer values packed than before");
    assert_int_equal(reopen(&f, &f.ring), 0);
    all_open(d, damaged);
    Legalaid__Reply *r = ik_get_application(d, case_id);
    assert_string_equal(r->application->applicant->name, "赵桂兰");
    legalaid__reply__free_unpacked(r, NULL);
    test_daemon_close(&f.td);
}

static void test_rotation_drops_older_dictionaries(void **state)
{
    (void)state;
    rotation_drops(0);
}

/* A value that does not open during the pass is left as it was, and may
 * name an older dictionary: that pass drops none. */
static void test_a_value_left_as_it_was_keeps_every_dictionary(void **state)
{
    (void)state;
    rotation_drops(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_opens_only_where_sealed),
        cmocka_unit_test(test_short_form_as_documented),
        cmocka_unit_test(test_old_form_still_opens),
        cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_intake_store_sealed_and_rotated),
        cmocka_unit_test(test_old_store_moves_to_short_form),
        cmocka_unit_test(test_old_store_mid_rotation_moves_to_short_form),
        cmocka_unit_test(test_rotation_drops_older_dictionaries),
        cmocka_unit_test(test_a_value_left_as_it_was_keeps_every_dictionary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
