/*
 * stats.c - the statistics kept as the work happens (stats.h).
 */
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "store.h"
#include "store_tally.h"

#define STATS_KEY_MAX (5 + STATS_MEASURE_MAX + 1 + STATS_DIM_MAX + 1 + STATS_VALUE_MAX)
#define STATS_SPAN_DAYS_MAX (100 * 366)

void stats_dim(stats_dims_t *ds, const char *dim, const char *value)
{
    if (ds->n == STATS_DIMS_MAX) return;
    ds->d[ds->n].dim = dim;
    ds->d[ds->n].value = value && value[0] ? value : "unknown";
    ds->n++;
}

const char *stats_kind(Legalaid__MatterCategory category)
{
    switch (category) {
    case LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE:
    case LEGALAID__MATTER_CATEGORY__CRIMINAL_VICTIM:
    case LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL:
        return "criminal";
    case LEGALAID__MATTER_CATEGORY__ADMINISTRATIVE:
    case LEGALAID__MATTER_CATEGORY__STATE_COMPENSATION:
        return "administrative";
    case LEGALAID__MATTER_CATEGORY__CIVIL:
    case LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION:
        return "civil";
    default:
        return "unknown";
    }
}

const char *stats_case_kind(Legalaid__MatterCategory category, const Legalaid__HistoryRecord *h)
{
    return h && h->legal_help ? "legal_help" : stats_kind(category);
}

const char *stats_code(arena_t *a, const ProtobufCEnumDescriptor *e, int value)
{
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(e, value);
    if (!v || value <= 0) return "unknown";
    size_t n = strlen(v->name);
    char *code = arena_alloc(a, n + 1);
    for (size_t i = 0; i <= n; i++)
        code[i] = (char)(v->name[i] >= 'A' && v->name[i] <= 'Z' ? v->name[i] - 'A' + 'a'
                                                                 : v->name[i]);
    return code;
}

int stats_open(MDB_txn *txn, MDB_dbi *dbi, int *empty)
{
    int rc = store_table(txn, "stats", dbi);
    if (!rc && empty) *empty = store_count(txn, *dbi) == 0;
    return rc;
}

static void stats_be32(uint32_t v, unsigned char *b)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

static uint32_t stats_from_be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t stats_month(int64_t day)
{
    int y, m, d;
    calendar_day_ymd(day, &y, &m, &d);
    return (uint32_t)(y * 12 + m - 1);
}

/* tag period measure NUL dim NUL value */
static size_t stats_key(unsigned char *k, char tag, uint32_t period, const char *measure,
                        const char *dim, const char *value)
{
    size_t n = 0;
    k[n++] = (unsigned char)tag;
    stats_be32(period, k + n);
    n += 4;
    size_t lm = strlen(measure) + 1, ld = strlen(dim) + 1, lv = strlen(value);
    memcpy(k + n, measure, lm);
    n += lm;
    memcpy(k + n, dim, ld);
    n += ld;
    memcpy(k + n, value, lv);
    return n + lv;
}

/* A day's row gains count and sum: held for the turn (store_tally.h), so
 * that a turn of decisions writes each of the day's rows once. */
static int stats_bump(MDB_txn *txn, MDB_dbi dbi, const unsigned char *key, size_t nk,
                      uint64_t count, int64_t sum)
{
    int64_t delta[2] = {(int64_t)count, sum};
    return store_tally_add(txn, dbi, key, nk, 2, delta, 0);
}

static int stats_fits(const char *measure, const stats_dims_t *ds)
{
    size_t lm = strlen(measure);
    if (!lm || lm > STATS_MEASURE_MAX) return 0;
    for (size_t i = 0; ds && i < ds->n; i++) {
        size_t ld = strlen(ds->d[i].dim);
        if (!ld || ld > STATS_DIM_MAX || strlen(ds->d[i].value) > STATS_VALUE_MAX) return 0;
    }
    return 1;
}

