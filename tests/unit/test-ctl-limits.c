/*
 * test-ctl-limits.c - a line of a file given to legalaidctl with a field
 * over its limit, or with bytes that are not UTF-8, is refused naming the
 * field ("line 2: field matter: longer than 2,000 bytes"), for every kind
 * of file (applications, consultations, lawyers in JSON and CSV, stations,
 * shifts, agreements, templates, the duty log); the limits are the ones
 * the daemons apply (intake refuses one byte more, takes the limit), and a
 * daemon refuses text that is not UTF-8 from any client naming the field.
 * A request larger than the daemon's max_frame_bytes is refused unsent,
 * as TOO_LARGE saying nothing was applied, never left "unknown" (issue 17,
 * items 8 and 9).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "ctl.h"
#include "dispatch.h"
#include "dispatch.pb-c.h"
#include "eligibility.pb-c.h"
#include "intake.h"
#include "intake.pb-c.h"
#include "intakekit.h"
#include "la_limits.h"
#include "roster.pb-c.h"
#include "testutil.h"

/* n bytes of c (malloc'ed). */
static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = 0;
    return s;
}

/* Parses line as desc: the message, or NULL with *err. */
static ProtobufCMessage *parse(arena_t *a, const ProtobufCMessageDescriptor *desc, const char *line,
                               pbjson_error_t *err)
{
    memset(err, 0, sizeof *err);
    return pbjson_parse(line, desc, 480, a, err);
}

/* Expects line refused naming field, with words in the message. */
static void expect_refused(const ProtobufCMessageDescriptor *desc, const char *line,
                           const char *field, const char *words)
{
    arena_t a;
    arena_init(&a);
    pbjson_error_t err;
    ProtobufCMessage *m = parse(&a, desc, line, &err);
    if (m) fail_msg("%s: a line with a bad %s was taken", desc->name, field);
    assert_string_equal(err.field, field);
    if (!strstr(err.message, words)) fail_msg("'%s' lacks '%s'", err.message, words);
    arena_destroy(&a);
}

static void expect_taken(const ProtobufCMessageDescriptor *desc, const char *line)
{
    arena_t a;
    arena_init(&a);
    pbjson_error_t err;
    if (!parse(&a, desc, line, &err))
        fail_msg("%s: refused: field %s: %s", desc->name, err.field, err.message);
    arena_destroy(&a);
}

/* A line whose field `key` holds value (no escaping needed) after prefix. */
static char *line_with(const char *prefix, const char *key, const char *value, const char *suffix)
{
    size_t n = strlen(prefix) + strlen(key) + strlen(value) + strlen(suffix) + 16;
    char *s = malloc(n);
    snprintf(s, n, "{%s\"%s\":\"%s\"%s}", prefix, key, value, suffix);
    return s;
}

/* The matter: 2,000 bytes taken, 2,001 and 2 MB refused naming it. */
static void test_matter_limit(void **state)
{
    (void)state;
    const char *pre = "\"channel\":\"window\",\"category\":\"civil\",";
    char *at = repeat('x', LA_MATTER_MAX), *over = repeat('x', LA_MATTER_MAX + 1),
         *huge = repeat('x', 2u << 20);
    char *l1 = line_with(pre, "matter", at, ""), *l2 = line_with(pre, "matter", over, ""),
         *l3 = line_with(pre, "matter", huge, "");
    expect_taken(&legalaid__application__descriptor, l1);
    expect_refused(&legalaid__application__descriptor, l2, "matter",
                   "longer than 2,000 bytes (2,001 given");
    expect_refused(&legalaid__application__descriptor, l3, "matter",
                   "longer than 2,000 bytes (2,097,152 given");
    free(at), free(over), free(huge), free(l1), free(l2), free(l3);
}

/* Every kind of file: a field one byte over its limit is named; at the
 * limit it is taken; a list over its count is named. */
