/*
 * roster_generate.c - the schedule of a period, computed in memory from
 * the stations' templates, the firms' agreements, the holiday calendar,
 * the shifts already published and the approved leave:
 *
 *   - every staffed shift gets an A (primary) and a B (backup) post
 *     (DOMAIN "AB posts"); a shift is staffed on the template's weekdays,
 *     not on a statutory holiday unless the template says so, and on a
 *     make-up working day (调休上班) when the template covers working days
 *     (DESIGN "days are data", DOMAIN R-TIME-00);
 *   - a lawyer holds a post only while a member of an agreement serving the
 *     station (its period, joined <= day < left; R-DUTY-09 roster of duty
 *     lawyers), never two posts at once, always with [roster]
 *     min_rest_minutes between two shifts, never on approved leave;
 *   - each post goes to the firm furthest behind its share (a firm's
 *     share is its agreement's weight against the other firms serving that
 *     station that day), and inside the firm to the lawyer with the fewest
 *     posts so far (then the id), so the work is spread fairly.
 *
 * A post already published at the same station and start is left as it
 * is. Posts are filled in start order, greedily; a post nobody can take fails
 * the whole generation with the station and time named, and nothing is
 * kept.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "roster_int.h"
#include "store.h"
#include "i18n.h"

typedef struct gen_iv {
    int64_t from, to;
    int rest; /* a shift (rest applies), or leave (none) */
} gen_iv_t;

typedef struct gen_lawyer {
    const char *id, *name, *phone;
    int firm;
    const Legalaid__Agreement **ags; /* the agreements listing the lawyer ... */
    int64_t *from_day, *to_day;      /* ... and the days of membership in each, inclusive */
    size_t nags;
    gen_iv_t *busy;
    size_t nbusy, capbusy;
    unsigned posts;
    int eligible; /* could have held at least one post */
} gen_lawyer_t;

typedef struct gen_firm {
    const char *name;
    unsigned posts;
    double expected;
} gen_firm_t;

typedef struct gen_slot {
    const char *station;
    int64_t day, starts, ends;
    int mode, backup_mode;
} gen_slot_t;

typedef struct gen {
    turn_t *t;
    gen_lawyer_t *lw;
    size_t nlw;
    gen_firm_t *firms;
    size_t nfirms;
    gen_slot_t *slots;
    size_t nslots, capslots;
    int64_t rest_ms;
    unsigned holidays_skipped;
    unsigned already_staffed;
} gen_t;

static void gen_busy_add(gen_t *g, gen_lawyer_t *l, int64_t from, int64_t to, int rest)
{
    if (l->nbusy == l->capbusy) {
        size_t cap = l->capbusy ? l->capbusy * 2 : 32;
        gen_iv_t *grown = arena_alloc(g->t->arena, cap * sizeof *grown);
        if (l->nbusy) memcpy(grown, l->busy, l->nbusy * sizeof *grown);
        l->busy = grown;
        l->capbusy = cap;
    }
    l->busy[l->nbusy++] = (gen_iv_t){from, to, rest};
}

static gen_lawyer_t *gen_lawyer_find(gen_t *g, const char *id)
{
    for (size_t i = 0; i < g->nlw; i++)
        if (strcmp(g->lw[i].id, id) == 0) return &g->lw[i];
    return NULL;
}

static int gen_firm_index(gen_t *g, const char *name, size_t cap)
{
    for (size_t i = 0; i < g->nfirms; i++)
        if (strcmp(g->firms[i].name, name) == 0) return (int)i;
    if (g->nfirms == cap) return -1;
    g->firms[g->nfirms].name = name;
    return (int)g->nfirms++;
}

