/*
 * dispatch_intern_store.c - the internship tables (intern.proto):
 *
 *   "intern" (sealed: candidates' ID numbers and phones)
 *       'c' period NUL certificate  -> InternStanding (the candidate and
 *                                      where they stand)
 *       'p' period NUL place id     -> InternPlace
 *       'm' period                  -> InternMatchResult: the last publish
 *                                      (fingerprint, offers; no rows)
 *   "intern_hosted"  firm -> interns it confirmed in every period so far
 *                    (u64): among places a candidate wishes alike, the
 *                    firms that took fewer come first (the fairness
 *                    across firms dispatch keeps for cases)
 *
 * Keys keep a period's records together in cursor order, so a period is
 * read with one range scan (dispatch_intern_store_load).
 */
#include <errno.h>
#include <string.h>

#include "dispatch_int.h"
#include "store.h"

MDB_dbi dispatch_intern, dispatch_intern_hosted;

int dispatch_intern_store_open(MDB_txn *txn)
{
    int rc = store_table_sealed(txn, "intern", &dispatch_intern);
    if (!rc) rc = store_table(txn, "intern_hosted", &dispatch_intern_hosted);
    return rc;
}

/* kind period NUL id into out; its length (0 when it does not fit). */
static size_t dispatch_intern_store_key(char *out, size_t size, char kind, const char *period,
                                        const char *id)
{
    size_t p = strlen(period), n = id ? strlen(id) : 0;
    size_t len = 1 + p + (id ? 1 + n : 0);
    if (len > size) return 0;
    out[0] = kind;
    memcpy(out + 1, period, p);
    if (id) {
        out[1 + p] = 0;
        memcpy(out + 2 + p, id, n);
    }
    return len;
}

static int dispatch_intern_store_get(turn_t *t, char kind, const char *period, const char *id,
                                     const ProtobufCMessageDescriptor *desc, ProtobufCMessage **out)
{
    char key[DISPATCH_INTERN_KEY_MAX];
    size_t len = dispatch_intern_store_key(key, sizeof key, kind, period, id);
    *out = NULL;
    if (!len) return MDB_NOTFOUND;
    return store_get_pb(t->txn, dispatch_intern, key, len, desc, &t->arena->pb, out);
}

static int dispatch_intern_store_put(turn_t *t, char kind, const char *period, const char *id,
                                     const ProtobufCMessage *m)
{
    char key[DISPATCH_INTERN_KEY_MAX];
    size_t len = dispatch_intern_store_key(key, sizeof key, kind, period, id);
    if (!len) return -EINVAL;
    return store_put_pb(t->txn, dispatch_intern, key, len, m, 0);
}

int dispatch_intern_store_standing_get(turn_t *t, const char *period, const char *certificate,
                                       Legalaid__InternStanding **out)
{
    return dispatch_intern_store_get(t, 'c', period, certificate,
                                     &legalaid__intern_standing__descriptor,
                                     (ProtobufCMessage **)out);
}

int dispatch_intern_store_standing_put(turn_t *t, const Legalaid__InternStanding *s)
{
    return dispatch_intern_store_put(t, 'c', s->candidate->period, s->candidate->certificate,
                                     &s->base);
}

int dispatch_intern_store_place_get(turn_t *t, const char *period, const char *id,
                                    Legalaid__InternPlace **out)
{
    return dispatch_intern_store_get(t, 'p', period, id, &legalaid__intern_place__descriptor,
                                     (ProtobufCMessage **)out);
}

int dispatch_intern_store_place_put(turn_t *t, const Legalaid__InternPlace *p)
{
    return dispatch_intern_store_put(t, 'p', p->period, p->id, &p->base);
}

int dispatch_intern_store_published_get(turn_t *t, const char *period,
                                        Legalaid__InternMatchResult **out)
{
    return dispatch_intern_store_get(t, 'm', period, NULL,
                                     &legalaid__intern_match_result__descriptor,
                                     (ProtobufCMessage **)out);
}

int dispatch_intern_store_published_put(turn_t *t, const Legalaid__InternMatchResult *r)
{
    return dispatch_intern_store_put(t, 'm', r->period, NULL, &r->base);
}

uint64_t dispatch_intern_store_hosted(turn_t *t, const char *firm)
{
    uint64_t n = 0;
    if (firm && firm[0] && strlen(firm) < 500) store_get_u64(t->txn, dispatch_intern_hosted, firm, &n);
    return n;
}

