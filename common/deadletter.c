/*
 * deadletter.c - the dead letters of a daemon: upstream events that could
 * not be applied, kept with the reason (table "dead", id big-endian ->
 * DeadLetter) so that operations staff see them, and can try one again once
 * its cause is mended (DESIGN.md, "Lessons": nothing is silently dropped).
 */
#include <string.h>

#include "clock.h"
#include "daemon_int.h"
#include "i18n.h"
#include "log.h"

#define DEADLETTER_LIST_MAX 1000

int deadletter_put(daemon_t *d, MDB_txn *txn, const char *stream, const Legalaid__Event *ev,
                   const char *reason)
{
    uint64_t id;
    int rc = store_next_u64(txn, d->meta, "dead.next", &id);
    if (rc) return rc;
    Legalaid__DeadLetter dl = LEGALAID__DEAD_LETTER__INIT;
    dl.id = id;
    dl.has_id = 1;
    dl.stream = (char *)stream;
    dl.seq = ev->seq;
    dl.has_seq = 1;
    dl.reason = (char *)reason;
    dl.at = clock_now_ms();
    dl.has_at = 1;
    dl.event = (Legalaid__Event *)ev;
    unsigned char key[8];
    store_be64(id, key);
    log_warn("dead letter id=%llu stream=%s seq=%llu case=%s: %s", (unsigned long long)id, stream,
             (unsigned long long)ev->seq, ev->case_id ? ev->case_id : "-", reason);
    rc = store_put_pb(txn, d->dead, key, 8, &dl.base, 0);
    if (rc) return rc;
    /* Staff are told (notify reads every stream): DeadLettered on our own. */
    turn_t t = {d, txn, &d->arena, dl.at, ev->event_id, NULL, NULL, NULL};
    Legalaid__DeadLettered *b =
        ARENA_NEW(t.arena, Legalaid__DeadLettered, legalaid__dead_lettered__init);
    b->daemon = (char *)d->svc->name; /* not daemon_name(): deadletter.c stays below daemon.c */
    b->stream = (char *)stream;
    b->seq = ev->seq;
    b->has_seq = 1;
    b->reason = arena_strdup(t.arena, reason);
    b->id = id;
    b->has_id = 1;
    Legalaid__Event *out = turn_event(&t);
    out->body_case = LEGALAID__EVENT__BODY_DEAD_LETTERED;
    out->dead_lettered = b;
    return turn_emit(&t, ev->case_id ? arena_strdup(t.arena, ev->case_id) : NULL, out);
}

int deadletter_list(turn_t *t, const Legalaid__DeadLettersQuery *q, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    uint32_t max = q->max ? q->max : 100;
    if (max > DEADLETTER_LIST_MAX) max = DEADLETTER_LIST_MAX;
    Legalaid__DeadLetterList *out =
        ARENA_NEW(t->arena, Legalaid__DeadLetterList, legalaid__dead_letter_list__init);
    out->total = store_count(t->txn, d->dead);
    out->has_total = 1;
    out->dead_letters = arena_alloc(t->arena, (max + 1) * sizeof *out->dead_letters);
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(t->txn, d->dead, &c));
    if (rc) return rc;
    MDB_val k, v;
    int op = MDB_LAST; /* most recent first */
    while (out->n_dead_letters < max && mdb_cursor_get(c, &k, &v, op) == 0) {
        op = MDB_PREV;
        Legalaid__DeadLetter *dl =
            store_unpacked(t->txn, &k, &v, &legalaid__dead_letter__descriptor, &t->arena->pb);
        if (dl) out->dead_letters[out->n_dead_letters++] = dl;
    }
    mdb_cursor_close(c);
    reply->body_case = LEGALAID__REPLY__BODY_DEAD_LETTER_LIST;
    reply->dead_letter_list = out;
    return 1;
}

int deadletter_redrive(turn_t *t, const Legalaid__RedriveDeadLetter *r, Legalaid__Reply *reply)
{
    daemon_t *d = t->d;
    if (!r->has_id || r->id == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "redrive_dead_letter.id",
                  _("the id of the dead letter is required (legalaidctl dead-letters lists them)"));
        return 1;
    }
    unsigned char key[8];
    store_be64(r->id, key);
    Legalaid__DeadLetter *dl;
    int rc = store_get_pb(t->txn, d->dead, key, 8, &legalaid__dead_letter__descriptor,
                          &t->arena->pb, (ProtobufCMessage **)&dl);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "redrive_dead_letter.id",
                  _("%s has no dead letter %llu"), d->svc->name, (unsigned long long)r->id);
        return 1;
    }
    if (rc) return rc;
    if (!dl->event || !d->svc->apply) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "redrive_dead_letter.id",
                  _("dead letter %llu holds no event this daemon can apply"),
                  (unsigned long long)r->id);
        return 1;
    }
    /* The event applies in a transaction of its own, as it would have from
     * its stream; its effects and the dead letter's removal commit together
     * with the reply. */
    MDB_txn *child;
    rc = store_begin(d->store.env, t->txn, &child);
    if (rc) return rc;
    turn_t et = {d, child, t->arena, t->now, dl->event->event_id, NULL, t->who, NULL};
    rc = d->svc->apply(&et, dl->stream ? dl->stream : "", dl->event);
    if (rc != LA_EREJECT) rc = store_rc(rc);
    if (rc == 0)
        rc = store_commit(child);
    else
        store_undo(child);
    if (rc == LA_EREJECT) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "redrive_dead_letter.id",
                  _("dead letter %llu still cannot be applied: %s"), (unsigned long long)r->id,
                  et.reject_reason ? et.reject_reason : "rejected");
        return 1;
    }
    if (rc) return rc;
    MDB_val k = {8, key};
    rc = store_rc(mdb_del(t->txn, d->dead, &k, NULL));
    if (rc) return rc;
    log_info("dead letter re-driven id=%llu stream=%s seq=%llu case=%s", (unsigned long long)r->id,
             dl->stream ? dl->stream : "-", (unsigned long long)dl->seq,
             dl->event->case_id ? dl->event->case_id : "-");
    Legalaid__DeadLettersQuery q = LEGALAID__DEAD_LETTERS_QUERY__INIT;
    return deadletter_list(t, &q, reply);
}