static void test_limits_per_kind(void **state)
{
    (void)state;
    static const struct {
        const ProtobufCMessageDescriptor *desc;
        const char *prefix, *key, *suffix, *field;
        size_t max;
    } cases[] = {
        {&legalaid__application__descriptor, "\"applicant\":{", "name", "}", "applicant.name",
         LA_PERSON_NAME_MAX},
        {&legalaid__application__descriptor, "\"proxy\":{", "proof_of_authority", "}",
         "proxy.proof_of_authority", LA_PROOF_MAX},
        {&legalaid__application__descriptor, "", "opposing_party", "", "opposing_party",
         LA_PARTY_MAX},
        {&legalaid__consultation__descriptor, "", "topic", "", "topic", LA_TOPIC_MAX},
        {&legalaid__lawyer__descriptor, "\"id\":\"BT-L1\",", "name", "", "name", LA_NAME_MAX},
        {&legalaid__lawyer__descriptor, "", "id", "", "id", LA_LAWYER_ID_MAX},
        {&legalaid__station__descriptor, "", "code", "", "code", LA_STATION_MAX},
        {&legalaid__shift__descriptor, "", "lawyer_id", "", "lawyer_id", LA_LAWYER_ID_MAX},
        {&legalaid__agreement__descriptor, "\"lawyers\":[{\"id\":\"L1\"},{", "name", "}]",
         "lawyers[1].name", LA_NAME_MAX},
        {&legalaid__shift_template__descriptor, "", "station", "", "station", LA_STATION_MAX},
        {&legalaid__duty_log__descriptor, "", "help_given", "", "help_given", LA_NOTE_MAX},
        /* no limit of its own: the longest any field of a request takes */
        {&legalaid__calendar_day__descriptor, "", "name", "", "name", LA_FIELD_MAX},
        {&legalaid__roll_entry__descriptor, "", "region", "", "region", LA_FIELD_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *at = repeat('A', cases[i].max), *over = repeat('A', cases[i].max + 1);
        char *l1 = line_with(cases[i].prefix, cases[i].key, at, cases[i].suffix);
        char *l2 = line_with(cases[i].prefix, cases[i].key, over, cases[i].suffix);
        char words[64];
        if (cases[i].max >= 1000) /* "2,000" */
            snprintf(words, sizeof words, "longer than %zu,%03zu bytes", cases[i].max / 1000,
                     cases[i].max % 1000);
        else
            snprintf(words, sizeof words, "longer than %zu bytes", cases[i].max);
        expect_taken(cases[i].desc, l1);
        expect_refused(cases[i].desc, l2, cases[i].field, words);
        free(at), free(over), free(l1), free(l2);
    }
    /* Lists: 20 co-defendants taken, 21 refused. */
    char line[4096] = "{\"co_defendants\":[";
    for (int i = 0; i < LA_CO_DEFENDANTS_MAX + 1; i++)
        strcat(line, i ? ",{\"name\":\"x\"}" : "{\"name\":\"x\"}");
    strcat(line, "]}");
    expect_refused(&legalaid__application__descriptor, line, "co_defendants",
                   "more than 20 items (21 given");
    char *cut = strstr(line, ",{\"name\":\"x\"}]}");
    strcpy(cut, "]}");
    expect_taken(&legalaid__application__descriptor, line);
}

/* Bytes that are not UTF-8 are told in the field that holds them, at any
 * depth, in a list, in a field's name; a line that is not JSON anyway
 * says where the byte is. */
static void test_bad_utf8_named(void **state)
{
    (void)state;
    /* 张伟 in GBK, as a spreadsheet saves it on a Chinese Windows */
    expect_refused(&legalaid__application__descriptor,
                   "{\"channel\":\"window\",\"applicant\":{\"name\":\"\xd5\xc5\xce\xb0\"},"
                   "\"matter\":\"ok\"}",
                   "applicant.name", "not valid UTF-8: byte 0xD5 at byte 1 of the text");
    expect_refused(&legalaid__application__descriptor,
                   "{\"matter\":\"工资\xe6\x9c\",\"county\":\"x\"}", "matter",
                   "byte 0xE6 at byte 7");
    expect_refused(&legalaid__application__descriptor, "{\"related_cases\":[\"a\",\"b\xff\"]}",
                   "related_cases[1]", "0xFF");
    expect_refused(&legalaid__agreement__descriptor,
                   "{\"id\":\"AG-1\",\"lawyers\":[{\"id\":\"L1\",\"name\":\"\xc0\xaf\"}]}",
                   "lawyers[0].name", "not valid UTF-8");
    expect_refused(&legalaid__station__descriptor,
                   "{\"co\xff"
                   "de\":\"X\"}",
                   "co?de", "name is not valid UTF-8");
    expect_refused(&legalaid__application__descriptor, "{\"matter\":\"x\xff\"", "",
                   "not valid UTF-8 at column 13");
    /* Valid UTF-8 of every width is taken. */
    expect_taken(&legalaid__application__descriptor,
                 "{\"matter\":\"é 工资 \xf0\x9f\x98\x80\",\"county\":\"昆都仑区\"}");
}

/* Of a file, line kept was kept and lines 2 and 3 refused naming field2
 * and field3 with words2 and words3; frees recs and out. */
static void expect_lines_2_3_refused(ctl_records_t *recs, ctl_outcomes_t *out, size_t kept,
                                     const char *field2, const char *words2, const char *field3,
                                     const char *words3)
{
    assert_int_equal(recs->n, 1);
    assert_int_equal(recs->items[0].line, kept);
    assert_int_equal(out->rejected, 2);
    const char *fields[2] = {field2, field3}, *words[2] = {words2, words3};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(out->items[i].line, i + 2);
        assert_string_equal(out->items[i].field, fields[i]);
        if (!strstr(out->items[i].detail, words[i]))
            fail_msg("line %zu: '%s' lacks '%s'", i + 2, out->items[i].detail, words[i]);
    }
    ctl_outcomes_free(out);
    ctl_records_free(recs);
}

