/*
 * turn.c - what a handler uses inside its turn (daemon.h promises these):
 * events to emit, the error of a reply, counters of a status reply, the
 * result of an import, deadlines set and met, the reason an upstream event
 * is rejected. Everything here lives in the turn's arena and its write
 * transaction; nothing is sent. The group commit that runs the turn is
 * commit.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "daemon_int.h"
#include "i18n.h"

Legalaid__Event *turn_event(turn_t *t)
{
    return ARENA_NEW(t->arena, Legalaid__Event, legalaid__event__init);
}

int turn_emit(turn_t *t, const char *case_id, Legalaid__Event *ev)
{
    ev->case_id = (char *)case_id;
    if (!ev->causation_id && t->causation) ev->causation_id = (char *)t->causation;
    if (!ev->principal) ev->principal = (char *)turn_who(t);
    if (!t->audit_case && case_id) t->audit_case = case_id;
    char *id = arena_alloc(t->arena, 64);
    return stream_append(&t->d->stream, t->txn, ev, t->now, id);
}

void turn_fail(turn_t *t, Legalaid__Reply *reply, Legalaid__Code code, const char *field,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    i18n_cut(msg);
    reply->has_code = 1;
    reply->code = code;
    reply->error = arena_strdup(t->arena, msg);
    reply->field = field ? arena_strdup(t->arena, field) : NULL;
    reply->body_case = LEGALAID__REPLY__BODY__NOT_SET;
}

void turn_counter(turn_t *t, Legalaid__StreamStatus *status, const char *name, uint64_t value)
{
    Legalaid__Counter **grown =
        arena_alloc(t->arena, (status->n_counters + 1) * sizeof *status->counters);
    if (status->n_counters) memcpy(grown, status->counters, status->n_counters * sizeof *grown);
    Legalaid__Counter *c = ARENA_NEW(t->arena, Legalaid__Counter, legalaid__counter__init);
    c->name = arena_strdup(t->arena, name);
    c->value = value;
    c->has_value = 1;
    grown[status->n_counters++] = c;
    status->counters = grown;
}

Legalaid__ImportResult *turn_import_result(turn_t *t, size_t n)
{
    Legalaid__ImportResult *res =
        ARENA_NEW(t->arena, Legalaid__ImportResult, legalaid__import_result__init);
    res->rejected = arena_alloc(t->arena, (n + 1) * sizeof *res->rejected);
    res->has_accepted = 1;
    return res;
}

void turn_import_reject(turn_t *t, Legalaid__ImportResult *res, const char *list, size_t index,
                        const char *field, const char *message)
{
    Legalaid__ImportError *e =
        ARENA_NEW(t->arena, Legalaid__ImportError, legalaid__import_error__init);
    e->index = (uint32_t)index;
    e->has_index = 1;
    e->field = arena_printf(t->arena, "%s[%zu].%s", list, index, field);
    e->message = arena_strdup(t->arena, message);
    res->rejected[res->n_rejected++] = e;
}

Legalaid__Deadline *turn_deadline(turn_t *t, Legalaid__Event *ev, const char *key, int64_t due_at,
                                  Legalaid__Party owner, const char *owner_id, const char *what,
                                  const char *article)
{
    Legalaid__Deadline *dl = ARENA_NEW(t->arena, Legalaid__Deadline, legalaid__deadline__init);
    dl->key = (char *)key;
    dl->due_at = due_at;
    dl->has_due_at = 1;
    dl->owner = owner;
    dl->has_owner = 1;
    dl->owner_id = (char *)owner_id;
    dl->what = (char *)what;
    dl->article = (char *)article;
    if (ev) {
        Legalaid__Deadline **v = arena_alloc(t->arena, (ev->n_deadlines + 1) * sizeof *v);
        if (ev->n_deadlines) memcpy(v, ev->deadlines, ev->n_deadlines * sizeof *v);
        v[ev->n_deadlines++] = dl;
        ev->deadlines = v;
    }
    return dl;
}

void turn_deadline_met(turn_t *t, Legalaid__Event *ev, const char *key)
{
    char **v = arena_alloc(t->arena, (ev->n_deadlines_met + 1) * sizeof *v);
    if (ev->n_deadlines_met) memcpy(v, ev->deadlines_met, ev->n_deadlines_met * sizeof *v);
    v[ev->n_deadlines_met++] = (char *)key;
    ev->deadlines_met = v;
}

int turn_reject(turn_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    t->reject_reason = arena_strdup(t->arena, msg);
    return LA_EREJECT;
}

const char *turn_who(const turn_t *t)
{
    return t->who ? t->who->name : t->d->self.name;
}

const char *turn_actor(turn_t *t, const char *typed)
{
    const char *who = turn_who(t);
    if (!typed || !typed[0] || strcmp(typed, who) == 0) return who;
    return arena_printf(t->arena, "%s (注: %.64s)", who, typed);
}

int turn_refuse_binding(turn_t *t, Legalaid__Reply *reply, const char *station,
                        const char *lawyer, const char *authority, const char *field)
{
    const principal_t *p = t->who;
    /* The gateway (edge) reads for the agencies whose notices it holds; the
     * access table gives it only those reads, and on_behalf makes it the
     * agency itself, bound like any other. */
    if (!p || (p->roles & (ROLE_STAFF | ROLE_OFFICER | ROLE_ADMIN | ROLE_EDGE))) return 0;
    if ((p->roles & ROLE_STATION) && station && strcmp(p->station, station) == 0) return 0;
    if ((p->roles & ROLE_LAWYER) && lawyer && strcmp(p->lawyer, lawyer) == 0) return 0;
    if ((p->roles & ROLE_AGENCY) && authority && strcmp(p->authority, authority) == 0) return 0;
    if (p->roles & ROLE_STATION)
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, field,
                  _("工作站只能为本站办理 (a station desk acts only for its own station): %s is the "
                  "desk of %s, not of %s"),
                  p->name, p->station, station ? station : "(no station)");
    else if (p->roles & ROLE_LAWYER)
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, field,
                  _("律师只能办理本人的指派和案件 (a lawyer acts only on its own offers and cases): "
                  "%s is %s, not %s"),
                  p->name, p->lawyer, lawyer ? lawyer : "(no lawyer)");
    else if (p->roles & ROLE_AGENCY)
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, field,
                  _("办案机关只能发送本机关的通知 (an agency acts only for its own authority): %s is "
                  "%s, not %s"),
                  p->name, p->authority, authority ? authority : "(no authority)");
    else
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, field,
                  _("%s may not act for a station, lawyer or authority"), p->name);
    return 1;
}

int turn_count(turn_t *t, const char *measure, int64_t at, uint64_t count, int64_t sum,
               const stats_dims_t *ds)
{
    return stats_add(t->txn, t->d->stats, measure, at, count, sum, ds);
}

int turn_observe(turn_t *t, const char *name, int64_t at, int64_t ms)
{
    int rc = daily_add(t->txn, t->d->daily, name, at, ms);
    if (rc) return rc;
    if (ms >= 0) metrics_observe(&t->d->metrics, name, (double)ms / 1000.0);
    return 0;
}