/* The agreements running in [from_day, to_day], their firms and lawyers. */
static int gen_load_agreements(gen_t *g, int64_t from_day, int64_t to_day)
{
    turn_t *t = g->t;
    size_t nag = store_count(t->txn, roster_agreements), total = 0;
    Legalaid__Agreement **ags = arena_alloc(t->arena, (nag + 1) * sizeof *ags);
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(t->txn, roster_agreements, &c);
    if (rc) return store_rc(rc);
    size_t n = 0;
    for (int op = MDB_FIRST; n < nag && (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__Agreement *a = store_unpacked(t->txn, &k, &v, &legalaid__agreement__descriptor, &t->arena->pb);
        int64_t s, e;
        const char *why;
        if (!a || roster_calendar_day_parse(a->starts, &s, &why) ||
            roster_calendar_day_parse(a->ends, &e, &why))
            continue;
        if (e < from_day || s > to_day) continue;
        ags[n++] = a;
        total += a->n_lawyers;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    g->lw = arena_alloc(t->arena, (total + 1) * sizeof *g->lw);
    g->firms = arena_alloc(t->arena, (n + 1) * sizeof *g->firms);
    for (size_t i = 0; i < n; i++) {
        const Legalaid__Agreement *a = ags[i];
        int firm = gen_firm_index(g, a->firm, n);
        int64_t s, e, d;
        const char *why;
        roster_calendar_day_parse(a->starts, &s, &why);
        roster_calendar_day_parse(a->ends, &e, &why);
        for (size_t j = 0; j < a->n_lawyers; j++) {
            const Legalaid__DutyLawyer *dl = a->lawyers[j];
            /* Suspended or left since the agreement: no new shifts. */
            int takes = roster_pool_takes(t, dl->id);
            if (takes < 0) return takes;
            if (!takes) continue;
            gen_lawyer_t *l = gen_lawyer_find(g, dl->id);
            if (!l) {
                l = &g->lw[g->nlw++];
                l->id = dl->id;
                l->name = dl->name;
                l->phone = dl->phone;
                l->firm = firm;
                l->ags = arena_alloc(t->arena, n * sizeof *l->ags);
                l->from_day = arena_alloc(t->arena, n * sizeof *l->from_day);
                l->to_day = arena_alloc(t->arena, n * sizeof *l->to_day);
            }
            l->ags[l->nags] = a;
            l->from_day[l->nags] = s;
            l->to_day[l->nags] = e;
            if (dl->joined && !roster_calendar_day_parse(dl->joined, &d, &why) && d > s)
                l->from_day[l->nags] = d;
            if (dl->left && !roster_calendar_day_parse(dl->left, &d, &why) && d - 1 < e)
                l->to_day[l->nags] = d - 1;
            l->nags++;
        }
    }
    return 0;
}

/* Shifts already published and approved leave near the period. */
static int gen_load_busy(gen_t *g, int64_t from_ms, int64_t to_ms)
{
    turn_t *t = g->t;
    /* Each lawyer's published shifts near the period: a seek on the
     * per-lawyer index, however long the roster's history. */
    for (size_t i = 0; i < g->nlw; i++) {
        Legalaid__Shift **held;
        size_t n;
        int rc =
            roster_shift_held(t, g->lw[i].id, from_ms - g->rest_ms, to_ms + g->rest_ms, &held, &n);
        if (rc) return rc;
        for (size_t j = 0; j < n; j++)
            gen_busy_add(g, &g->lw[i], held[j]->starts_at, held[j]->ends_at, 1);
    }
    MDB_cursor *c;
    MDB_val k, v;
    int rc;
    if ((rc = mdb_cursor_open(t->txn, roster_leaves, &c))) return store_rc(rc);
    for (int op = MDB_FIRST; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__Leave *lv = store_unpacked(t->txn, &k, &v, &legalaid__leave__descriptor, &t->arena->pb);
        if (!lv || lv->state != LEGALAID__CHANGE_STATE__CHANGE_APPROVED) continue;
        if (lv->ends_at <= from_ms || lv->starts_at >= to_ms) continue;
        gen_lawyer_t *l = gen_lawyer_find(g, lv->lawyer_id);
        if (l) gen_busy_add(g, l, lv->starts_at, lv->ends_at, 0);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static void gen_slot_add(gen_t *g, const gen_slot_t *s)
{
    if (g->nslots == g->capslots) {
        size_t cap = g->capslots ? g->capslots * 2 : 256;
        gen_slot_t *grown = arena_alloc(g->t->arena, cap * sizeof *grown);
        if (g->nslots) memcpy(grown, g->slots, g->nslots * sizeof *grown);
        g->slots = grown;
        g->capslots = cap;
    }
    g->slots[g->nslots++] = *s;
}

/* The staffed shifts of one station's template over the period. */
static void gen_template_slots(gen_t *g, const Legalaid__ShiftTemplate *tp, int64_t from_day,
                               const Legalaid__DayKind *kinds, size_t ndays)
{
    unsigned mask;
    int s, e;
    roster_template_days_parse(tp->days, &mask);
    roster_template_hhmm_parse(tp->starts, &s);
    roster_template_hhmm_parse(tp->ends, &e);
    int len = e > s ? e - s : e + 1440 - s;
    for (size_t i = 0; i < ndays; i++) {
        int64_t day = from_day + (int64_t)i;
        int on = (mask >> roster_calendar_weekday(day)) & 1;
        if (kinds[i] == LEGALAID__DAY_KIND__HOLIDAY && !tp->on_holidays) {
            if (on) g->holidays_skipped++;
            continue;
        }
        /* 调休上班: a make-up working day follows the working-day template. */
        if (kinds[i] == LEGALAID__DAY_KIND__WORKDAY && (mask & 0x3e)) on = 1;
        if (!on) continue;
        gen_slot_t slot = {tp->station,
                           day,
                           clock_local_midnight(day) + s * 60000LL,
                           0,
                           tp->has_mode && tp->mode ? (int)tp->mode : LEGALAID__DUTY_MODE__ON_SITE,
                           tp->has_backup_mode && tp->backup_mode ? (int)tp->backup_mode
                                                                  : LEGALAID__DUTY_MODE__BY_PHONE};
        slot.ends = slot.starts + len * 60000LL;
        gen_slot_add(g, &slot);
    }
}

static int gen_load_slots(gen_t *g, char **stations, size_t n, int64_t from_day, int64_t to_day)
{
    turn_t *t = g->t;
    size_t ndays = (size_t)(to_day - from_day + 1);
    Legalaid__DayKind *kinds = arena_alloc(t->arena, ndays * sizeof *kinds);
    for (size_t i = 0; i < ndays; i++) {
        int rc = roster_calendar_kind(t, from_day + (int64_t)i, &kinds[i]);
        if (rc) return rc;
    }
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(t->txn, roster_templates, &c);
    if (rc) return store_rc(rc);
    for (int op = MDB_FIRST; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        Legalaid__ShiftTemplate *tp =
            store_unpacked(t->txn, &k, &v, &legalaid__shift_template__descriptor, &t->arena->pb);
        if (!tp) continue;
        int wanted = n == 0;
        for (size_t i = 0; i < n && !wanted; i++) wanted = strcmp(stations[i], tp->station) == 0;
        if (wanted) gen_template_slots(g, tp, from_day, kinds, ndays);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static int gen_slot_order(const void *a, const void *b)
{
    const gen_slot_t *x = a, *y = b;
    if (x->starts != y->starts) return x->starts < y->starts ? -1 : 1;
    return strcmp(x->station, y->station);
}

/* The lawyer's membership serving station on day, or -1. */
static int gen_member_serves(const gen_lawyer_t *l, const char *station, int64_t day,
                             unsigned *share)
{
    for (size_t i = 0; i < l->nags; i++)
        if (day >= l->from_day[i] && day <= l->to_day[i] &&
            roster_agreement_serves(l->ags[i], station)) {
            *share = l->ags[i]->share;
            return (int)i;
        }
    return -1;
}

static int gen_free(const gen_t *g, const gen_lawyer_t *l, int64_t from, int64_t to)
{
    for (size_t i = 0; i < l->nbusy; i++) {
        int64_t r = l->busy[i].rest ? g->rest_ms : 0;
        if (l->busy[i].from < to + r && l->busy[i].to + r > from) return 0;
    }
    return 1;
}

/* Each covering firm's weight for this post, added to what it is owed. */
static int gen_owe(gen_t *g, const gen_slot_t *s)
{
    double *w = arena_alloc(g->t->arena, (g->nfirms + 1) * sizeof *w), sum = 0;
    for (size_t i = 0; i < g->nlw; i++) {
        unsigned share;
        if (gen_member_serves(&g->lw[i], s->station, s->day, &share) < 0) continue;
        g->lw[i].eligible = 1;
        if (share > w[g->lw[i].firm]) w[g->lw[i].firm] = share;
    }
    for (size_t f = 0; f < g->nfirms; f++) sum += w[f];
    if (sum <= 0) return -1;
    for (size_t f = 0; f < g->nfirms; f++) g->firms[f].expected += w[f] / sum;
    return 0;
}

static gen_lawyer_t *gen_pick(gen_t *g, const gen_slot_t *s)
{
    gen_lawyer_t *best = NULL;
    double best_deficit = 0;
    for (size_t i = 0; i < g->nlw; i++) {
        gen_lawyer_t *l = &g->lw[i];
        unsigned share;
        if (gen_member_serves(l, s->station, s->day, &share) < 0) continue;
        if (!gen_free(g, l, s->starts, s->ends)) continue;
        double deficit = g->firms[l->firm].expected - g->firms[l->firm].posts;
        if (!best || deficit > best_deficit + 1e-9 ||
            (deficit > best_deficit - 1e-9 &&
             (l->posts < best->posts ||
              (l->posts == best->posts && strcmp(l->id, best->id) < 0)))) {
            best = l;
            best_deficit = deficit;
        }
    }
    return best;
}

static Legalaid__Shift *gen_shift(gen_t *g, const gen_slot_t *s, const gen_lawyer_t *l, int role)
{
    Legalaid__Shift *sh = ARENA_NEW(g->t->arena, Legalaid__Shift, legalaid__shift__init);
    sh->station = (char *)s->station;
    sh->lawyer_id = (char *)l->id;
    sh->lawyer_name = (char *)l->name;
    sh->lawyer_phone = (char *)l->phone;
    sh->firm = (char *)g->firms[l->firm].name;
    sh->has_starts_at = sh->has_ends_at = sh->has_role = sh->has_mode = 1;
    sh->starts_at = s->starts;
    sh->ends_at = s->ends;
    sh->role = (Legalaid__ShiftRole)role;
    sh->mode =
        (Legalaid__DutyMode)(role == LEGALAID__SHIFT_ROLE__PRIMARY ? s->mode : s->backup_mode);
    return sh;
}

static void gen_shares(gen_t *g, Legalaid__Schedule *sched, size_t posts)
{
    turn_t *t = g->t;
    sched->firms = arena_alloc(t->arena, (g->nfirms + 1) * sizeof *sched->firms);
    for (size_t f = 0; f < g->nfirms; f++) {
        Legalaid__FirmShare *fs =
            ARENA_NEW(t->arena, Legalaid__FirmShare, legalaid__firm_share__init);
        fs->firm = (char *)g->firms[f].name;
        fs->has_posts = fs->has_target_permille = fs->has_actual_permille = 1;
        fs->posts = g->firms[f].posts;
        fs->target_permille = posts ? (uint32_t)(g->firms[f].expected * 1000.0 / posts + 0.5) : 0;
        fs->actual_permille = posts ? (uint32_t)(g->firms[f].posts * 1000.0 / posts + 0.5) : 0;
        unsigned lo = ~0u, hi = 0, with = 0;
        for (size_t i = 0; i < g->nlw; i++) {
            const gen_lawyer_t *l = &g->lw[i];
            if (l->firm != (int)f || !l->eligible) continue;
            if (l->posts) with++;
            if (l->posts < lo) lo = l->posts;
            if (l->posts > hi) hi = l->posts;
        }
        fs->has_lawyers = fs->has_min_posts = fs->has_max_posts = 1;
        fs->lawyers = with;
        fs->min_posts = lo == ~0u ? 0 : lo;
        fs->max_posts = hi;
        /* A firm too small (or too busy) for its share: the draft says so. */
        int off = (int)fs->actual_permille - (int)fs->target_permille;
        if (off > roster_config.share_band_permille || -off > roster_config.share_band_permille) {
            fs->outside_band = fs->has_outside_band = 1;
            log_warn("firm holds %u per mille of the posts, its share is %u (band %lld)",
                     fs->actual_permille, fs->target_permille, roster_config.share_band_permille);
        }
        sched->firms[sched->n_firms++] = fs;
    }
}

int roster_generate_run(turn_t *t, int64_t from_day, int64_t to_day, char **stations,
                        size_t n_stations, Legalaid__Schedule *sched, Legalaid__Shift ***shifts,
                        size_t *n, const char **field, const char **msg)
{
    gen_t g = {.t = t, .rest_ms = roster_config.min_rest_minutes * 60000LL};
    *msg = NULL;
    int64_t from_ms = clock_local_midnight(from_day), to_ms = clock_local_midnight(to_day + 2);
    int rc = gen_load_agreements(&g, from_day, to_day);
    if (!rc) rc = gen_load_busy(&g, from_ms - MS_PER_DAY, to_ms);
    if (!rc) rc = gen_load_slots(&g, stations, n_stations, from_day, to_day);
    if (rc) return rc;
    qsort(g.slots, g.nslots, sizeof *g.slots, gen_slot_order);
    Legalaid__Shift **out = arena_alloc(t->arena, (2 * g.nslots + 1) * sizeof *out);
    size_t m = 0;
    char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
    for (size_t i = 0; i < g.nslots; i++) {
        const gen_slot_t *s = &g.slots[i];
        for (int role = LEGALAID__SHIFT_ROLE__PRIMARY; role <= LEGALAID__SHIFT_ROLE__BACKUP;
             role++) {
            /* A post already published (imported, or an earlier schedule)
             * is staffed: it is left as it is. */
            Legalaid__Shift *held;
            rc = roster_shift_find(t, s->station, s->starts, role, &held);
            if (rc == 0) {
                g.already_staffed++;
                continue;
            }
            if (rc != MDB_NOTFOUND) return rc;
            if (gen_owe(&g, s) < 0) {
                *field = "generate_schedule.from";
                *msg = arena_printf(t->arena,
                                    _("no firm's agreement serves station %s on %s: import an "
                                    "agreement covering it, or leave the station out"),
                                    s->station, clock_local_text(s->starts, a));
                return 0;
            }
            gen_lawyer_t *l = gen_pick(&g, s);
            if (!l) {
                *field = "generate_schedule.stations";
                *msg = arena_printf(
                    t->arena,
                    _("nobody can take the %s post at %s from %s to %s: every duty lawyer of the "
                    "firms serving it is on another shift, on leave, or within the %lld-minute "
                    "rest; the schedule was not generated"),
                    roster_shift_post(role), s->station, clock_local_text(s->starts, a),
                    clock_local_text(s->ends, b), roster_config.min_rest_minutes);
                return 0;
            }
            gen_busy_add(&g, l, s->starts, s->ends, 1);
            l->posts++;
            g.firms[l->firm].posts++;
            out[m++] = gen_shift(&g, s, l, role);
        }
    }
    gen_shares(&g, sched, m);
    sched->shifts = (uint32_t)m;
    sched->has_shifts = 1;
    sched->holidays_skipped = g.holidays_skipped;
    sched->has_holidays_skipped = 1;
    sched->already_staffed = g.already_staffed;
    sched->has_already_staffed = g.already_staffed > 0;
    *shifts = out;
    *n = m;
    log_info("schedule generated posts=%zu shifts=%zu lawyers=%zu firms=%zu", m, g.nslots, g.nlw,
             g.nfirms);
    return 0;
}
