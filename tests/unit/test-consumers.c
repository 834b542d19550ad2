/*
 * test-consumers.c - only the consumers of a stream keep a position on it
 * (issue 18, finding 2), through dispatch's real turns: a fetch by a name
 * that consumes no stream of dispatch's is refused and leaves no position;
 * a real consumer's fetch is answered and acknowledged; with principals,
 * only the consumer's own principal may fetch as it; [dispatch] consumers
 * admits another name; staff drop a position with DropConsumer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_int.h"
#include "dispatchkit.h"
#include "testutil.h"

typedef dk_fixture_t fixture_t;

static Legalaid__Reply *fetch_as(daemon_t *d, const char *consumer, uint64_t after)
{
    return test_fetch(d, "dispatch", consumer, after);
}

/* The consumer names dispatch's status lists, comma-joined, in out. */
static void positions(daemon_t *d, char *out, size_t size)
{
    Legalaid__Reply *r = test_status(d);
    out[0] = 0;
    for (size_t i = 0; i < r->stream_status->n_consumers; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? "," : "",
                 r->stream_status->consumers[i]->consumer);
    legalaid__reply__free_unpacked(r, NULL);
}

static Legalaid__Reply *drop(daemon_t *d, const char *consumer)
{
    return test_consumer_drop(d, consumer);
}

static void test_unknown_consumer_refused(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    char seen[256];
    for (int i = 0; i < 50; i++) {
        char name[32];
        snprintf(name, sizeof name, "fake-%d", i);
        Legalaid__Reply *r = fetch_as(d, name, 0);
        test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
        assert_string_equal(r->field, "fetch.consumer");
        assert_non_null(strstr(r->error, "is not a consumer of the stream 'dispatch'"));
        assert_non_null(strstr(r->error, "eligibility, intake, notify, roster"));
        legalaid__reply__free_unpacked(r, NULL);
    }
    positions(d, seen, sizeof seen);
    assert_string_equal(seen, "");

    /* A real consumer is answered, and its position kept. */
    Legalaid__Reply *r = fetch_as(d, "roster", 0);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_BATCH);
    legalaid__reply__free_unpacked(r, NULL);
    positions(d, seen, sizeof seen);
    assert_string_equal(seen, "roster");

    /* [dispatch] consumers admits a further name. */
    char *configured = d->cfg.consumers;
    d->cfg.consumers = "report-tool, fake-7";
    r = fetch_as(d, "fake-7", 0);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_BATCH);
    legalaid__reply__free_unpacked(r, NULL);
    r = fetch_as(d, "fake-", 0);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    legalaid__reply__free_unpacked(r, NULL);
    d->cfg.consumers = configured;
}

static void test_own_principal_only(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    principal_t intake, roster;
    memset(&intake, 0, sizeof intake);
    memset(&roster, 0, sizeof roster);
    snprintf(intake.name, sizeof intake.name, "intake");
    snprintf(roster.name, sizeof roster.name, "roster");
    intake.roles = roster.roles = ROLE_PEER;
    daemon_test_act_as(d, &intake);
    Legalaid__Reply *r = fetch_as(d, "roster", 0);
    test_assert_code(r, LEGALAID__CODE__FORBIDDEN);
    assert_non_null(strstr(r->error, "only the principal roster may fetch as the consumer roster"));
    legalaid__reply__free_unpacked(r, NULL);
    char seen[256];
    daemon_test_act_as(d, NULL);
    positions(d, seen, sizeof seen);
    assert_string_equal(seen, "");
    daemon_test_act_as(d, &roster);
    r = fetch_as(d, "roster", 0);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_BATCH);
    legalaid__reply__free_unpacked(r, NULL);
    daemon_test_act_as(d, NULL);
    positions(d, seen, sizeof seen);
    assert_string_equal(seen, "roster");
}

static void test_drop_consumer(void **state)
{
    fixture_t *f = *state;
    daemon_t *d = f->td.d;
    Legalaid__Reply *r = fetch_as(d, "notify", 0);
    legalaid__reply__free_unpacked(r, NULL);
    r = drop(d, "notify");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_int_equal(r->body_case, LEGALAID__REPLY__BODY_CONSUMER_DROPPED);
    assert_true(r->consumer_dropped->dropped);
    assert_true(r->consumer_dropped->configured);
    assert_string_equal(r->consumer_dropped->stream, "dispatch");
    legalaid__reply__free_unpacked(r, NULL);
    char seen[256];
    positions(d, seen, sizeof seen);
    assert_string_equal(seen, "");
    r = drop(d, "fake-1");
    test_assert_code(r, LEGALAID__CODE__OK);
    assert_false(r->consumer_dropped->dropped);
    assert_false(r->consumer_dropped->configured);
    legalaid__reply__free_unpacked(r, NULL);
    r = drop(d, "");
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    legalaid__reply__free_unpacked(r, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unknown_consumer_refused, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_own_principal_only, dk_setup, dk_teardown),
        cmocka_unit_test_setup_teardown(test_drop_consumer, dk_setup, dk_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
