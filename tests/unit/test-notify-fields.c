/*
 * test-notify-fields.c - the fields a template may insert, read from an
 * event's body when a template asks for them (services/notify/
 * notify_fields.c): a nested path, the ".date" of a time, a list joined, a
 * citation in Chinese, an absent field empty, an ID number never; a value
 * set by a rule wins over the body's, a prefix scopes a message, and of
 * several messages the latest that has a field gives it.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "i18n.h"
#include "notify_fields.h"
#include "notify_render.h"
#include "testutil.h"

static void test_fields_read_from_the_body(void **state)
{
    (void)state;
    i18n_init("zh_CN");
    arena_t a;
    arena_init(&a);
    Legalaid__Lawyer lawyer = LEGALAID__LAWYER__INIT;
    lawyer.name = "王律师";
    lawyer.has_capacity = 1;
    lawyer.capacity = 7;
    Legalaid__Offer offer = LEGALAID__OFFER__INIT;
    offer.lawyer = &lawyer;
    offer.has_expires_at = 1;
    offer.expires_at = 1764558000000; /* 2025-12-01 11:00 +08:00 */

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
    notify_fields_init(&f, &a);
    notify_fields_add_message(&f, "offer", &offer.base);
    notify_fields_add_message(&f, "", &decision.base);
    notify_fields_add_message(&f, "applicant", &applicant.base);

    assert_string_equal(notify_fields_get(&f, "offer.lawyer.name"), "王律师");
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.capacity"), "7");
    assert_string_equal(notify_fields_get(&f, "offer.expires_at.date"),
                        notify_render_date(&a, offer.expires_at));
    assert_true(strlen(notify_fields_get(&f, "offer.expires_at")) >
                strlen(notify_fields_get(&f, "offer.expires_at.date")));
    assert_string_equal(notify_fields_get(&f, "missing_materials"), "身份证明、经济困难承诺");
    assert_string_equal(notify_fields_get(&f, "articles"),
                        notify_render_articles(&a, articles, 2));
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
    arena_destroy(&a);
    i18n_init("en");
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
 * where it has not (a string, a list, a sub-message, a time), the earlier
 * one's reads. */
static void test_latest_message_then_earlier(void **state)
{
    (void)state;
    i18n_init("zh_CN");
    arena_t a;
    arena_init(&a);
    Legalaid__Lawyer lawyer = LEGALAID__LAWYER__INIT;
    lawyer.name = "王律师";
    Legalaid__Offer earlier = LEGALAID__OFFER__INIT, latest = LEGALAID__OFFER__INIT;
    earlier.lawyer = &lawyer;
    earlier.has_expires_at = 1;
    earlier.expires_at = 1764558000000;
    earlier.has_offered_at = latest.has_offered_at = 1;
    earlier.offered_at = 1764471600000; /* 2025-11-30 11:00 +08:00 */
    latest.offered_at = 1764558000000;  /* a day later */
    Legalaid__Decision first = LEGALAID__DECISION__INIT, second = LEGALAID__DECISION__INIT;
    char *articles[] = {"Legal Aid Law art. 31"};
    first.articles = articles;
    first.n_articles = 1;

    notify_fields_t f;
    notify_fields_init(&f, &a);
    notify_fields_add_message(&f, "offer", &earlier.base);
    notify_fields_add_message(&f, "decision", &first.base);
    notify_fields_add_message(&f, "offer", &latest.base);
    notify_fields_add_message(&f, "decision", &second.base);
    assert_string_equal(notify_fields_get(&f, "offer.offered_at.date"),
                        notify_render_date(&a, latest.offered_at));
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.name"), "王律师");
    assert_string_equal(notify_fields_get(&f, "offer.expires_at.date"),
                        notify_render_date(&a, earlier.expires_at));
    assert_string_equal(notify_fields_get(&f, "decision.articles"),
                        notify_render_articles(&a, articles, 1));
    /* In neither: empty. */
    assert_string_equal(notify_fields_get(&f, "offer.lawyer.firm"), "");
    assert_string_equal(notify_fields_get(&f, "decision.case_id"), "");
    arena_destroy(&a);
    i18n_init("en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_read_from_the_body),
        cmocka_unit_test(test_many_values_set),
        cmocka_unit_test(test_latest_message_then_earlier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
