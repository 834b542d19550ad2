/*
 * dispatch_conflict.c - conflicts of interest (DOMAIN R-ASSIGN-09): the
 * "parties" index of who each lawyer acts for, against whom, and in which
 * criminal matter, so that matching leaves out a lawyer who
 *   - acts for the other side (Lawyers Law art. 39: not both sides),
 *   - acts against this applicant in another case (art. 39),
 *   - defends a co-defendant of this defendant, in the same case or in a
 *     related case handled separately, whichever of the two cases names
 *     the other (CPL interpretation art. 43: one defender may not defend
 *     two or more co-defendants).
 * Entries are written when a case is offered (an open offer holds its
 * place, so two co-defendants are never offered to one lawyer at once),
 * removed when the offer is declined, lapses or is withdrawn, and kept
 * after the case ends: what a lawyer learned stays learned. People are
 * filed under their name and, when known, their ID number; the opposing
 * party is known by name only, so a common name errs on the side of a
 * conflict.
 *
 * Key: tag (1 byte) | text | 0 | lawyer id | 0 | case_id; value empty.
 */
#include <string.h>

#include "dispatch_int.h"
#include "store.h"

#define TAG_REPRESENTS 'R'  /* the lawyer acts for this person */
#define TAG_OPPOSES 'O'     /* the lawyer acts against this person */
#define TAG_MATTER 'M'      /* the lawyer defends in this criminal matter */
#define TAG_CODEFENDANT 'C' /* the lawyer defends a co-defendant of this person */
#define DISPATCH_TEXT_MAX 200
#define DISPATCH_PREFIX (1 + SEAL_HASH_LEN)
#define DISPATCH_KEY_MAX (DISPATCH_PREFIX + LA_LAWYER_ID_MAX + 1 + LA_CASE_ID_MAX)

typedef int (*dispatch_entry_fn)(turn_t *t, char tag, const char *text, const char *lawyer_id,
                                 const char *case_id);

/* tag, then the keyed hash of text (a person's name or ID number is never
 * a key in clear: seal.h), then lawyer NUL case. 0 when text is empty or
 * too long. */
static size_t dispatch_conflict_prefix(turn_t *t, unsigned char *key, char tag, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n > DISPATCH_TEXT_MAX) return 0;
    key[0] = (unsigned char)tag;
    return 1 + store_hash(t->txn, "party", text, n, key + 1);
}

static size_t dispatch_conflict_key(turn_t *t, unsigned char *key, char tag, const char *text,
                                    const char *lawyer_id, const char *case_id)
{
    size_t p = dispatch_conflict_prefix(t, key, tag, text);
    size_t m = strlen(lawyer_id), c = strlen(case_id);
    if (!p || m > LA_LAWYER_ID_MAX || c > LA_CASE_ID_MAX) return 0;
    memcpy(key + p, lawyer_id, m);
    key[p + m] = 0;
    memcpy(key + p + 1 + m, case_id, c);
    return p + 1 + m + c;
}

static int dispatch_conflict_put(turn_t *t, char tag, const char *text, const char *lawyer_id,
                                 const char *case_id)
{
    unsigned char key[DISPATCH_KEY_MAX];
    size_t n = text ? dispatch_conflict_key(t, key, tag, text, lawyer_id, case_id) : 0;
    if (!n) return 0;
    MDB_val k = {n, key}, v = {0, ""};
    return store_rc(mdb_put(t->txn, dispatch_parties, &k, &v, 0));
}

