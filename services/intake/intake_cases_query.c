/*
 * intake_cases_query.c - the case finder's two queries (legalaidctl
 * cases): CasesQuery by state, kind, category, county, station, lawyer,
 * received between and overdue; PersonCasesQuery by ID number. Both read
 * only index entries of the cases that match (intake_cases.h): the
 * entries of every filter given are walked together in received order,
 * each skipping ahead to the largest (received_at, case_id) another has
 * reached, so what one page costs is the page, not the table.
 *
 * Paging is by cursor, never by offset: next_after names the last case
 * of a page ("r" received-at hex ":" case, or "d" due-at hex ":" case when
 * only overdue cases are asked for, which then come most overdue first;
 * "p:" case for a person's cases), and the next page starts strictly
 * after it. A case that changes while a list is read is listed once under
 * the entry it had when its page was read; none is skipped or repeated
 * among the cases that did not change.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "intake_cases.h"
#include "store.h"

#define CASES_LIMIT_DEFAULT 50
#define CASES_LIMIT_MAX 500
#define CASES_STEPS_MAX 20000 /* rows read for one page before it ends early */
#define CASES_DIMS_MAX 8

/* One filter's entries: the prefix (tag and value) and its cursor. */
typedef struct cases_dim {
    unsigned char prefix[2 + INTAKE_CASES_VALUE_MAX];
    size_t plen;
    MDB_cursor *cur;
} cases_dim_t;

/* A position in the common order: 8 bytes of time, then the case. */
typedef struct cases_pos {
    unsigned char b[8 + LA_CASE_ID_MAX];
    size_t n;
} cases_pos_t;

static int cases_pos_cmp(const cases_pos_t *a, const cases_pos_t *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->b, b->b, n);
    return c ? c : (a->n > b->n) - (a->n < b->n);
}

/* The first entry of dim at or after at (strictly after when strict): 0
 * with *out, MDB_NOTFOUND when dim has none, or a store error. */
static int cases_dim_seek(cases_dim_t *dim, const cases_pos_t *at, int strict, cases_pos_t *out)
{
    unsigned char key[INTAKE_CASES_KEY_MAX];
    memcpy(key, dim->prefix, dim->plen);
    memcpy(key + dim->plen, at->b, at->n);
    MDB_val k = {dim->plen + at->n, key}, v;
    int rc = mdb_cursor_get(dim->cur, &k, &v, MDB_SET_RANGE);
    if (!rc && strict && k.mv_size == dim->plen + at->n && memcmp(k.mv_data, key, k.mv_size) == 0)
        rc = mdb_cursor_get(dim->cur, &k, &v, MDB_NEXT);
    if (rc) return rc == MDB_NOTFOUND ? rc : store_rc(rc);
    if (k.mv_size < dim->plen + 8 || k.mv_size - dim->plen > sizeof out->b ||
        memcmp(k.mv_data, dim->prefix, dim->plen) != 0)
        return MDB_NOTFOUND;
    out->n = k.mv_size - dim->plen;
    memcpy(out->b, (const unsigned char *)k.mv_data + dim->plen, out->n);
    return 0;
}

/* "r0000018c...:BT-2026-000001" into buf. */
static char *cases_pos_text(turn_t *t, char mode, const cases_pos_t *p)
{
    return arena_printf(t->arena, "%c%016" PRIx64 ":%.*s", mode, store_from_be64(p->b),
                        (int)(p->n - 8), (const char *)p->b + 8);
}

/* Reads a cursor of mode; 0, or -1 when it is not one. */
static int cases_pos_parse(const char *s, char mode, cases_pos_t *p)
{
    size_t n = strlen(s);
    if (n < 19 || s[0] != mode || s[17] != ':' || n - 18 > LA_CASE_ID_MAX) return -1;
    uint64_t v = 0;
    for (int i = 1; i < 17; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v << 4 | (uint64_t)d;
    }
    store_be64(v, p->b);
    memcpy(p->b + 8, s + 18, n - 18);
    p->n = 8 + n - 18;
    return 0;
}

