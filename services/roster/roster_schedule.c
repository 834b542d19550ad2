/*
 * roster_schedule.c - GenerateSchedule and PublishSchedule: a period's
 * schedule is generated as a draft (roster_generate.c) that staff read
 * and publish; publication puts every shift into the live roster under
 * the same rules as any shift (roster_assign: no double booking, one
 * A and one B per post, the minimum rest), all or nothing, and publishes
 * RosterPublished and a ShiftAssigned per post (the lawyers are told).
 *
 * The draft of a period generated again replaces the previous draft; a
 * published period is not generated again (swaps and leave change it).
 */
#include <string.h>

#include "log.h"
#include "roster_int.h"
#include "store.h"
#include "i18n.h"

static int roster_drafts_clear(turn_t *t, const char *id)
{
    size_t prefix = strlen(id) + 1;
    MDB_cursor *c;
    int rc = mdb_cursor_open(t->txn, roster_drafts, &c);
    if (rc) return store_rc(rc);
    MDB_val k = {prefix, (void *)id}, v;
    while ((rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE)) == 0) {
        if (k.mv_size < prefix || memcmp(k.mv_data, id, prefix) != 0) break;
        if ((rc = mdb_cursor_del(c, 0))) break;
        k.mv_size = prefix;
        k.mv_data = (void *)id;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}

static int roster_schedule_load(turn_t *t, const char *id, Legalaid__Schedule **s)
{
    return store_get_pb(t->txn, roster_schedules, id, strlen(id), &legalaid__schedule__descriptor,
                        &t->arena->pb, (ProtobufCMessage **)s);
}

/* The period and stations asked for: 0, or -1 after turn_fail; or an error. */
static int roster_schedule_check(turn_t *t, const Legalaid__GenerateSchedule *in,
                                 Legalaid__Reply *reply, int64_t *from, int64_t *to)
{
    const char *why;
    if (roster_calendar_day_parse(in->from, from, &why)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "generate_schedule.from", _("from: %s"),
                  why);
        return -1;
    }
    if (roster_calendar_day_parse(in->to, to, &why)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "generate_schedule.to", _("to: %s"), why);
        return -1;
    }
    if (*to < *from || *to - *from + 1 > roster_config.max_schedule_days) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "generate_schedule.to",
                  _("the period %s to %s must run forward and cover at most %lld days "
                  "([roster] max_schedule_days)"),
                  in->from, in->to, roster_config.max_schedule_days);
        return -1;
    }
    for (size_t i = 0; i < in->n_stations; i++) {
        Legalaid__Station *st;
        const char *code = in->stations[i];
        int rc = code && strlen(code) <= LA_STATION_MAX ? roster_station_get(t, code, &st)
                                                        : MDB_NOTFOUND;
        if (rc == MDB_NOTFOUND) {
            turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND,
                      arena_printf(t->arena, "generate_schedule.stations[%zu]", i),
                      _("unknown station %.32s"), code ? code : "");
            return -1;
        }
        if (rc) return rc;
    }
    return 0;
}

int roster_schedule_generate(turn_t *t, const Legalaid__GenerateSchedule *in,
                             Legalaid__Reply *reply)
{
    int64_t from, to;
    int rc = roster_schedule_check(t, in, reply, &from, &to);
    if (rc) return rc < 0 && rc != -1 ? rc : 0;
    char *id = arena_printf(t->arena, "S-%s-%s", in->from, in->to);
    Legalaid__Schedule *old;
    rc = roster_schedule_load(t, id, &old);
    if (rc == 0 && old->state == LEGALAID__SCHEDULE_STATE__SCHEDULE_PUBLISHED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "generate_schedule.from",
                  _("the schedule %s is already published: change it with swaps and leave"), id);
        return 0;
    }
    if (rc && rc != MDB_NOTFOUND) return rc;
    Legalaid__Schedule *s = ARENA_NEW(t->arena, Legalaid__Schedule, legalaid__schedule__init);
    Legalaid__Shift **shifts;
    size_t n;
    const char *field, *msg;
    rc = roster_generate_run(t, from, to, in->stations, in->n_stations, s, &shifts, &n, &field,
                             &msg);
    if (rc) return rc;
    if (msg) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, field, _("%s"), msg);
        return 0;
    }
    if (n == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "generate_schedule.stations",
                  _("no station is staffed from %s to %s: import shift templates first"), in->from,
                  in->to);
        return 0;
    }
    s->id = id;
    s->from = in->from;
    s->to = in->to;
    s->has_state = s->has_generated_at = s->has_min_rest_minutes = 1;
    s->state = LEGALAID__SCHEDULE_STATE__SCHEDULE_DRAFT;
    s->generated_at = t->now;
    s->min_rest_minutes = (uint32_t)roster_config.min_rest_minutes;
    s->stations = in->stations;
    s->n_stations = in->n_stations;
    if ((rc = roster_drafts_clear(t, id))) return rc;
    size_t idlen = strlen(id);
    unsigned char *key = arena_alloc(t->arena, idlen + 1 + ROSTER_SHIFT_KEY_MAX);
    memcpy(key, id, idlen + 1);
    for (size_t i = 0; i < n; i++) {
        shifts[i]->schedule_id = id;
        size_t len = roster_shift_key(shifts[i]->station, shifts[i]->starts_at, shifts[i]->role,
                                      shifts[i]->lawyer_id, key + idlen + 1);
        rc = store_put_pb(t->txn, roster_drafts, key, idlen + 1 + len, &shifts[i]->base, 0);
        if (rc) return rc;
    }
    rc = store_put_pb(t->txn, roster_schedules, id, idlen, &s->base, 0);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_SCHEDULE;
    reply->schedule = s;
    return 0;
}