int stats_add(MDB_txn *txn, MDB_dbi dbi, const char *measure, int64_t at, uint64_t count,
              int64_t sum, const stats_dims_t *ds)
{
    if (!stats_fits(measure, ds)) return -EINVAL;
    int64_t day = clock_local_day(at);
    unsigned char key[STATS_KEY_MAX];
    size_t n = ds ? ds->n : 0;
    for (size_t i = 0; i <= n; i++) {
        const char *dim = i < n ? ds->d[i].dim : "all";
        const char *value = i < n ? ds->d[i].value : "";
        size_t nk = stats_key(key, 'D', (uint32_t)day, measure, dim, value);
        int rc = stats_bump(txn, dbi, key, nk, count, sum);
        if (rc) return rc;
    }
    return 0;
}

int stats_first_in_year(MDB_txn *txn, MDB_dbi dbi, const char *set, int64_t at, const void *hash,
                        size_t n)
{
    size_t ls = strlen(set) + 1;
    unsigned char key[5 + STATS_MEASURE_MAX + 1 + 64];
    if (ls > STATS_MEASURE_MAX + 1 || n > 64) return -EINVAL;
    key[0] = 'S';
    stats_be32(stats_month(clock_local_day(at)) / 12, key + 1);
    memcpy(key + 5, set, ls);
    memcpy(key + 5 + ls, hash, n);
    MDB_val k = {5 + ls + n, key}, v = {0, ""};
    int rc = mdb_put(txn, dbi, &k, &v, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) return 0;
    return rc ? store_rc(rc) : 1;
}

/* The sums being made: an open-addressed table of the rows' names. */
typedef struct stats_sum {
    const unsigned char *name; /* measure NUL dim NUL value */
    size_t len;
    uint64_t count;
    int64_t sum;
} stats_sum_t;

typedef struct stats_acc {
    stats_sum_t *slot;
    size_t cap, n;
    arena_t *a;
} stats_acc_t;

static size_t stats_name_hash(const unsigned char *p, size_t n)
{
    size_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static stats_sum_t *stats_acc_find(stats_acc_t *acc, const unsigned char *name, size_t len)
{
    if (2 * (acc->n + 1) > acc->cap) {
        size_t cap = acc->cap ? 2 * acc->cap : 256;
        stats_sum_t *slot = arena_alloc(acc->a, cap * sizeof *slot);
        memset(slot, 0, cap * sizeof *slot);
        for (size_t i = 0; i < acc->cap; i++) {
            if (!acc->slot[i].name) continue;
            size_t j = stats_name_hash(acc->slot[i].name, acc->slot[i].len) & (cap - 1);
            while (slot[j].name) j = (j + 1) & (cap - 1);
            slot[j] = acc->slot[i];
        }
        acc->slot = slot;
        acc->cap = cap;
    }
    size_t j = stats_name_hash(name, len) & (acc->cap - 1);
    while (acc->slot[j].name) {
        if (acc->slot[j].len == len && memcmp(acc->slot[j].name, name, len) == 0)
            return &acc->slot[j];
        j = (j + 1) & (acc->cap - 1);
    }
    unsigned char *copy = arena_alloc(acc->a, len + 1);
    memcpy(copy, name, len);
    copy[len] = 0;
    acc->slot[j].name = copy;
    acc->slot[j].len = len;
    acc->n++;
    return &acc->slot[j];
}

static int stats_listed(char **list, size_t n, const char *s, size_t len)
{
    if (!n) return 1;
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0) return 1;
    return 0;
}

