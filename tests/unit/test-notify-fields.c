/*
 * test-notify-fields.c - the fields a template may insert, read from an
 * event's body when a template asks for them (services/notify/
 * notify_fields.c): a nested path, the ".date" of a time, a list joined, a
 * citation in Chinese, an absent field empty, an ID number never; a value
 * set by a rule wins over the body's, a prefix scopes a message, and of
 * several messages the latest that has a field gives it (a list, even
 * empty, is always had).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "i18n.h"
#include "notify_fields.h"
#include "notify_render.h"
#include "testutil.h"

/* An offer to 王律师 that expires 2025-12-01 11:00 +08:00. */
typedef struct lawyer_offer {
    Legalaid__Lawyer lawyer;
    Legalaid__Offer offer;
} lawyer_offer_t;

static void lawyer_offer_init(lawyer_offer_t *o)
{
    legalaid__lawyer__init(&o->lawyer);
    o->lawyer.name = "王律师";
    legalaid__offer__init(&o->offer);
    o->offer.lawyer = &o->lawyer;
    o->offer.has_expires_at = 1;
    o->offer.expires_at = 1764558000000;
}

/* f over the messages given as (prefix, message) pairs up to a NULL
 * prefix, added in that order. */
static void fields_over(notify_fields_t *f, arena_t *a, ...)
{
    va_list ap;
    va_start(ap, a);
    notify_fields_init(f, a);
    const char *prefix;
    while ((prefix = va_arg(ap, const char *)))
        notify_fields_add_message(f, prefix, va_arg(ap, const ProtobufCMessage *));
    va_end(ap);
}

/* Each test's arena and offer, texts in Chinese. */
typedef struct fields_fixture {
    arena_t a;
    lawyer_offer_t lo;
} fields_fixture_t;

static int fields_setup(void **state)
{
    fields_fixture_t *x = calloc(1, sizeof *x);
    if (!x) return -1;
    i18n_init("zh_CN");
    arena_init(&x->a);
    lawyer_offer_init(&x->lo);
    *state = x;
    return 0;
}

static int fields_teardown(void **state)
{
    fields_fixture_t *x = *state;
    arena_destroy(&x->a);
    free(x);
    i18n_init("en");
    return 0;
}

static void test_fields_read_from_the_body(void **state)
{
    fields_fixture_t *x = *state;
    arena_t *a = &x->a;
    x->lo.lawyer.has_capacity = 1;
    x->lo.lawyer.capacity = 7;
    Legalaid__Offer offer = x->lo.offer;

    Legalaid__Person applicant = LEGALAID__PERSON__INIT;
    applicant.name = "李某";
    applicant.id_number = "110101199003071234";
    Legalaid__Decision decision = LEGALAID__DECISION__INIT;
    char *articles[] = {"Legal Aid Law art. 31", "Legal Aid Law art. 34"};
    decision.articles = articles;
    decision.n_articles = 2;
    decision.case_id = "BT-2026-000001";
    char *missing[] = {"身份证明", "经济困难承诺"};
    decision.missing_materials = missing;
    decision.n_missing_materials = 2;

    notify_fields_t f;
    fields_over(&f, a, "offer", &offer.base, "", &decision.base, "applicant", &applicant.base,
                NULL);

    assert_string_equal(notify_fields_get(&f, "offer.lawyer.name"), "王律师");
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.capacity"), "7");
    assert_string_equal(notify_fields_get(&f, "offer.expires_at.date"),
                        notify_render_date(a, offer.expires_at));
    assert_true(strlen(notify_fields_get(&f, "offer.expires_at")) >
                strlen(notify_fields_get(&f, "offer.expires_at.date")));
    assert_string_equal(notify_fields_get(&f, "missing_materials"), "身份证明、经济困难承诺");
    assert_string_equal(notify_fields_get(&f, "articles"),
                        notify_render_articles(a, articles, 2));
    assert_non_null(strstr(notify_fields_get(&f, "articles"), "第31条"));
    assert_string_equal(notify_fields_get(&f, "case_id"), "BT-2026-000001");
    /* Absent, unknown, a message itself, an ID number: nothing. */
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.firm"), "");
    assert_string_equal(notify_fields_get(&f, "offer.offered_at.date"), "");
    assert_string_equal(notify_fields_get(&f, "offer.lawyer"), "");
    assert_string_equal(notify_fields_get(&f, "offer.no_such"), "");
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.name.date"), "");
    assert_string_equal(notify_fields_get(&f, "applicant.name"), "李某");
    assert_string_equal(notify_fields_get(&f, "applicant.id_number"), "");
    /* Without its prefix, a scoped message's field is not found. */
    assert_string_equal(notify_fields_get(&f, "lawyer.name"), "");
    /* A rule's value wins over the body's. */
    notify_fields_set(&f, "offer.lawyer.name", "张律师");
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.name"), "张律师");
    notify_fields_set(&f, "offer.lawyer.name", "赵律师");
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.name"), "赵律师");
}

