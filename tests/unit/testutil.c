/*
 * testutil.c - see testutil.h.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "clock.h"

char *test_tmpdir(void)
{
    static char path[256];
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, sizeof path, "%s/legalaid-test-XXXXXX", base);
    if (!mkdtemp(path)) {
        perror("mkdtemp");
        abort();
    }
    return path;
}

void test_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

void test_lmdb_open(test_lmdb_t *l)
{
    l->dir = test_tmpdir();
    assert_int_equal(mdb_env_create(&l->env), 0);
    assert_int_equal(mdb_env_set_maxdbs(l->env, 8), 0);
    assert_int_equal(mdb_env_open(l->env, l->dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(l->env, NULL, 0, &l->txn), 0);
    arena_init(&l->arena);
}

void test_lmdb_close(test_lmdb_t *l)
{
    mdb_txn_abort(l->txn);
    mdb_env_close(l->env);
    test_rmdir(l->dir);
    arena_destroy(&l->arena);
}

void *test_lmdb_setup(void **state, size_t size)
{
    test_lmdb_t *l = calloc(1, size);
    assert_non_null(l);
    test_lmdb_open(l);
    *state = l;
    return l;
}

int test_lmdb_teardown(void **state)
{
    test_lmdb_close(*state);
    free(*state);
    return 0;
}

MDB_env *test_env_begin(const char *dir, MDB_txn **txn)
{
    MDB_env *env;
    assert_int_equal(mdb_env_create(&env), 0);
    assert_int_equal(mdb_env_set_maxdbs(env, 64), 0);
    assert_int_equal(mdb_env_set_mapsize(env, 64 << 20), 0);
    assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
    assert_int_equal(mdb_txn_begin(env, NULL, 0, txn), 0);
    return env;
}

void test_drop_table(const char *dir, const char *name)
{
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_env *env = test_env_begin(dir, &txn);
    assert_int_equal(mdb_dbi_open(txn, name, 0, &dbi), 0);
    assert_int_equal(mdb_drop(txn, dbi, 1), 0);
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

Legalaid__Reply *test_call(daemon_t *d, Legalaid__Request *req)
{
    Legalaid__Reply *r = NULL;
    int rc = daemon_call(d, req, &r);
    assert_int_equal(rc, 0);
    assert_non_null(r);
    return r;
}

Legalaid__Reply *test_call_new(daemon_t *d, Legalaid__Request *req)
{
    char id[33];
    client_request_id(id);
    req->request_id = id;
    Legalaid__Reply *r = test_call(d, req);
    req->request_id = NULL;
    return r;
}

void test_assert_code(const Legalaid__Reply *r, Legalaid__Code code)
{
    Legalaid__Code got = r->has_code ? r->code : LEGALAID__CODE__OK;
    if (got != code)
        fail_msg("expected code %d, got %d: %s (field %s)", code, got, r->error ? r->error : "-",
                 r->field ? r->field : "-");
}

void test_id_number(const char *first17, char out[19])
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (first17[i] - '0') * weights[i];
    memcpy(out, first17, 17);
    out[17] = "10X98765432"[sum % 11];
    out[18] = 0;
}

void test_feed(daemon_t *d, const char *upstream, uint64_t *seq, Legalaid__Event *ev)
{
    char event_id[40];
    ev->has_seq = 1;
    ev->seq = ++*seq;
    snprintf(event_id, sizeof event_id, "%s:%llu", upstream, (unsigned long long)ev->seq);
    ev->event_id = event_id;
    Legalaid__Event *evs[1] = {ev};
    assert_int_equal(daemon_feed(d, upstream, evs, 1), 0);
    ev->event_id = NULL;
}

void test_feed_range(daemon_t *d, const char *stream, uint64_t from, uint64_t to, uint64_t head,
                     uint64_t epoch, uint64_t restored)
{
    size_t n = from <= to ? (size_t)(to - from + 1) : 0;
    Legalaid__Event *evs = calloc(n ? n : 1, sizeof *evs);
    Legalaid__Event **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    char (*ids)[48] = calloc(n ? n : 1, sizeof *ids);
    assert_true(evs && ptrs && ids);
    for (size_t i = 0; i < n; i++) {
        legalaid__event__init(&evs[i]);
        evs[i].seq = from + i;
        evs[i].has_seq = 1;
        snprintf(ids[i], sizeof ids[i], "%s:%llu", stream, (unsigned long long)(from + i));
        evs[i].event_id = ids[i];
        evs[i].stream = (char *)stream;
        ptrs[i] = &evs[i];
    }
    Legalaid__Batch b = LEGALAID__BATCH__INIT;
    b.stream = (char *)stream;
    b.events = ptrs;
    b.n_events = n;
    b.head_seq = head;
    b.has_head_seq = 1;
    b.epoch = epoch;
    b.has_epoch = 1;
    b.restored_seq = restored;
    b.has_restored_seq = restored != 0;
    int rc = daemon_feed_batch(d, &b);
    free(evs);
    free(ptrs);
    free(ids);
    assert_int_equal(rc, 0);
}

int test_cites(const Legalaid__Decision *d, const char *article)
{
    for (size_t i = 0; i < d->n_articles; i++)
        if (!strcmp(d->articles[i], article)) return 1;
    return 0;
}

void test_received_init(test_received_t *p, const char *case_id, const char *id17)
{
    memset(p, 0, sizeof *p);
    legalaid__application__init(&p->app);
    legalaid__person__init(&p->person);
    legalaid__authority__init(&p->authority);
    legalaid__application_received__init(&p->received);
    legalaid__defence_notification_received__init(&p->notice);
    legalaid__event__init(&p->ev);
    p->person.name = "李四";
    p->person.phone = "13904721234";
    if (id17) {
        test_id_number(id17, p->id);
        p->person.id_number = p->id;
    }
    p->app.case_id = (char *)case_id;
    p->app.centre = "BT";
    p->app.applicant = &p->person;
    p->app.has_channel = 1;
    p->app.channel = LEGALAID__CHANNEL__WINDOW;
    p->app.has_category = 1;
    p->app.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
    p->app.has_scope_item = 1;
    p->app.scope_item = 5;
    p->app.matter = "unpaid wages";
    p->app.has_received_at = 1;
    p->app.received_at = clock_now_ms();
    p->received.application = &p->app;
    p->ev.case_id = (char *)case_id;
    p->ev.body_case = LEGALAID__EVENT__BODY_APPLICATION_RECEIVED;
    p->ev.application_received = &p->received;
}

void test_received_notice(test_received_t *p, Legalaid__MandatoryGround ground,
                          Legalaid__AuthorityKind kind, const char *name)
{
    p->app.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    p->app.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
    p->app.has_scope_item = 0;
    p->app.has_ground = 1;
    p->app.ground = ground;
    p->authority.has_kind = 1;
    p->authority.kind = kind;
    p->authority.name = (char *)name;
    p->app.authority = &p->authority;
    p->notice.application = &p->app;
    p->ev.body_case = LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED;
    p->ev.defence_notification_received = &p->notice;
}

void test_submit_init(test_submit_t *p, const char *id17, const char *name,
                      Legalaid__MatterCategory category, const char *matter)
{
    memset(p, 0, sizeof *p);
    legalaid__request__init(&p->req);
    legalaid__submit_application__init(&p->sub);
    legalaid__application__init(&p->app);
    legalaid__person__init(&p->person);
    legalaid__proxy__init(&p->proxy);
    legalaid__person__init(&p->proxy_person);
    legalaid__authority__init(&p->authority);
    test_id_number(id17, p->id_number);
    p->person.name = (char *)name;
    p->person.id_number = p->id_number;
    p->person.phone = "13904721234";
    p->app.applicant = &p->person;
    p->app.has_channel = 1;
    p->app.channel = LEGALAID__CHANNEL__WINDOW;
    p->app.has_category = 1;
    p->app.category = category;
    p->app.matter = (char *)matter;
    p->sub.application = &p->app;
    p->req.body_case = LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION;
    p->req.submit_application = &p->sub;
}

void test_submit_invalid(daemon_t *d, test_submit_t *p, const char *field, const char *words)
{
    Legalaid__Reply *r = test_call_new(d, &p->req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, field);
    if (!strstr(r->error, words)) fail_msg("error '%s' lacks '%s'", r->error, words);
    legalaid__reply__free_unpacked(r, NULL);
}

void test_daemon_open(test_daemon_t *td, const service_t *svc, int64_t now_ms)
{
    snprintf(td->dir, sizeof td->dir, "%s", test_tmpdir());
    td->d = daemon_open_test(svc, td->dir);
    assert_non_null(td->d);
    clock_hold(now_ms);
}

void test_daemon_close(test_daemon_t *td)
{
    daemon_close_test(&td->d);
    test_rmdir(td->dir);
}

int test_fixture_setup(void **state, size_t size, const service_t *svc, int64_t now_ms)
{
    test_daemon_t *td = calloc(1, size);
    test_daemon_open(td, svc, now_ms);
    *state = td;
    return 0;
}

int test_fixture_teardown(void **state)
{
    test_daemon_close(*state);
    free(*state);
    return 0;
}

void test_feed_pool(daemon_t *d, uint64_t *seq, char *const *ids, size_t n, const char *firm)
{
    Legalaid__Lawyer l[64], *lp[64];
    assert_true(n <= 64);
    for (size_t i = 0; i < n; i++) {
        legalaid__lawyer__init(&l[i]);
        l[i].id = ids[i];
        l[i].name = "值班律师";
        l[i].firm = (char *)firm;
        l[i].phone = "13947201234";
        l[i].has_status = l[i].has_kind = 1;
        l[i].status = LEGALAID__LAWYER_STATUS__ACTIVE;
        l[i].kind = LEGALAID__PROVIDER_KIND__PROVIDER_LAWYER;
        lp[i] = &l[i];
    }
    Legalaid__LawyersImported li = LEGALAID__LAWYERS_IMPORTED__INIT;
    li.lawyers = lp;
    li.n_lawyers = n;
    char event_id[32];
    Legalaid__Event ev = LEGALAID__EVENT__INIT, *evp = &ev;
    ev.has_seq = 1;
    ev.seq = ++*seq;
    snprintf(event_id, sizeof event_id, "dispatch:%llu", (unsigned long long)ev.seq);
    ev.event_id = event_id;
    ev.stream = "dispatch";
    ev.body_case = LEGALAID__EVENT__BODY_LAWYERS_IMPORTED;
    ev.lawyers_imported = &li;
    assert_int_equal(daemon_feed(d, "dispatch", &evp, 1), 0);
}

uint64_t test_status_counter(const Legalaid__StreamStatus *st, const char *name)
{
    for (size_t i = 0; i < st->n_counters; i++)
        if (!strcmp(st->counters[i]->name, name)) return st->counters[i]->value;
    fail_msg("no counter %s", name);
    return 0;
}

Legalaid__Reply *test_status(daemon_t *d)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
    req.stream_status = &q;
    Legalaid__Reply *r = test_call(d, &req);
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_STREAM_STATUS);
    return r;
}

uint64_t test_counter(daemon_t *d, const char *name)
{
    Legalaid__Reply *r = test_status(d);
    uint64_t v = test_status_counter(r->stream_status, name);
    legalaid__reply__free_unpacked(r, NULL);
    return v;
}

Legalaid__Reply *test_fetch(daemon_t *d, const char *stream, const char *consumer, uint64_t after)
{
    Legalaid__Fetch f = LEGALAID__FETCH__INIT;
    f.stream = (char *)stream;
    f.consumer = (char *)consumer;
    f.after_seq = after;
    f.has_after_seq = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_FETCH;
    req.fetch = &f;
    return test_call_new(d, &req);
}

Legalaid__Reply *test_consumer_drop(daemon_t *d, const char *consumer)
{
    Legalaid__DropConsumer q = LEGALAID__DROP_CONSUMER__INIT;
    q.consumer = (char *)consumer;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_DROP_CONSUMER;
    req.drop_consumer = &q;
    return test_call_new(d, &req);
}