/* Adds every row of tag from period lo to hi (inclusive) that q asks for. */
static int stats_scan(MDB_txn *txn, MDB_dbi dbi, char tag, uint32_t lo, uint32_t hi,
                      const Legalaid__StatsQuery *q, stats_acc_t *acc)
{
    if (lo > hi) return 0;
    MDB_cursor *c;
    int rc = store_tally_flush(txn);
    if (!rc) rc = store_rc(mdb_cursor_open(txn, dbi, &c));
    if (rc) return rc;
    unsigned char seek[5];
    seek[0] = (unsigned char)tag;
    stats_be32(lo, seek + 1);
    MDB_val k = {sizeof seek, seek}, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        const unsigned char *p = k.mv_data;
        if (k.mv_size < 5 || p[0] != (unsigned char)tag || stats_from_be32(p + 1) > hi) break;
        if (v.mv_size != 16) continue;
        const unsigned char *name = p + 5;
        size_t len = k.mv_size - 5;
        const unsigned char *nul = memchr(name, 0, len);
        if (!nul) continue;
        const unsigned char *dim = nul + 1;
        const unsigned char *nul2 = memchr(dim, 0, len - (size_t)(dim - name));
        if (!nul2) continue;
        if (!stats_listed(q->measures, q->n_measures, (const char *)name, (size_t)(nul - name)) ||
            !stats_listed(q->dims, q->n_dims, (const char *)dim, (size_t)(nul2 - dim)))
            continue;
        stats_sum_t *s = stats_acc_find(acc, name, len);
        s->count += store_from_be64(v.mv_data);
        s->sum += (int64_t)store_from_be64((const unsigned char *)v.mv_data + 8);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

static int stats_row_cmp(const void *pa, const void *pb)
{
    const stats_sum_t *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->name, b->name, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int stats_range(MDB_txn *txn, MDB_dbi dbi, int64_t d0, int64_t d1,
                       const Legalaid__StatsQuery *q, stats_acc_t *acc)
{
    return stats_scan(txn, dbi, 'D', (uint32_t)d0, (uint32_t)d1, q, acc);
}

int stats_figures(MDB_txn *txn, MDB_dbi dbi, const Legalaid__StatsQuery *q,
                  Legalaid__StatsFigures *out, arena_t *a, const char **err)
{
    if (!q->has_from || !q->has_to || q->from < 0 || q->to < 0) {
        *err = "from and to are required: the first and last moments counted (ms since 1970)";
        return -EINVAL;
    }
    int64_t d0 = clock_local_day(q->from), d1 = clock_local_day(q->to);
    if (d1 < d0) {
        *err = "to is before from";
        return -EINVAL;
    }
    if (d1 - d0 > STATS_SPAN_DAYS_MAX) {
        *err = "the period is longer than 100 years";
        return -EINVAL;
    }
    stats_acc_t acc = {.a = a};
    int rc = stats_range(txn, dbi, d0, d1, q, &acc);
    if (rc) return rc;
    stats_sum_t *rows = arena_alloc(a, (acc.n ? acc.n : 1) * sizeof *rows);
    size_t n = 0;
    for (size_t i = 0; i < acc.cap; i++)
        if (acc.slot[i].name) rows[n++] = acc.slot[i];
    if (n) qsort(rows, n, sizeof *rows, stats_row_cmp);
    out->rows = arena_alloc(a, (n ? n : 1) * sizeof *out->rows);
    out->n_rows = n;
    for (size_t i = 0; i < n; i++) {
        Legalaid__StatsRow *r = ARENA_NEW(a, Legalaid__StatsRow, legalaid__stats_row__init);
        const char *name = (const char *)rows[i].name;
        r->measure = (char *)name;
        r->dim = (char *)name + strlen(name) + 1;
        r->value = r->dim + strlen(r->dim) + 1;
        r->count = rows[i].count;
        r->sum = rows[i].sum;
        r->has_count = r->has_sum = 1;
        out->rows[i] = r;
    }
    char text[CALENDAR_DATE_LEN + 1];
    calendar_day_text(d0, text);
    out->first_day = arena_strdup(a, text);
    calendar_day_text(d1, text);
    out->last_day = arena_strdup(a, text);
    return 0;
}
