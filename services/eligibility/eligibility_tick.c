/*
 * eligibility_tick.c - the tick, an entry point: every deadline of
 * "deadlines" (eligibility_due.c) that has fallen due, handed by common/due.h's
 * due_tick to the step that owns it, inside the tick's write turn:
 *
 *   MATERIALS  eligibility_lifecycle_deemed_withdrawn (art. 43(2))
 *   OBJECTION  eligibility_objection_overdue (art. 49)
 *
 * Each entry is removed before it is acted on: acted on once, whatever the
 * outcome. The holiday calendar is read through the turn's transaction
 * (eligibility_calendar.h), set around the tick and cleared after.
 */
#include "due.h"
#include "eligibility_int.h"
#include "log.h"

/* Deadlines acted on per tick: the rest wait a second. */
#define DUE_PER_TICK 256

static int eligibility_tick_fire(turn_t *t, int64_t due_at, int kind, const char *case_id,
                                 size_t len, void *arg)
{
    (void)len;
    (void)arg;
    switch (kind) {
    case ELIGIBILITY_DUE_MATERIALS:
        return eligibility_lifecycle_deemed_withdrawn(t, case_id, due_at);
    case ELIGIBILITY_DUE_OBJECTION:
        return eligibility_objection_overdue(t, case_id, due_at);
    default:
        log_warn("due entry of unknown kind %d dropped case=%s", kind, case_id);
        return 0;
    }
}

int eligibility_tick(turn_t *t)
{
    eligibility_calendar_use(t->txn);
    int rc = due_tick(t, eligibility_due_dbi, DUE_PER_TICK, eligibility_tick_fire, NULL, NULL);
    eligibility_calendar_use(NULL);
    return rc;
}
