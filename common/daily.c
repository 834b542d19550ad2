/*
 * daily.c - figures by local day (daily.h).
 */
#include "daily.h"

#include <errno.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "store.h"

#define MIN_MS 60000LL
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

const int64_t daily_bounds_ms[DAILY_BUCKETS - 1] = {
    MIN_MS,      5 * MIN_MS,  15 * MIN_MS, 30 * MIN_MS, HOUR_MS,     2 * HOUR_MS,
    4 * HOUR_MS, 8 * HOUR_MS, 12 * HOUR_MS, DAY_MS,     36 * HOUR_MS, 2 * DAY_MS,
    3 * DAY_MS,  4 * DAY_MS,  5 * DAY_MS,  7 * DAY_MS,  10 * DAY_MS, 14 * DAY_MS,
    21 * DAY_MS, 30 * DAY_MS, 60 * DAY_MS, 90 * DAY_MS};

#define DAILY_VALUE (3 * 8 + DAILY_BUCKETS * 4)
#define DAILY_KEY_MAX (DAILY_NAME_MAX + 1 + 8)

int daily_open(MDB_txn *txn, MDB_dbi *dbi, int *empty)
{
    int rc = store_table(txn, "daily", dbi);
    if (!rc && empty) *empty = store_count(txn, *dbi) == 0;
    return rc;
}

static size_t daily_key(const char *name, size_t n, int64_t day, unsigned char *out)
{
    memcpy(out, name, n);
    out[n] = 0;
    store_be64((uint64_t)day, out + n + 1);
    return n + 9;
}

static uint32_t daily_from_be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void daily_be32(uint32_t v, unsigned char *b)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

static void daily_decode(const MDB_val *v, daily_row_t *row)
{
    memset(row, 0, sizeof *row);
    if (v->mv_size < 24) return;
    const unsigned char *p = v->mv_data;
    row->count = store_from_be64(p);
    row->timed = store_from_be64(p + 8);
    row->max_ms = (int64_t)store_from_be64(p + 16);
    size_t n = (v->mv_size - 24) / 4;
    for (size_t b = 0; b < n && b < DAILY_BUCKETS; b++) row->hist[b] = daily_from_be32(p + 24 + 4 * b);
}

static int daily_read(MDB_txn *txn, MDB_dbi dbi, const unsigned char *key, size_t nk,
                      daily_row_t *row)
{
    MDB_val k = {nk, (void *)key}, v;
    int rc = mdb_get(txn, dbi, &k, &v);
    memset(row, 0, sizeof *row);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return store_rc(rc);
    daily_decode(&v, row);
    return 0;
}

int daily_get(MDB_txn *txn, MDB_dbi dbi, const char *name, int64_t day, daily_row_t *row)
{
    size_t n = strlen(name);
    if (!n || n > DAILY_NAME_MAX) return -EINVAL;
    unsigned char key[DAILY_KEY_MAX];
    return daily_read(txn, dbi, key, daily_key(name, n, day, key), row);
}

static size_t daily_bucket(int64_t ms)
{
    size_t b = 0;
    while (b < DAILY_BUCKETS - 1 && ms > daily_bounds_ms[b]) b++;
    return b;
}

int daily_add(MDB_txn *txn, MDB_dbi dbi, const char *name, int64_t at, int64_t ms)
{
    size_t n = strlen(name);
    if (!n || n > DAILY_NAME_MAX) return -EINVAL;
    unsigned char key[DAILY_KEY_MAX];
    size_t nk = daily_key(name, n, clock_local_day(at), key);
    daily_row_t row;
    int rc = daily_read(txn, dbi, key, nk, &row);
    if (rc) return rc;
    row.count++;
    if (ms >= 0) {
        row.timed++;
        if (ms > row.max_ms) row.max_ms = ms;
        row.hist[daily_bucket(ms)]++;
    }
    unsigned char val[DAILY_VALUE];
    store_be64(row.count, val);
    store_be64(row.timed, val + 8);
    store_be64((uint64_t)row.max_ms, val + 16);
    for (size_t b = 0; b < DAILY_BUCKETS; b++) daily_be32(row.hist[b], val + 24 + 4 * b);
    MDB_val k = {nk, key}, v = {sizeof val, val};
    return store_rc(mdb_put(txn, dbi, &k, &v, 0));
}

int64_t daily_quantile(const daily_row_t *row, double q)
{
    if (!row->timed) return 0;
    double want = q * (double)row->timed;
    uint64_t rank = (uint64_t)want;
    if ((double)rank < want) rank++; /* the nearest rank, rounded up */
    if (rank < 1) rank = 1;
    uint64_t below = 0;
    for (size_t b = 0; b < DAILY_BUCKETS; b++) {
        if (!row->hist[b] || below + row->hist[b] < rank) {
            below += row->hist[b];
            continue;
        }
        int64_t lo = b ? daily_bounds_ms[b - 1] : 0;
        int64_t hi = b < DAILY_BUCKETS - 1 ? daily_bounds_ms[b] : row->max_ms;
        if (hi > row->max_ms) hi = row->max_ms;
        if (lo > hi) lo = hi;
        double within = (double)(rank - below) / (double)row->hist[b];
        return lo + (int64_t)((double)(hi - lo) * within);
    }
    return row->max_ms;
}

