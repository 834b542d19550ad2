/*
 * test-notify-templates.c - the template files: golden files (each
 * tests/golden/notify/<template>--<case>.in, fields one per line, renders
 * exactly its .ref; with NOTIFY_GOLDEN_WRITE=1 the .ref files are written
 * instead, for review in the diff); the checks at start (an unknown field,
 * a missing file, an unclosed part: each an error naming file and line);
 * the JSON an attempt posts and the spool file written atomically.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notify.h"
#include "notify_fields.h"
#include "notify_payload.h"
#include "notify_template.h"
#include "test-notify.h"
#include "testutil.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_golden_files(void **state)
{
    (void)state;
    test_notify_templates();
    char dir[1024];
    test_notify_source_path("tests/golden/notify", dir, sizeof dir);
    int write = getenv("NOTIFY_GOLDEN_WRITE") != NULL;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int checked = 0;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 4 || strcmp(de->d_name + n - 3, ".in") != 0) continue;
        char id[256], path[1400], ref[1400];
        const char *cut = strstr(de->d_name, "--");
        assert_non_null(cut);
        snprintf(id, sizeof id, "%.*s", (int)(cut - de->d_name), de->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        snprintf(ref, sizeof ref, "%s/%.*s.ref", dir, (int)(n - 3), de->d_name);
        char *in = slurp(path);
        assert_non_null(in);
        arena_t a;
        arena_init(&a);
        notify_fields_t f;
        notify_fields_init(&f, &a);
        for (char *line = strtok(in, "\n"); line; line = strtok(NULL, "\n")) {
            char *eq = strchr(line, '=');
            if (line[0] == '#' || !eq) continue;
            *eq = 0;
            notify_fields_set(&f, arena_strdup(&a, line), arena_strdup(&a, eq + 1));
        }
        char *text = notify_template_render(&a, id, &f);
        if (!text) fail_msg("%s: no template %s", de->d_name, id);
        char *got = arena_printf(&a, "%s\n", text);
        if (write) {
            spit(ref, got);
        } else {
            char *want = slurp(ref);
            if (!want) fail_msg("%s: no %s (NOTIFY_GOLDEN_WRITE=1 writes it)", de->d_name, ref);
            if (strcmp(want, got) != 0)
                fail_msg("%s renders\n  %s  but %s says\n  %s", de->d_name, got, ref, want);
            free(want);
        }
        free(in);
        arena_destroy(&a);
        checked++;
    }
    closedir(d);
    assert_true(checked >= 10);
}

/* A copy of the shipped templates in a temporary directory, to break. */
static const char *templates_copy(void)
{
    static char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", test_tmpdir());
    char src[1024], cmd[2600];
    test_notify_source_path("deploy/notify-templates", src, sizeof src);
    snprintf(cmd, sizeof cmd, "cp %s/*.txt %s/", src, tmp);
    assert_int_equal(system(cmd), 0);
    return tmp;
}

static void test_template_errors_name_file_and_line(void **state)
{
    (void)state;
    char err[512], path[600];
    const char *dir = templates_copy();
    assert_int_equal(notify_templates_reload(dir, err, sizeof err), 0);

    snprintf(path, sizeof path, "%s/offer.lawyer.txt", dir);
    spit(path, "# a "
               "comment\n【法律援助】{offer.lawyer.name}律师：\n案件{case_id}，期限{offer.lawer."
               "phone}。\n");
    assert_int_equal(notify_templates_reload(dir, err, sizeof err), -1);
    if (!strstr(err, "offer.lawyer.txt:3: unknown field {offer.lawer.phone}"))
        fail_msg("error was: %s", err);

    /* A field of another event is as unknown as a misspelt one. */
    spit(path, "{decision.reason}\n");
    assert_int_equal(notify_templates_reload(dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "offer.lawyer.txt:1: unknown field {decision.reason}"));

    spit(path, "{?offer.expires_at}until {offer.expires_at.date}\n");
    assert_int_equal(notify_templates_reload(dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "not closed"));

    unlink(path);
    assert_int_equal(notify_templates_reload(dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "offer.lawyer.txt: cannot read"));

    /* The set in use is the last good one. */
    arena_t a;
    arena_init(&a);
    notify_fields_t f;
    notify_fields_init(&f, &a);
    notify_fields_set(&f, "case_id", "BT-1");
    assert_string_equal(notify_template_render(&a, "receipt.applicant", &f),
                        "【法律援助】您的申请已受理，案件编号BT-1。");
    arena_destroy(&a);
    test_rmdir(dir);
}

static void test_json_and_spool(void **state)
{
    (void)state;
    Legalaid__Notification n = LEGALAID__NOTIFICATION__INIT;
    n.id = 42;
    n.case_id = "BT-2026-000001";
    n.party = LEGALAID__PARTY__STAFF;
    n.kind = "staff_queue";
    n.recipient = "法律援助中心";
    n.text = "【法律援助】案件\"A\"\n待处理";
    n.channel = LEGALAID__NOTIFY_CHANNEL__CHANNEL_SMS;
    n.destination = "13800000001, 13800000002";
    n.idempotency_key = "legalaid-notify:dispatch:7:staff";
    char *json = notify_payload_json(&n);
    assert_string_equal(
        json, "{\"idempotency_key\":\"legalaid-notify:dispatch:7:staff\",\"id\":42,"
              "\"case_id\":\"BT-2026-000001\",\"kind\":\"staff_queue\",\"party\":\"staff\","
              "\"recipient\":\"法律援助中心\",\"to\":[\"13800000001\",\"13800000002\"],"
              "\"text\":\"【法律援助】案件\\\"A\\\"\\u000a待处理\"}\n");
    const char *dir = test_tmpdir();
    char err[256] = "", path[600];
    assert_int_equal(notify_payload_spool_write(dir, &n, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/notification-00000000000000000042.json", dir);
    char *got = slurp(path);
    assert_non_null(got);
    assert_string_equal(got, json);
    /* Written again (an attempt whose outcome was lost): still one file. */
    assert_int_equal(notify_payload_spool_write(dir, &n, err, sizeof err), 0);
    DIR *d = opendir(dir);
    int files = 0;
    for (struct dirent *de; (de = readdir(d));) files += de->d_name[0] != '.';
    closedir(d);
    assert_int_equal(files, 1);
    assert_int_equal(notify_payload_spool_write("/nonexistent-dir", &n, err, sizeof err) < 0, 1);
    assert_non_null(strstr(err, "spool: cannot create"));
    free(got);
    free(json);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_files),
        cmocka_unit_test(test_template_errors_name_file_and_line),
        cmocka_unit_test(test_json_and_spool),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    notify_template_free();
    return rc;
}