int dispatch_intern_store_hosted_add(turn_t *t, const char *firm)
{
    if (!firm || !firm[0] || strlen(firm) >= 500) return 0;
    uint64_t n = dispatch_intern_store_hosted(t, firm);
    return store_put_u64(t->txn, dispatch_intern_hosted, firm, n + 1);
}

/* Appends m to the list (grown in the arena by doubling). */
static void dispatch_intern_store_push(arena_t *a, void ***list, size_t *n, size_t *cap, void *m)
{
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 64;
        void **more = arena_alloc(a, grown * sizeof *more);
        if (*n) memcpy(more, *list, *n * sizeof *more);
        *list = more;
        *cap = grown;
    }
    (*list)[(*n)++] = m;
}

int dispatch_intern_store_load(turn_t *t, const char *period, dispatch_intern_period_t *p)
{
    memset(p, 0, sizeof *p);
    p->period = period;
    size_t cap_c = 0, cap_p = 0;
    for (int pass = 0; pass < 2; pass++) {
        char kind = pass == 0 ? 'c' : 'p';
        char prefix[DISPATCH_INTERN_KEY_MAX];
        size_t plen = dispatch_intern_store_key(prefix, sizeof prefix, kind, period, "");
        if (!plen) return -EINVAL;
        MDB_cursor *cur;
        int rc = store_rc(mdb_cursor_open(t->txn, dispatch_intern, &cur));
        if (rc) return rc;
        MDB_val k = {plen, prefix}, v;
        for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
             rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
            if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0) break;
            const ProtobufCMessageDescriptor *desc = pass == 0
                                                         ? &legalaid__intern_standing__descriptor
                                                         : &legalaid__intern_place__descriptor;
            ProtobufCMessage *m = store_unpacked(t->txn, &k, &v, desc, &t->arena->pb);
            if (!m) continue; /* does not open: passed over, as store_each_pb does */
            if (pass == 0) {
                Legalaid__InternStanding *s = (Legalaid__InternStanding *)m;
                if (!s->candidate || !s->candidate->certificate) continue;
                dispatch_intern_store_push(t->arena, (void ***)&p->standings, &p->n_standings,
                                           &cap_c, s);
            } else {
                dispatch_intern_store_push(t->arena, (void ***)&p->places, &p->n_places, &cap_p,
                                           m);
            }
        }
        mdb_cursor_close(cur);
        if (rc != 0 && rc != MDB_NOTFOUND) return store_rc(rc);
    }
    int rc = dispatch_intern_store_published_get(t, period, &p->published);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

Legalaid__InternStanding *dispatch_intern_store_public(turn_t *t, const Legalaid__InternStanding *s)
{
    Legalaid__InternStanding *out =
        ARENA_NEW(t->arena, Legalaid__InternStanding, legalaid__intern_standing__init);
    *out = *s;
    if (s->candidate) {
        Legalaid__InternCandidate *c =
            ARENA_NEW(t->arena, Legalaid__InternCandidate, legalaid__intern_candidate__init);
        *c = *s->candidate;
        c->id_number = NULL; /* the events need who and how to reach them, never the ID */
        out->candidate = c;
    }
    return out;
}

const char *dispatch_intern_store_case_id(turn_t *t, const char *period, const char *certificate)
{
    return arena_printf(t->arena, "INT-%s-%s", period, certificate);
}

int dispatch_intern_store_holds(Legalaid__InternState s)
{
    return s == LEGALAID__INTERN_STATE__INTERN_OFFERED ||
           s == LEGALAID__INTERN_STATE__INTERN_ACCEPTED ||
           s == LEGALAID__INTERN_STATE__INTERN_CONFIRMED;
}

void dispatch_intern_store_count(const dispatch_intern_period_t *p, const char *place_id,
                                 uint32_t *held, uint32_t *confirmed)
{
    *held = *confirmed = 0;
    for (size_t i = 0; i < p->n_standings; i++) {
        const Legalaid__InternStanding *s = p->standings[i];
        if (!s->place_id || strcmp(s->place_id, place_id) != 0) continue;
        if (dispatch_intern_store_holds(s->state)) (*held)++;
        if (s->state == LEGALAID__INTERN_STATE__INTERN_CONFIRMED) (*confirmed)++;
    }
}
