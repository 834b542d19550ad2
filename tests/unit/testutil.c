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

void test_daemon_open(test_daemon_t *td, const service_t *svc, int64_t now_ms)
{
    snprintf(td->dir, sizeof td->dir, "%s", test_tmpdir());
    td->d = daemon_open_test(svc, td->dir);
    assert_non_null(td->d);
    clock_set_ms(now_ms);
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