/* Adds a filter of tag and value (text) to dims. */
static void cases_dim_add(cases_dim_t *dims, size_t *n, char tag, const char *value)
{
    cases_dim_t *d = &dims[(*n)++];
    memset(d, 0, sizeof *d);
    d->plen = intake_cases_key(d->prefix, tag, value, NULL, NULL);
}

static void cases_dim_add_int(turn_t *t, cases_dim_t *dims, size_t *n, char tag, int value)
{
    cases_dim_add(dims, n, tag, arena_printf(t->arena, "%d", value));
}

/* The checks of a query: 0, or 1 after an INVALID_FIELD reply. */
static int cases_query_refused(turn_t *t, const Legalaid__CasesQuery *q, Legalaid__Reply *reply)
{
    const char *field = NULL, *why = NULL;
    if (q->has_state && q->state &&
        !protobuf_c_enum_descriptor_get_value(&legalaid__case_state__descriptor, (int)q->state))
        field = "cases.state", why = _("is not a state of a case");
    else if (q->has_kind && q->kind &&
             !protobuf_c_enum_descriptor_get_value(&legalaid__case_kind__descriptor, (int)q->kind))
        field = "cases.kind", why = _("must be civil, criminal or administrative");
    else if (q->has_category && q->category &&
             !protobuf_c_enum_descriptor_get_value(&legalaid__matter_category__descriptor,
                                                   (int)q->category))
        field = "cases.category", why = _("is not a category of matter");
    else if (q->county && strlen(q->county) > INTAKE_CASES_VALUE_MAX)
        field = "cases.county", why = _("is too long");
    else if (q->station && strlen(q->station) > INTAKE_CASES_VALUE_MAX)
        field = "cases.station", why = _("is too long");
    else if (q->lawyer_id && strlen(q->lawyer_id) > INTAKE_CASES_VALUE_MAX)
        field = "cases.lawyer_id", why = _("is too long");
    else if (q->received_from < 0 || q->received_to < 0 ||
             (q->received_to && q->received_from >= q->received_to))
        field = "cases.received_to", why = _("must come after received_from");
    else if (q->limit > CASES_LIMIT_MAX)
        field = "cases.limit", why = _("is at most 500 a page (go on with after)");
    if (!field) return 0;
    turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("%s %s"), field + 6, why);
    return 1;
}

/* The walk of one page. */
typedef struct cases_walk {
    cases_dim_t dims[CASES_DIMS_MAX];
    size_t ndims;
    char mode;      /* 'r' received order, 'd' due order */
    uint64_t until; /* the order ends before this (0: no end) */
    Legalaid__CaseList *out;
    size_t limit;
} cases_walk_t;

/* 1 when row passes what the index did not decide. */
static int cases_row_passes(turn_t *t, const Legalaid__CasesQuery *q, char mode,
                            const Legalaid__CaseRow *row)
{
    if (q->overdue && !(row->next_due_at > 0 && row->next_due_at < t->now)) return 0;
    if (mode == 'd' && ((q->received_from && row->received_at < q->received_from) ||
                        (q->received_to && row->received_at >= q->received_to)))
        return 0;
    return 1;
}