static int dispatch_conflict_del(turn_t *t, char tag, const char *text, const char *lawyer_id,
                                 const char *case_id)
{
    unsigned char key[DISPATCH_KEY_MAX];
    size_t n = text ? dispatch_conflict_key(t, key, tag, text, lawyer_id, case_id) : 0;
    if (!n) return 0;
    MDB_val k = {n, key};
    int rc = mdb_del(t->txn, dispatch_parties, &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

/* The criminal matter of a case: the notifying authority and its file
 * number, so co-defendants notified under one case number meet here. */
static char *dispatch_conflict_matter(turn_t *t, const Legalaid__Assignment *a)
{
    if (!a->authority || !a->authority->reference || !a->authority->reference[0]) return NULL;
    return arena_printf(t->arena, "%s/%s", a->authority->name ? a->authority->name : "",
                        a->authority->reference);
}

/* Calls fn for every entry the case files under lawyer_id. */
static int dispatch_conflict_each(turn_t *t, const Legalaid__Assignment *a, const char *lawyer_id,
                                  dispatch_entry_fn fn)
{
    const Legalaid__CaseFacts *f = a->facts;
    const char *cid = a->case_id;
    int rc = 0;
    if (f && f->applicant) {
        rc = fn(t, TAG_REPRESENTS, f->applicant->name, lawyer_id, cid);
        if (!rc) rc = fn(t, TAG_REPRESENTS, f->applicant->id_number, lawyer_id, cid);
    }
    if (!rc && f) rc = fn(t, TAG_OPPOSES, f->opposing_party, lawyer_id, cid);
    if (!rc && dispatch_case_is_defence(a)) {
        rc = fn(t, TAG_MATTER, dispatch_conflict_matter(t, a), lawyer_id, cid);
        for (size_t i = 0; !rc && f && i < f->n_related_cases; i++)
            rc = fn(t, TAG_MATTER, f->related_cases[i], lawyer_id, cid);
        for (size_t i = 0; !rc && f && i < f->n_co_defendants; i++) {
            const Legalaid__Person *p = f->co_defendants[i];
            if (!p) continue;
            rc = fn(t, TAG_CODEFENDANT, p->name, lawyer_id, cid);
            if (!rc) rc = fn(t, TAG_CODEFENDANT, p->id_number, lawyer_id, cid);
        }
    }
    return rc;
}

int dispatch_conflict_record(turn_t *t, const Legalaid__Assignment *a, const char *lawyer_id)
{
    return dispatch_conflict_each(t, a, lawyer_id, dispatch_conflict_put);
}

int dispatch_conflict_forget(turn_t *t, const Legalaid__Assignment *a, const char *lawyer_id)
{
    return dispatch_conflict_each(t, a, lawyer_id, dispatch_conflict_del);
}

typedef struct dispatch_idlist {
    char **ids;
    size_t n, cap;
} dispatch_idlist_t;

/* Adds the lawyers filed under tag|text, for cases other than this one. */
static int dispatch_conflict_scan(turn_t *t, char tag, const char *text, const char *case_id,
                                  dispatch_idlist_t *out)
{
    unsigned char prefix[DISPATCH_PREFIX];
    size_t plen = dispatch_conflict_prefix(t, prefix, tag, text);
    if (!plen) return 0;
    MDB_cursor *cur;
    int rc = store_rc(mdb_cursor_open(t->txn, dispatch_parties, &cur));
    if (rc) return rc;
    MDB_val k = {plen, prefix}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= plen || memcmp(k.mv_data, prefix, plen) != 0) break;
        const char *rest = (const char *)k.mv_data + plen;
        size_t restlen = k.mv_size - plen;
        const char *sep = memchr(rest, 0, restlen);
        if (!sep) continue;
        size_t idlen = (size_t)(sep - rest), clen = restlen - idlen - 1;
        if (clen == strlen(case_id) && memcmp(sep + 1, case_id, clen) == 0) continue;
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 8;
            char **ids = arena_alloc(t->arena, cap * sizeof *ids);
            if (out->n) memcpy(ids, out->ids, out->n * sizeof *ids);
            out->ids = ids;
            out->cap = cap;
        }
        char *id = arena_alloc(t->arena, idlen + 1);
        memcpy(id, rest, idlen);
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
    const Legalaid__Person *me = f ? f->applicant : NULL;
    int rc = 0;
    if (f) {
        rc = dispatch_conflict_scan(t, TAG_REPRESENTS, f->opposing_party, a->case_id, &out);
        if (!rc && me) {
            rc = dispatch_conflict_scan(t, TAG_OPPOSES, me->name, a->case_id, &out);
            if (!rc) rc = dispatch_conflict_scan(t, TAG_OPPOSES, me->id_number, a->case_id, &out);
        }
    }
    if (!rc && dispatch_case_is_defence(a)) {
        rc =
            dispatch_conflict_scan(t, TAG_MATTER, dispatch_conflict_matter(t, a), a->case_id, &out);
        for (size_t i = 0; !rc && f && i < f->n_related_cases; i++)
            rc = dispatch_conflict_scan(t, TAG_MATTER, f->related_cases[i], a->case_id, &out);
        /* This case names a co-defendant whom the lawyer defends ... */
        for (size_t i = 0; !rc && f && i < f->n_co_defendants; i++) {
            const Legalaid__Person *p = f->co_defendants[i];
            if (!p) continue;
            rc = dispatch_conflict_scan(t, TAG_REPRESENTS, p->name, a->case_id, &out);
            if (!rc) rc = dispatch_conflict_scan(t, TAG_REPRESENTS, p->id_number, a->case_id, &out);
        }
        /* ... or the other case names this defendant as its co-defendant. */
        if (!rc && me) {
            rc = dispatch_conflict_scan(t, TAG_CODEFENDANT, me->name, a->case_id, &out);
            if (!rc)
                rc = dispatch_conflict_scan(t, TAG_CODEFENDANT, me->id_number, a->case_id, &out);
        }
    }
    *ids = out.ids;
    *n = out.n;
    return rc;
}
