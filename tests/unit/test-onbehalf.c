/*
 * test-onbehalf.c - the gateway acting for a person signed in to its
 * pages (Request.on_behalf.person): only the roles its allow-list line
 * delegates, each bound as the allow-list binds it, and never for anyone
 * but an edge. The principal the daemon then sees is PERSON@GATEWAY with
 * exactly those roles: an operations user may read the queues but not
 * re-drive a dead letter.
 */
#include <stdio.h>
#include <string.h>

#include "intake.h"
#include "testutil.h"

static const principal_t edge = {.name = "gateway",
                                 .roles = ROLE_EDGE,
                                 .delegate = ROLE_STAFF | ROLE_OPERATIONS | ROLE_STATION |
                                             ROLE_LAWYER | ROLE_ADMIN};
static const principal_t edge_no_delegate = {.name = "gateway", .roles = ROLE_EDGE};
static const principal_t staff = {.name = "desk-7", .roles = ROLE_STAFF};

static Legalaid__Reply *ask_as(test_daemon_t *td, const principal_t *as, Legalaid__OnBehalf *ob,
                               int redrive)
{
    Legalaid__StreamStatusQuery q = LEGALAID__STREAM_STATUS_QUERY__INIT;
    Legalaid__RedriveDeadLetter rd = LEGALAID__REDRIVE_DEAD_LETTER__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    if (redrive) {
        rd.id = 99;
        rd.has_id = 1;
        req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_DEAD_LETTER;
        req.redrive_dead_letter = &rd;
    } else {
        req.body_case = LEGALAID__REQUEST__BODY_STREAM_STATUS;
        req.stream_status = &q;
    }
    req.on_behalf = ob;
    daemon_test_act_as(td->d, as);
    Legalaid__Reply *r = test_call_new(td->d, &req);
    daemon_test_act_as(td->d, NULL);
    return r;
}

static void expect(test_daemon_t *td, const principal_t *as, Legalaid__OnBehalf *ob, int redrive,
                   Legalaid__Code code, const char *field, const char *words)
{
    Legalaid__Reply *r = ask_as(td, as, ob, redrive);
    test_assert_code(r, code);
    if (field) assert_string_equal(r->field, field);
    if (words) assert_non_null(strstr(r->error, words));
    legalaid__reply__free_unpacked(r, NULL);
}

static void test_person_roles_are_the_delegated_ones(void **state)
{
    test_daemon_t *td = *state;
    Legalaid__OnBehalf ob = LEGALAID__ON_BEHALF__INIT;
    ob.person = "wang.ops";
    ob.roles = "operations";
    expect(td, &edge, &ob, 0, LEGALAID__CODE__OK, NULL, NULL);
    /* Operations read; re-driving is staff's or an administrator's. */
    expect(td, &edge, &ob, 1, LEGALAID__CODE__FORBIDDEN, "body", "wang.ops@gateway");
    /* An administrator gets as far as the dead letter (there is none). */
    ob.person = "li.admin";
    ob.roles = "admin";
    expect(td, &edge, &ob, 1, LEGALAID__CODE__NOT_FOUND, NULL, NULL);
}

static void test_refused_roles_and_bindings(void **state)
{
    test_daemon_t *td = *state;
    Legalaid__OnBehalf ob = LEGALAID__ON_BEHALF__INIT;
    ob.person = "wang.ops";
    ob.roles = "operations";
    /* Only an edge acts for anyone. */
    expect(td, &staff, &ob, 0, LEGALAID__CODE__FORBIDDEN, "on_behalf", "desk-7");
    /* An edge without delegate= acts for agencies only. */
    expect(td, &edge_no_delegate, &ob, 0, LEGALAID__CODE__FORBIDDEN, "on_behalf.roles",
           "no delegate=");
    /* Never a role outside delegate=, nor a made-up one. */
    ob.roles = "officer";
    expect(td, &edge, &ob, 0, LEGALAID__CODE__FORBIDDEN, "on_behalf.roles", "officer");
    ob.roles = "judge";
    expect(td, &edge, &ob, 0, LEGALAID__CODE__INVALID_FIELD, "on_behalf.roles", "judge");
    ob.roles = NULL;
    expect(td, &edge, &ob, 0, LEGALAID__CODE__INVALID_FIELD, "on_behalf.roles", NULL);
    /* A station desk is bound to its station, a lawyer to itself. */
    ob.roles = "station";
    expect(td, &edge, &ob, 0, LEGALAID__CODE__INVALID_FIELD, "on_behalf.station", NULL);
    ob.station = "S01";
    ob.roles = "operations";
    expect(td, &edge, &ob, 0, LEGALAID__CODE__INVALID_FIELD, "on_behalf.station", NULL);
    ob.station = NULL;
    ob.roles = "lawyer";
    expect(td, &edge, &ob, 0, LEGALAID__CODE__INVALID_FIELD, "on_behalf.lawyer", NULL);
}

static void test_allow_list_delegate(void **state)
{
    (void)state;
    principal_t p;
    char err[300], line[700];
    const char *key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    snprintf(line, sizeof line, "%s gateway edge delegate=staff,operations,admin", key);
    assert_int_equal(principal_parse_line(line, &p, err, sizeof err), 0);
    assert_int_equal(p.delegate, ROLE_STAFF | ROLE_OPERATIONS | ROLE_ADMIN);
    char back[700];
    principal_line(&p, back, sizeof back);
    assert_string_equal(back, line); /* written as read */
    snprintf(line, sizeof line, "%s gateway edge delegate=staff,unmask", key);
    assert_int_equal(principal_parse_line(line, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "never"));
    snprintf(line, sizeof line, "%s desk staff delegate=staff", key);
    assert_int_equal(principal_parse_line(line, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "edge"));
}

static int setup(void **state)
{
    return test_fixture_setup(state, sizeof(test_daemon_t), &intake_service, 1772409600000LL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_person_roles_are_the_delegated_ones, setup,
                                        test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_refused_roles_and_bindings, setup,
                                        test_fixture_teardown),
        cmocka_unit_test(test_allow_list_delegate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