static int cases_walk_run(turn_t *t, const Legalaid__CasesQuery *q, cases_walk_t *w,
                          cases_pos_t cur, int strict)
{
    Legalaid__CaseList *out = w->out;
    size_t steps = 0;
    int rc = 0;
    for (;;) {
        if (steps == CASES_STEPS_MAX) {
            /* A long stretch of rows that fail the overdue or received
             * check: the page ends early, and the next goes on after the
             * last row read. */
            out->next_after = cases_pos_text(t, w->mode, &cur);
            return 0;
        }
        cases_pos_t cand;
        if ((rc = cases_dim_seek(&w->dims[0], &cur, strict, &cand))) break;
        int agreed = 1;
        for (size_t i = 1; i < w->ndims && agreed; i++) {
            cases_pos_t s;
            if ((rc = cases_dim_seek(&w->dims[i], &cand, 0, &s))) break;
            if (cases_pos_cmp(&s, &cand) != 0) {
                cand = s;
                agreed = 0;
            }
        }
        if (rc) break;
        if (w->until && store_from_be64(cand.b) >= w->until) {
            rc = MDB_NOTFOUND;
            break;
        }
        cur = cand;
        strict = agreed;
        if (!agreed) continue;
        steps++;
        char *case_id = arena_printf(t->arena, "%.*s", (int)(cand.n - 8), (char *)cand.b + 8);
        Legalaid__CaseRow *row;
        int grc = intake_cases_get(t, case_id, &row);
        if (grc == MDB_NOTFOUND) continue;
        if (grc) return grc;
        if (!cases_row_passes(t, q, w->mode, row)) continue;
        if (out->n_cases == w->limit) {
            /* One more matches: the page ends at the one before it. */
            cases_pos_t last;
            const Legalaid__CaseRow *prev = out->cases[out->n_cases - 1];
            store_be64((uint64_t)(w->mode == 'd' ? prev->next_due_at : prev->received_at), last.b);
            last.n = 8 + strlen(prev->case_id);
            memcpy(last.b + 8, prev->case_id, last.n - 8);
            out->next_after = cases_pos_text(t, w->mode, &last);
            return 0;
        }
        row->overdue = row->next_due_at > 0 && row->next_due_at < t->now;
        row->has_overdue = 1;
        out->cases[out->n_cases++] = row;
    }
    if (rc != MDB_NOTFOUND) return rc;
    out->complete = 1;
    out->has_complete = 1;
    return 0;
}

int intake_cases_query(turn_t *t, const Legalaid__CasesQuery *q, Legalaid__Reply *reply)
{
    if (cases_query_refused(t, q, reply)) return 0;
    cases_walk_t *w = arena_alloc(t->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    if (q->has_state && q->state) cases_dim_add_int(t, w->dims, &w->ndims, 's', (int)q->state);
    if (q->has_kind && q->kind) cases_dim_add_int(t, w->dims, &w->ndims, 'k', (int)q->kind);
    if (q->has_category && q->category)
        cases_dim_add_int(t, w->dims, &w->ndims, 'g', (int)q->category);
    if (q->county && q->county[0]) cases_dim_add(w->dims, &w->ndims, 'c', q->county);
    if (q->station && q->station[0]) cases_dim_add(w->dims, &w->ndims, 't', q->station);
    if (q->lawyer_id && q->lawyer_id[0]) cases_dim_add(w->dims, &w->ndims, 'l', q->lawyer_id);
    /* Overdue alone reads the due index, most overdue first; with other
     * filters it is checked on their rows. */
    w->mode = q->overdue && w->ndims == 0 ? 'd' : 'r';
    if (w->ndims == 0) cases_dim_add(w->dims, &w->ndims, w->mode == 'd' ? 'd' : 'a', NULL);
    w->until = w->mode == 'd' ? (uint64_t)t->now : (uint64_t)q->received_to;
    cases_pos_t cur = {{0}, 8};
    int strict = 0;
    if (q->after && q->after[0]) {
        if (cases_pos_parse(q->after, w->mode, &cur) < 0) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "cases.after",
                      _("after must be the next_after of a page of the same query, not %.40s"),
                      q->after);
            return 0;
        }
        strict = 1;
    }
    if (w->mode == 'r' && q->received_from > 0 &&
        (int64_t)store_from_be64(cur.b) < q->received_from) {
        store_be64((uint64_t)q->received_from, cur.b);
        cur.n = 8;
        strict = 0;
    }
    w->limit = q->limit ? q->limit : CASES_LIMIT_DEFAULT;
    w->out = ARENA_NEW(t->arena, Legalaid__CaseList, legalaid__case_list__init);
    w->out->cases = arena_alloc(t->arena, (w->limit + 1) * sizeof *w->out->cases);
    int rc = 0;
    for (size_t i = 0; !rc && i < w->ndims; i++)
        rc = store_rc(mdb_cursor_open(t->txn, intake_case_index, &w->dims[i].cur));
    if (!rc) rc = cases_walk_run(t, q, w, cur, strict);
    for (size_t i = 0; i < w->ndims; i++)
        if (w->dims[i].cur) mdb_cursor_close(w->dims[i].cur);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_CASES;
    reply->cases = w->out;
    return 0;
}