/* Many values set: each read back as last set (the index by name). */
static void test_many_values_set(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a);
    notify_fields_t f;
    notify_fields_init(&f, &a);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 500; i++) {
            char name[32];
            snprintf(name, sizeof name, "f%d", i);
            notify_fields_set(&f, arena_strdup(&a, name), arena_printf(&a, "%d-%d", i, round));
        }
    assert_int_equal(f.n, 500);
    for (int i = 0; i < 500; i++) {
        char name[32], want[32];
        snprintf(name, sizeof name, "f%d", i);
        snprintf(want, sizeof want, "%d-1", i);
        assert_string_equal(notify_fields_get(&f, name), want);
    }
    assert_string_equal(notify_fields_get(&f, "f500"), "");
    arena_destroy(&a);
}

/* Two messages at the same paths: the latest wins where it has the field;
 * where it has not (a string, a sub-message, a time), the earlier one's
 * reads. A list has no "not": the latest's reads, even empty. */
static void test_latest_message_then_earlier(void **state)
{
    fields_fixture_t *x = *state;
    arena_t *a = &x->a;
    Legalaid__Offer earlier = x->lo.offer, latest = LEGALAID__OFFER__INIT;
    earlier.has_offered_at = latest.has_offered_at = 1;
    earlier.offered_at = 1764471600000; /* 2025-11-30 11:00 +08:00 */
    latest.offered_at = 1764558000000;  /* a day later */
    Legalaid__Decision first = LEGALAID__DECISION__INIT, second = LEGALAID__DECISION__INIT;
    char *articles[] = {"Legal Aid Law art. 31"};
    first.articles = articles;
    first.n_articles = 1;

    notify_fields_t f;
    fields_over(&f, a, "offer", &earlier.base, "decision", &first.base, "offer", &latest.base,
                "decision", &second.base, NULL);
    assert_string_equal(notify_fields_get(&f, "offer.offered_at.date"),
                        notify_render_date(a, latest.offered_at));
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.name"), "王律师");
    assert_string_equal(notify_fields_get(&f, "offer.expires_at.date"),
                        notify_render_date(a, earlier.expires_at));
    assert_string_equal(notify_fields_get(&f, "decision.articles"), "");
    /* In neither: empty. */
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.firm"), "");
    assert_string_equal(notify_fields_get(&f, "decision.case_id"), "");
}

/* A list emptied in the latest message (every material since provided)
 * reads empty, not as the earlier message's list: the wire cannot tell an
 * empty list from an absent one, and an applicant must not be told of
 * materials no longer missing. A list only the latest has reads as its. */
static void test_emptied_list_not_from_earlier(void **state)
{
    fields_fixture_t *x = *state;
    arena_t *a = &x->a;
    Legalaid__Decision earlier = LEGALAID__DECISION__INIT, latest = LEGALAID__DECISION__INIT;
    char *missing[] = {"身份证明", "经济困难承诺"};
    earlier.missing_materials = missing;
    earlier.n_missing_materials = 2;
    char *articles[] = {"Legal Aid Law art. 31"};
    earlier.articles = articles;
    earlier.n_articles = 1;
    earlier.case_id = "BT-2026-000001";

    notify_fields_t f;
    fields_over(&f, a, "", &earlier.base, "", &latest.base, NULL);
    assert_string_equal(notify_fields_get(&f, "missing_materials"), "");
    assert_string_equal(notify_fields_get(&f, "articles"), "");
    /* An optional string absent from the latest still reads the earlier's. */
    assert_string_equal(notify_fields_get(&f, "case_id"), "BT-2026-000001");

    fields_over(&f, a, "", &latest.base, "", &earlier.base, NULL);
    assert_string_equal(notify_fields_get(&f, "missing_materials"), "身份证明、经济困难承诺");
    assert_string_equal(notify_fields_get(&f, "articles"), notify_render_articles(a, articles, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fields_read_from_the_body, fields_setup,
                                        fields_teardown),
        cmocka_unit_test(test_many_values_set),
        cmocka_unit_test_setup_teardown(test_latest_message_then_earlier, fields_setup,
                                        fields_teardown),
        cmocka_unit_test_setup_teardown(test_emptied_list_not_from_earlier, fields_setup,
                                        fields_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
