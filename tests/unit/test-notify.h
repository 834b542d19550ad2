/*
 * test-notify.h - what the notify tests share: the templates of the source
 * tree (deploy/notify-templates), loaded before the first event is applied.
 */
#ifndef LA_TEST_NOTIFY_H
#define LA_TEST_NOTIFY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "notify_store.h"
#include "testutil.h"

/* The source tree's directory of dir_rel ("deploy/notify-templates"),
 * found from this file's own path. */
static inline const char *test_notify_source_path(const char *rel, char *buf, size_t size)
{
    const char *file = __FILE__; /* .../tests/unit/test-notify.h */
    const char *cut = strstr(file, "tests/unit/");
    int n = cut ? (int)(cut - file) : 0;
    snprintf(buf, size, "%.*s%s", n, file, rel);
    return buf;
}

static inline void test_notify_templates(void)
{
    char dir[1024], err[512];
    test_notify_source_path("deploy/notify-templates", dir, sizeof dir);
    if (notify_templates_reload(dir, err, sizeof err) != 0) {
        fprintf(stderr, "templates: %s\n", err);
        abort();
    }
}

/* Sets a string key of notify_config (owned by the config: config_free
 * releases it when the daemon closes). */
static inline void test_notify_set(char **key, const char *value)
{
    free(*key);
    *key = strdup(value);
}

/* test_notify_take's walk: a copy of each notification after seen. */
typedef struct test_notify_walk {
    uint64_t seen;
    Legalaid__Notification **got;
    size_t n, cap;
} test_notify_walk_t;

static inline int test_notify_walk_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    (void)txn;
    test_notify_walk_t *w = ctx;
    const Legalaid__Notification *note = (const Legalaid__Notification *)m;
    if (note->id <= w->seen) return 0;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->got = realloc(w->got, w->cap * sizeof *w->got);
        assert_non_null(w->got);
    }
    size_t len = legalaid__notification__get_packed_size(note);
    uint8_t *buf = malloc(len + 1);
    legalaid__notification__pack(note, buf);
    w->got[w->n] = legalaid__notification__unpack(NULL, len, buf);
    free(buf);
    assert_non_null(w->got[w->n]);
    w->n++;
    return 0;
}

static inline int test_notify_by_id(const void *a, const void *b)
{
    uint64_t x = (*(Legalaid__Notification *const *)a)->id;
    uint64_t y = (*(Legalaid__Notification *const *)b)->id;
    return x < y ? -1 : x > y;
}

/* Takes the notifications notify recorded after *seen (ids in order) into
 * notes[*n ..], at most max in all; *seen and *n advanced. Free each with
 * legalaid__notification__free_unpacked. */
static inline void test_notify_take(daemon_t *d, uint64_t *seen, Legalaid__Notification **notes,
                                    size_t *n, size_t max)
{
    MDB_txn *txn;
    test_notify_walk_t w = {*seen, NULL, 0, 0};
    assert_int_equal(mdb_txn_begin(daemon_env(d), NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal(notify_store_each(txn, test_notify_walk_one, &w), 0);
    mdb_txn_abort(txn);
    if (w.n) qsort(w.got, w.n, sizeof *w.got, test_notify_by_id);
    for (size_t i = 0; i < w.n; i++) {
        assert_true(*n < max);
        assert_int_equal(w.got[i]->id, *seen + 1); /* no id skipped, none twice */
        notes[(*n)++] = w.got[i];
        (*seen)++;
    }
    free(w.got);
}

/* How many of notes[0..n) are of kind to party (any party when 0). */
static inline size_t test_notify_count(Legalaid__Notification *const *notes, size_t n,
                                       const char *kind, Legalaid__Party party)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(notes[i]->kind, kind) && (!party || notes[i]->party == party)) k++;
    return k;
}

/* The one notification of kind to party among notes[0..n): fails the
 * test when there is none, or more than one. */
static inline const Legalaid__Notification *test_notify_one(Legalaid__Notification *const *notes,
                                                            size_t n, const char *kind,
                                                            Legalaid__Party party)
{
    size_t k = test_notify_count(notes, n, kind, party);
    if (k != 1)
        fail_msg("%zu %s notifications to party %d among %zu, want 1", k, kind, (int)party, n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(notes[i]->kind, kind) && notes[i]->party == party) return notes[i];
    return NULL;
}

#endif