/* A file: each bad line reported on its number, the good ones kept. */
static void test_file_lines(void **state)
{
    (void)state;
    char *dir = test_tmpdir(), path[512];
    snprintf(path, sizeof path, "%s/apps.jsonl", dir);
    FILE *f = fopen(path, "w");
    char *huge = repeat('x', 2u << 20);
    fprintf(f, "{\"channel\":\"window\",\"matter\":\"ok\"}\n");
    fprintf(f, "{\"channel\":\"window\",\"matter\":\"%s\"}\n", huge);
    fprintf(f, "{\"channel\":\"window\",\"applicant\":{\"name\":\"\xd5\xc5\"}}\n");
    fclose(f);
    free(huge);
    ctl_t ctl;
    memset(&ctl, 0, sizeof ctl);
    ctl.utc_offset_min = 480;
    arena_t a;
    arena_init(&a);
    ctl_records_t recs = {0};
    ctl_outcomes_t out = {0};
    assert_int_equal(
        ctl_records_read(&ctl, path, &legalaid__application__descriptor, &a, &recs, &out), 0);
    expect_lines_2_3_refused(&recs, &out, 1, "matter", "longer than 2,000 bytes", "applicant.name",
                             "not valid UTF-8");

    /* Lawyers in CSV: the column is named, for bytes and for length. */
    snprintf(path, sizeof path, "%s/lawyers.csv", dir);
    f = fopen(path, "w");
    char *long_name = repeat('N', LA_NAME_MAX + 1);
    fprintf(f, "id,name,firm\nBT-L1,\xd5\xc5,F\nBT-L2,%s,F\nBT-L3,张伟,F\n", long_name);
    fclose(f);
    free(long_name);
    assert_int_equal(ctl_dispatch_lawyers_read(&ctl, path, &a, &recs, &out), 0);
    expect_lines_2_3_refused(&recs, &out, 4, "name", "not valid UTF-8", "name",
                             "longer than 128 bytes");
    arena_destroy(&a);
    test_rmdir(dir);
}

/* intake applies the limits the CLI checks: one byte over is refused
 * naming the field, the limit itself taken (la_limits.h on both sides). */
