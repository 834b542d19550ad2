/*
 * dispatch_conflict.c - conflicts of interest (DOMAIN R-ASSIGN-09): the
 * "parties" index of who each lawyer has acted for, against whom, and in
 * which criminal matter, so that matching can leave out a lawyer who
 *   - acts for the other side (Lawyers Law art. 39: not both sides),
 *   - acts against this applicant in another case (art. 39),
 *   - defends a co-defendant in the same case, or a defendant in a related
 *     case handled separately (CPL interpretation art. 43: one defender
 *     may not defend two or more co-defendants).
 * Key: tag (1 byte) | text | 0 | lawyer id; value: the case_id. Entries are
 * kept after the case ends: what a lawyer learned stays learned.
 */
#include <string.h>

#include "dispatch_int.h"
#include "store.h"

#define TAG_REPRESENTS 'R' /* the lawyer acts for this person */
#define TAG_OPPOSES 'O'    /* the lawyer acts against this person */
#define TAG_MATTER 'M'     /* the lawyer defends in this criminal matter */
#define DISPATCH_TEXT_MAX 200

static int dispatch_conflict_put(turn_t *t, char tag, const char *text, const char *lawyer_id,
                                 const char *case_id)
{
    size_t n = text ? strlen(text) : 0, m = strlen(lawyer_id);
    if (n == 0 || n > DISPATCH_TEXT_MAX) return 0;
    unsigned char key[1 + DISPATCH_TEXT_MAX + 1 + DISPATCH_LAWYER_ID_MAX];
    key[0] = (unsigned char)tag;
    memcpy(key + 1, text, n);
    key[1 + n] = 0;
    memcpy(key + 2 + n, lawyer_id, m);
    MDB_val k = {2 + n + m, key}, v = {strlen(case_id), (void *)case_id};
    return store_rc(mdb_put(t->txn, dispatch_parties, &k, &v, 0));
}

/* The criminal matter of a case: the notifying authority and its file
 * number, so co-defendants notified under one case number meet here. */
static char *dispatch_conflict_matter(turn_t *t, const Legalaid__Assignment *a)
{
    if (!a->authority || !a->authority->reference || !a->authority->reference[0]) return NULL;
    return arena_printf(t->arena, "%s/%s", a->authority->name ? a->authority->name : "",
                        a->authority->reference);
}

static int dispatch_is_defence(const Legalaid__Assignment *a)
{
    if (a->facts && a->facts->has_aid_form &&
        a->facts->aid_form != LEGALAID__AID_FORM__AID_FORM_UNSPECIFIED)
        return a->facts->aid_form == LEGALAID__AID_FORM__DEFENCE;
    return a->category == LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
}

int dispatch_conflict_record(turn_t *t, const Legalaid__Assignment *a, const char *lawyer_id)
{
    const Legalaid__CaseFacts *f = a->facts;
    int rc = 0;
    if (f && f->applicant) {
        rc = dispatch_conflict_put(t, TAG_REPRESENTS, f->applicant->name, lawyer_id, a->case_id);
        if (!rc)
            rc = dispatch_conflict_put(t, TAG_REPRESENTS, f->applicant->id_number, lawyer_id,
                                       a->case_id);
    }
    if (!rc && f)
        rc = dispatch_conflict_put(t, TAG_OPPOSES, f->opposing_party, lawyer_id, a->case_id);
    if (!rc && dispatch_is_defence(a)) {
        rc = dispatch_conflict_put(t, TAG_MATTER, dispatch_conflict_matter(t, a), lawyer_id,
                                   a->case_id);
        for (size_t i = 0; !rc && f && i < f->n_related_cases; i++)
            rc = dispatch_conflict_put(t, TAG_MATTER, f->related_cases[i], lawyer_id, a->case_id);
    }
    return rc;
}

typedef struct dispatch_idlist {
    char **ids;
    size_t n, cap;
} dispatch_idlist_t;

/* Adds the lawyers filed under tag|text, other than for this case itself. */
static int dispatch_conflict_scan(turn_t *t, char tag, const char *text, const char *case_id,
                                  dispatch_idlist_t *out)
{
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n > DISPATCH_TEXT_MAX) return 0;
    unsigned char prefix[1 + DISPATCH_TEXT_MAX + 1];
    prefix[0] = (unsigned char)tag;
    memcpy(prefix + 1, text, n);
    prefix[1 + n] = 0;
    size_t plen = n + 2;
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_parties, &cur));
    if (rc) return rc;
    MDB_val k = {plen, prefix}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= plen || memcmp(k.mv_data, prefix, plen) != 0) break;
        if (v.mv_size == strlen(case_id) && memcmp(v.mv_data, case_id, v.mv_size) == 0)
            continue;
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 8;
            char **ids = arena_alloc(t->arena, cap * sizeof *ids);
            if (out->n) memcpy(ids, out->ids, out->n * sizeof *ids);
            out->ids = ids;
            out->cap = cap;
        }
        size_t idlen = k.mv_size - plen;
        char *id = arena_alloc(t->arena, idlen + 1);
        memcpy(id, (const unsigned char *)k.mv_data + plen, idlen);
        id[idlen] = 0;
        out->ids[out->n++] = id;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_rc(rc);
}

int dispatch_conflict_lawyers(turn_t *t, const Legalaid__Assignment *a, char ***ids, size_t *n)
{
    dispatch_idlist_t out = {0};
    const Legalaid__CaseFacts *f = a->facts;
    int rc = 0;
    if (f) {
        rc = dispatch_conflict_scan(t, TAG_REPRESENTS, f->opposing_party, a->case_id, &out);
        if (!rc && f->applicant) {
            rc = dispatch_conflict_scan(t, TAG_OPPOSES, f->applicant->name, a->case_id, &out);
            if (!rc)
                rc = dispatch_conflict_scan(t, TAG_OPPOSES, f->applicant->id_number, a->case_id,
                                            &out);
        }
    }
    if (!rc && dispatch_is_defence(a)) {
        rc = dispatch_conflict_scan(t, TAG_MATTER, dispatch_conflict_matter(t, a), a->case_id,
                                    &out);
        for (size_t i = 0; !rc && f && i < f->n_related_cases; i++)
            rc = dispatch_conflict_scan(t, TAG_MATTER, f->related_cases[i], a->case_id, &out);
        for (size_t i = 0; !rc && f && i < f->n_co_defendants; i++) {
            const Legalaid__Person *p = f->co_defendants[i];
            if (!p) continue;
            rc = dispatch_conflict_scan(t, TAG_REPRESENTS, p->name, a->case_id, &out);
            if (!rc)
                rc = dispatch_conflict_scan(t, TAG_REPRESENTS, p->id_number, a->case_id, &out);
        }
    }
    *ids = out.ids;
    *n = out.n;
    return rc;
}