/* The row of case_id for a person's list: a case from before the finder
 * kept rows has its number only. */
static int cases_person_row(turn_t *t, const char *case_id, Legalaid__CaseRow **row)
{
    int rc = intake_cases_get(t, case_id, row);
    if (rc != MDB_NOTFOUND) return rc;
    *row = ARENA_NEW(t->arena, Legalaid__CaseRow, legalaid__case_row__init);
    (*row)->case_id = (char *)case_id;
    return 0;
}

int intake_cases_query_person(turn_t *t, const Legalaid__PersonCasesQuery *q,
                              Legalaid__Reply *reply)
{
    const char *id = q->id_number;
    const char *field =
        !id || !id[0] || strlen(id) > 64 ? "person_cases.id_number"
        : q->limit > CASES_LIMIT_MAX     ? "person_cases.limit"
        : q->after && (strncmp(q->after, "p:", 2) != 0 || strlen(q->after) > 2 + LA_CASE_ID_MAX)
            ? "person_cases.after"
            : NULL;
    if (field) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                  _("%s: an ID number is required; limit at most 500; after the next_after of "
                    "the page before"),
                  field);
        return 0;
    }
    /* by_applicant: keyed hash of the number, then the case (intake_submit.c). */
    unsigned char key[SEAL_HASH_LEN + LA_CASE_ID_MAX];
    size_t hl = store_hash(t->txn, "id_number", id, strlen(id), key), kn = hl;
    int strict = 0;
    if (q->after && q->after[2]) {
        size_t an = strlen(q->after) - 2;
        memcpy(key + hl, q->after + 2, an);
        kn += an;
        strict = 1;
    }
    size_t limit = q->limit ? q->limit : CASES_LIMIT_DEFAULT;
    Legalaid__CaseList *out = ARENA_NEW(t->arena, Legalaid__CaseList, legalaid__case_list__init);
    out->cases = arena_alloc(t->arena, (limit + 1) * sizeof *out->cases);
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, intake_by_applicant, &c));
    if (rc) return rc;
    MDB_val k = {kn, key}, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    if (!rc && strict && k.mv_size == kn && memcmp(k.mv_data, key, kn) == 0)
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
    for (; rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= hl || k.mv_size > hl + LA_CASE_ID_MAX || memcmp(k.mv_data, key, hl) != 0)
            break;
        char *case_id =
            arena_printf(t->arena, "%.*s", (int)(k.mv_size - hl), (char *)k.mv_data + hl);
        if (out->n_cases == limit) {
            out->next_after = arena_printf(t->arena, "p:%s", out->cases[limit - 1]->case_id);
            break;
        }
        Legalaid__CaseRow *row;
        if ((rc = cases_person_row(t, case_id, &row))) break;
        row->overdue = row->next_due_at > 0 && row->next_due_at < t->now;
        row->has_overdue = 1;
        out->cases[out->n_cases++] = row;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    out->complete = !out->next_after;
    out->has_complete = 1;
    /* The audit entry (a read of a person's record) names the first case. */
    if (out->n_cases) t->audit_case = out->cases[0]->case_id;
    reply->body_case = LEGALAID__REPLY__BODY_CASES;
    reply->cases = out;
    return 0;
}