static void test_intake_agrees(void **state)
{
    ik_fixture_t *f = *state;
    static const struct {
        size_t max;
        const char *field;
    } cases[] = {
        {LA_MATTER_MAX, "application.matter"},
        {LA_ADDRESS_MAX, "application.applicant.address"},
        {LA_PARTY_MAX, "application.opposing_party"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (size_t extra = 0; extra <= 1; extra++) {
            char *text = repeat('x', cases[i].max + extra);
            test_submit_t p;
            ik_civil_init(&p);
            if (i == 0) p.app.matter = text;
            if (i == 1) p.person.address = text;
            if (i == 2) p.app.opposing_party = text;
            if (extra)
                test_submit_invalid(f->td.d, &p, cases[i].field, "longer than");
            else
                legalaid__reply__free_unpacked(ik_expect_ok(f->td.d, &p), NULL);
            free(text);
        }
}

/* A daemon refuses text that is not UTF-8 from any client (protobuf-c
 * does not check it), naming the field, and keeps serving. */
static void test_daemon_refuses_bad_utf8(void **state)
{
    ik_fixture_t *f = *state;
    test_submit_t p;
    ik_civil_init(&p);
    p.person.name = "\xd5\xc5\xce\xb0";
    test_submit_invalid(f->td.d, &p, "application.applicant.name", "not valid UTF-8");
    ik_civil_init(&p);
    char *huge = repeat('x', LA_FIELD_MAX + 1);
    p.app.custody_facility = huge; /* not a criminal case: only the general cap applies */
    test_submit_invalid(f->td.d, &p, "application.custody_facility", "longer than 4,000 bytes");
    free(huge);
    ik_civil_init(&p);
    legalaid__reply__free_unpacked(ik_expect_ok(f->td.d, &p), NULL);
}

static void test_dispatch_refuses_bad_utf8(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &dispatch_service, IK_T0);
    Legalaid__Lawyer l = LEGALAID__LAWYER__INIT;
    l.id = "BT-L0001";
    l.name = "\xd5\xc5";
    Legalaid__Lawyer *list[1] = {&l};
    Legalaid__ImportLawyers imp = LEGALAID__IMPORT_LAWYERS__INIT;
    imp.n_lawyers = 1;
    imp.lawyers = list;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_LAWYERS;
    req.import_lawyers = &imp;
    Legalaid__Reply *r = test_call_new(td.d, &req);
    test_assert_code(r, LEGALAID__CODE__INVALID_FIELD);
    assert_string_equal(r->field, "lawyers[0].name");
    legalaid__reply__free_unpacked(r, NULL);
    test_daemon_close(&td);
}

/* A request over the daemon's max_frame_bytes is not sent: TOO_LARGE at
 * once, saying nothing was applied, not a silence that ends "unknown". */
static void test_frame_refused_unsent(void **state)
{
    (void)state;
    char *dir = test_tmpdir(), endpoint[600];
    snprintf(endpoint, sizeof endpoint, "ipc://%s/nobody", dir); /* no daemon listens */
    client_t *c = client_new(endpoint, 50, 300);
    assert_non_null(c);
    client_set_max_frame(c, 1024);
    char *matter = repeat('x', 2000);
    Legalaid__Application app = LEGALAID__APPLICATION__INIT;
    app.matter = matter;
    Legalaid__SubmitApplication sub = LEGALAID__SUBMIT_APPLICATION__INIT;
    sub.application = &app;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION;
    req.submit_application = &sub;
    Legalaid__Reply *r = NULL;
    assert_int_equal(client_call(c, &req, &r), 0);
    assert_non_null(r);
    test_assert_code(r, LEGALAID__CODE__TOO_LARGE);
    assert_non_null(strstr(r->error, "not sent, nothing was applied"));
    char why[600];
    assert_non_null(strstr(ctl_ask_reply_problem(r, why, sizeof why), "nothing was applied"));
    legalaid__reply__free_unpacked(r, NULL);

    /* The daemon's own TOO_LARGE reads the same to the user. */
    Legalaid__Reply daemon_says = LEGALAID__REPLY__INIT;
    daemon_says.has_code = 1;
    daemon_says.code = LEGALAID__CODE__TOO_LARGE;
    daemon_says.error = "frame of 1500000 bytes exceeds max_frame_bytes=1048576";
    assert_non_null(
        strstr(ctl_ask_reply_problem(&daemon_says, why, sizeof why), "nothing was applied"));

    /* Under the limit it is sent (and here, with nobody listening, lost). */
    app.matter = "short";
    r = NULL;
    assert_int_equal(client_call(c, &req, &r), -ETIMEDOUT);
    free(matter);
    client_destroy(&c);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matter_limit),
        cmocka_unit_test(test_limits_per_kind),
        cmocka_unit_test(test_bad_utf8_named),
        cmocka_unit_test(test_file_lines),
        cmocka_unit_test_setup_teardown(test_intake_agrees, ik_setup, ik_teardown),
        cmocka_unit_test_setup_teardown(test_daemon_refuses_bad_utf8, ik_setup, ik_teardown),
        cmocka_unit_test(test_dispatch_refuses_bad_utf8),
        cmocka_unit_test(test_frame_refused_unsent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