static void daily_sum(daily_row_t *into, const daily_row_t *row)
{
    into->count += row->count;
    into->timed += row->timed;
    if (row->max_ms > into->max_ms) into->max_ms = row->max_ms;
    for (size_t b = 0; b < DAILY_BUCKETS; b++) into->hist[b] += row->hist[b];
}

static int daily_series(MDB_txn *txn, MDB_dbi dbi, const char *name, int64_t last, uint32_t days,
                        Legalaid__DailySeries *s, arena_t *a)
{
    s->name = arena_strdup(a, name);
    s->points = arena_alloc(a, days * sizeof *s->points);
    s->n_points = days;
    daily_row_t all;
    memset(&all, 0, sizeof all);
    for (uint32_t i = 0; i < days; i++) {
        int64_t day = last - (int64_t)(days - 1 - i);
        daily_row_t row;
        int rc = daily_get(txn, dbi, name, day, &row);
        if (rc) return rc;
        daily_sum(&all, &row);
        Legalaid__DailyPoint *p = ARENA_NEW(a, Legalaid__DailyPoint, legalaid__daily_point__init);
        char text[CALENDAR_DATE_LEN + 1];
        calendar_day_text(day, text);
        p->day = arena_strdup(a, text);
        p->count = row.count;
        p->p50_ms = daily_quantile(&row, 0.5);
        p->p90_ms = daily_quantile(&row, 0.9);
        p->max_ms = row.max_ms;
        p->has_count = p->has_p50_ms = p->has_p90_ms = p->has_max_ms = 1;
        s->points[i] = p;
    }
    s->count = all.count;
    s->p50_ms = daily_quantile(&all, 0.5);
    s->p90_ms = daily_quantile(&all, 0.9);
    s->has_count = s->has_p50_ms = s->has_p90_ms = 1;
    return 0;
}

/* Every name the table holds: one seek per name (past name NUL ...). */
static int daily_names(MDB_txn *txn, MDB_dbi dbi, arena_t *a, char ***names, size_t *n)
{
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, dbi, &c));
    if (rc) return rc;
    size_t cap = 8;
    *names = arena_alloc(a, cap * sizeof **names);
    *n = 0;
    unsigned char seek[DAILY_NAME_MAX + 1];
    MDB_val k = {0, ""}, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE)) {
        const char *key = k.mv_data;
        size_t len = strnlen(key, k.mv_size);
        if (len == 0 || len > DAILY_NAME_MAX || len == k.mv_size) break; /* not ours */
        if (*n == cap) {
            char **more = arena_alloc(a, 2 * cap * sizeof *more);
            memcpy(more, *names, cap * sizeof *more);
            *names = more;
            cap *= 2;
        }
        char *name = arena_alloc(a, len + 2);
        memcpy(name, key, len);
        name[len] = 0;
        (*names)[(*n)++] = name;
        /* The next name: the smallest key above every "name NUL ...". */
        memcpy(seek, key, len);
        seek[len] = 1;
        k.mv_size = len + 1;
        k.mv_data = seek;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int daily_figures(MDB_txn *txn, MDB_dbi dbi, const Legalaid__DailyQuery *q, int64_t now,
                  Legalaid__DailyFigures *out, arena_t *a, const char **err)
{
    uint32_t days = q->has_days && q->days ? q->days : DAILY_DAYS_DEFAULT;
    if (days > DAILY_DAYS_MAX) {
        *err = "days: at most 400 days at a time";
        return -EINVAL;
    }
    if (q->has_until && q->until < 0) {
        *err = "until: a time before 1970";
        return -EINVAL;
    }
    for (size_t i = 0; i < q->n_names; i++) {
        size_t n = q->names[i] ? strlen(q->names[i]) : 0;
        if (!n || n > DAILY_NAME_MAX) {
            *err = "names: a name is 1 to 48 bytes";
            return -EINVAL;
        }
    }
    char **names = q->names;
    size_t n_names = q->n_names;
    if (!n_names) {
        int rc = daily_names(txn, dbi, a, &names, &n_names);
        if (rc) return rc;
    }
    int64_t last = clock_local_day(q->has_until && q->until ? q->until : now);
    out->series = arena_alloc(a, (n_names ? n_names : 1) * sizeof *out->series);
    out->n_series = n_names;
    for (size_t i = 0; i < n_names; i++) {
        out->series[i] = ARENA_NEW(a, Legalaid__DailySeries, legalaid__daily_series__init);
        int rc = daily_series(txn, dbi, names[i], last, days, out->series[i], a);
        if (rc) return rc;
    }
    return 0;
}
