/*
 * test-backup.c - Backup's refusals (common/backup.c): a backup_dir too
 * long for the paths of a copy is refused, each time it is asked, and the
 * refusal leaves no job behind that a later Backup of the same set would
 * take for its own copy ("done", nothing copied).
 */
#include <limits.h>
#include <string.h>

#include "daemon_int.h"
#include "testutil.h"

static const service_t vault_service = {
    .name = "vault",
};

/* A Backup of set in a turn of d's: its reply's code, and the error in
 * err (or the state, when answered). */
static Legalaid__Code backup(daemon_t *d, const char *set, char *err, size_t errlen)
{
    arena_t a;
    arena_init(&a);
    turn_t t = {.d = d, .arena = &a, .causation = "test-backup"};
    Legalaid__Backup req = LEGALAID__BACKUP__INIT;
    req.set = (char *)set;
    Legalaid__Reply reply = LEGALAID__REPLY__INIT;
    backup_request(&t, &req, &reply);
    Legalaid__Code code = reply.has_code ? reply.code : LEGALAID__CODE__OK;
    snprintf(err, errlen, "%s",
             reply.error ? reply.error : reply.backup && reply.backup->state ? reply.backup->state : "");
    arena_destroy(&a);
    return code;
}

static void test_a_backup_dir_too_long_is_refused_each_time(void **state)
{
    (void)state;
    test_daemon_t td;
    test_daemon_open(&td, &vault_service, 1780000000000);
    daemon_t *d = td.d;
    char *kept = d->cfg.backup_dir, dir[PATH_MAX], err[256];
    memset(dir, 'b', sizeof dir - 1);
    dir[0] = '/';
    dir[sizeof dir - 1] = 0;
    d->cfg.backup_dir = dir;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(backup(d, "nightly", err, sizeof err), LEGALAID__CODE__CONFLICT);
        assert_non_null(strstr(err, "too long"));
    }
    d->cfg.backup_dir = kept;
    test_daemon_close(&td);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_backup_dir_too_long_is_refused_each_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