int roster_schedule_publish(turn_t *t, const Legalaid__PublishSchedule *in, Legalaid__Reply *reply)
{
    Legalaid__Schedule *s;
    int rc = in->id && in->id[0] && strlen(in->id) < 64 ? roster_schedule_load(t, in->id, &s)
                                                        : MDB_NOTFOUND;
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "publish_schedule.id",
                  _("no schedule %.64s (generate it first: S-FROM-TO)"), in->id ? in->id : "");
        return 0;
    }
    if (rc) return rc;
    if (s->state != LEGALAID__SCHEDULE_STATE__SCHEDULE_DRAFT) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "publish_schedule.id",
                  _("schedule %s is already published"), s->id);
        return 0;
    }
    size_t prefix = strlen(s->id) + 1;
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(t->txn, roster_drafts, &c))) return store_rc(rc);
    MDB_val k = {prefix, s->id}, v;
    int64_t rest = roster_config.min_rest_minutes * 60000LL;
    uint32_t placed = 0;
    for (int op = MDB_SET_RANGE; (rc = mdb_cursor_get(c, &k, &v, op)) == 0; op = MDB_NEXT) {
        if (k.mv_size < prefix || memcmp(k.mv_data, s->id, prefix) != 0) break;
        Legalaid__Shift *sh = store_unpacked(t->txn, &k, &v, &legalaid__shift__descriptor, &t->arena->pb);
        if (!sh) continue;
        const char *field, *msg = NULL;
        /* The pool and the published shifts may have changed since the
         * draft was made. */
        int takes = roster_pool_takes(t, sh->lawyer_id);
        if (takes < 0) {
            rc = takes;
            break;
        }
        if (!takes)
            msg = arena_printf(t->arena,
                               _("lawyer %s of the %s post at %s is no longer an active member of "
                               "the pool"),
                               sh->lawyer_id, roster_shift_post(sh->role), sh->station);
        else if ((rc = roster_assign(t, sh, rest, &field, &msg)))
            break;
        if (msg) {
            mdb_cursor_close(c);
            turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "publish_schedule.id",
                      _("schedule %s cannot be published, nothing was changed: %s (generate it "
                      "again)"),
                      s->id, msg);
            return 0;
        }
        placed++;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    if ((rc = roster_drafts_clear(t, s->id))) return rc;
    s->state = LEGALAID__SCHEDULE_STATE__SCHEDULE_PUBLISHED;
    s->published_at = t->now;
    s->has_published_at = 1;
    if ((rc = store_put_pb(t->txn, roster_schedules, s->id, strlen(s->id), &s->base, 0))) return rc;
    Legalaid__RosterPublished *b =
        ARENA_NEW(t->arena, Legalaid__RosterPublished, legalaid__roster_published__init);
    b->schedule = s;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_ROSTER_PUBLISHED;
    ev->roster_published = b;
    if ((rc = turn_emit(t, NULL, ev))) return rc;
    log_info("schedule %s published shifts=%u officer=%s", s->id, placed,
             turn_actor(t, in->officer));
    reply->body_case = LEGALAID__REPLY__BODY_SCHEDULE;
    reply->schedule = s;
    return 0;
}
