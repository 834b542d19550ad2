/*
 * eligibility_objection.c - objections to a refusal or termination (Legal
 * Aid Law art. 49; DOMAIN R-TERM-03): table "objections" (case_id ->
 * Objection). Filed with FileObjection, decided within objection_review_days
 * by a justice bureau officer with DecideObjection (UPHELD or CORRECTED: a
 * corrected case is marked corrected and decided again, now and whenever
 * materials arrive later, through eligibility_case_decide_corrected), read
 * with GetObjection; an objection left undecided past its due date is
 * reported once by the tick. A case the applicant withdrew can no longer be
 * objected to, nor its objection decided (CONFLICT).
 *
 *   (none) --FileObjection--> FILED --DecideObjection correct=false--> UPHELD
 *                               |   --DecideObjection correct=true---> CORRECTED
 *                               +--the tick past due_at: counted overdue, stays FILED
 *   CORRECTED, the case decided again after it --FileObjection--> FILED (afresh)
 *
 * The route of objection a decision states is eligibility_decision.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "eligibility_int.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

#define OBJECTION_TEXT_MAX LA_TEXT_MAX

static MDB_dbi eligibility_objections;

/* The age queue "objections" (ageq.h): the objections awaiting the justice
 * bureau's decision (art. 49: within objection_review_days), from when
 * they were filed. Its ids are "objection:<case>", apart from the case's
 * own place in the decision queues. */
static int eligibility_objection_age(MDB_txn *txn, const Legalaid__Objection *o)
{
    char id[16 + LA_CASE_ID_MAX];
    if (!o->case_id || strlen(o->case_id) > LA_CASE_ID_MAX) return 0;
    snprintf(id, sizeof id, "objection:%s", o->case_id);
    int waiting = o->state == LEGALAID__OBJECTION_STATE__FILED;
    return ageq_set(txn, &eligibility_ages, id, waiting ? eligibility_age_queues[2] : NULL,
                    o->filed_at);
}

static int eligibility_objection_age_one(MDB_txn *txn, ProtobufCMessage *m, void *ctx)
{
    (void)ctx;
    return eligibility_objection_age(txn, (const Legalaid__Objection *)m);
}

int eligibility_objection_open(MDB_txn *txn)
{
    int rc = store_table_sealed(txn, "objections", &eligibility_objections), first = 0;
    /* A store from before the queue: its objections filed, once. */
    if (!rc) rc = ageq_once(txn, &eligibility_ages, "objections", &first);
    if (!rc && first && store_count(txn, eligibility_objections))
        rc = store_each_pb(txn, eligibility_objections, &legalaid__objection__descriptor,
                           eligibility_objection_age_one, NULL);
    return rc;
}

static int eligibility_objection_load(turn_t *t, const char *case_id, Legalaid__Objection **o)
{
    return store_get_pb(t->txn, eligibility_objections, case_id, strlen(case_id),
                        &legalaid__objection__descriptor, &t->arena->pb, (ProtobufCMessage **)o);
}

static int eligibility_objection_store(turn_t *t, const Legalaid__Objection *o)
{
    int rc = eligibility_objection_age(t->txn, o);
    if (rc) return rc;
    return store_put_pb(t->txn, eligibility_objections, o->case_id, strlen(o->case_id), &o->base,
                        0);
}

/* A text field that is required: 0, or fails the reply and returns -1. */
static int eligibility_objection_text(turn_t *t, Legalaid__Reply *reply, const char *s,
                                      const char *field, const char *what)
{
    if (!s || check_blank(s)) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("%s is required"), what);
        return -1;
    }
    if (strlen(s) > OBJECTION_TEXT_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("%s is longer than %d bytes"),
                  what, OBJECTION_TEXT_MAX);
        return -1;
    }
    return 0;
}

static int eligibility_objection_case(turn_t *t, Legalaid__Reply *reply, const char *case_id,
                                      const char *field)
{
    if (!case_id || !case_id[0]) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("case_id is required"));
        return -1;
    }
    if (strlen(case_id) > LA_CASE_ID_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field,
                  _("case_id is longer than %d bytes"), LA_CASE_ID_MAX);
        return -1;
    }
    return 0;
}

static int eligibility_objection_emit(turn_t *t, Legalaid__Objection *o, int decided)
{
    Legalaid__Event *ev = turn_event(t);
    if (decided) {
        Legalaid__ObjectionDecided *b =
            ARENA_NEW(t->arena, Legalaid__ObjectionDecided, legalaid__objection_decided__init);
        b->objection = o;
        ev->body_case = LEGALAID__EVENT__BODY_OBJECTION_DECIDED;
        ev->objection_decided = b;
    } else {
        Legalaid__ObjectionFiled *b =
            ARENA_NEW(t->arena, Legalaid__ObjectionFiled, legalaid__objection_filed__init);
        b->objection = o;
        ev->body_case = LEGALAID__EVENT__BODY_OBJECTION_FILED;
        ev->objection_filed = b;
    }
    eligibility_deadline_objection(t, ev, o, decided);
    return turn_emit(t, o->case_id, ev);
}

/* 0 when the applicant has not withdrawn case_id; else fails the reply
 * (CONFLICT) and returns 1; or a store error (negative). */
static int eligibility_objection_withdrawn(turn_t *t, Legalaid__Reply *reply, const char *case_id,
                                           const char *field)
{
    int64_t when;
    const char *why;
    int rc = eligibility_mark_get(t, ELIGIBILITY_MARK_WITHDRAWN, case_id, &when, &why);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    char at[CLOCK_TEXT_MAX];
    turn_fail(t, reply, LEGALAID__CODE__CONFLICT, field,
              _("the applicant withdrew the application on case %s on %s (%s): there is no "
                "decision left to object to or to correct"),
              case_id, clock_local_text(when, at), why[0] ? why : _("no reason given"));
    return 1;
}

int eligibility_objection_file(turn_t *t, const Legalaid__FileObjection *in, Legalaid__Reply *reply)
{
    if (eligibility_objection_case(t, reply, in->case_id, "file_objection.case_id")) return 0;
    if (eligibility_objection_text(t, reply, in->reason, "file_objection.reason",
                                   _("the reason for the objection")))
        return 0;
    Legalaid__Decision *d;
    int rc = eligibility_case_decision(t, in->case_id, &d);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "file_objection.case_id",
                  _("no eligibility decision for case %s to object to"), in->case_id);
        return 0;
    }
    if (rc) return rc;
    rc = eligibility_objection_withdrawn(t, reply, in->case_id, "file_objection.case_id");
    if (rc) return rc > 0 ? 0 : rc;
    /* Art. 49: only a refusal or a termination can be objected to. */
    if (d->outcome != LEGALAID__OUTCOME__REFUSED && d->outcome != LEGALAID__OUTCOME__TERMINATED) {
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "file_objection.case_id",
                  _("case %s is %s: an objection lies only against a refusal or a termination of "
                    "aid (Legal Aid Law art. 49)"),
                  in->case_id, eligibility_case_outcome_name(d->outcome));
        return 0;
    }
    Legalaid__Objection *prior;
    rc = eligibility_objection_load(t, in->case_id, &prior);
    if (rc && rc != MDB_NOTFOUND) return rc;
    /* One objection per decision: a decision made again after a correction
     * can be objected to afresh. */
    if (rc == 0 && !(prior->state == LEGALAID__OBJECTION_STATE__CORRECTED &&
                     d->decided_at > prior->decided_at)) {
        char when[CLOCK_TEXT_MAX];
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "file_objection.case_id",
                  _("an objection to this decision on case %s was already filed on %s (%s); the "
                    "next step after the bureau's decision is administrative reconsideration or "
                    "litigation"),
                  in->case_id, clock_local_text(prior->filed_at, when),
                  prior->state == LEGALAID__OBJECTION_STATE__FILED ? _("awaiting the bureau")
                                                                   : _("upheld"));
        return 0;
    }
    /* OPEN-4: a local time limit for filing, when configured. */
    if (eligibility_config.objection_file_days > 0) {
        int64_t limit =
            eligibility_calendar_days_end(d->decided_at, eligibility_config.objection_file_days);
        if (t->now > limit) {
            char when[CLOCK_TEXT_MAX];
            turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "file_objection.case_id",
                      _("the time for objecting to the decision on case %s ended %s (%lld days "
                        "from the decision)"),
                      in->case_id, clock_deadline_text(limit, when),
                      eligibility_config.objection_file_days);
            return 0;
        }
    }
    Legalaid__Objection *o = ARENA_NEW(t->arena, Legalaid__Objection, legalaid__objection__init);
    o->case_id = in->case_id;
    o->state = LEGALAID__OBJECTION_STATE__FILED;
    o->has_state = 1;
    o->reason = in->reason;
    o->filed_at = t->now;
    o->has_filed_at = 1;
    /* Art. 49: decided within 5 days of receipt. */
    o->due_at = eligibility_calendar_days_end(t->now, eligibility_config.objection_review_days);
    o->has_due_at = 1;
    rc = eligibility_objection_store(t, o);
    if (!rc) rc = eligibility_due_add(t, o->due_at, o->case_id, ELIGIBILITY_DUE_OBJECTION);
    if (!rc) rc = eligibility_case_count(t, "objections.filed");
    if (!rc) rc = eligibility_objection_emit(t, o, 0);
    if (rc) return rc;
    char due[CLOCK_TEXT_MAX];
    log_info("objection filed case=%s against=%s due=%s", o->case_id,
             eligibility_case_outcome_name(d->outcome), clock_deadline_text(o->due_at, due));
    reply->body_case = LEGALAID__REPLY__BODY_OBJECTION;
    reply->objection = o;
    return 0;
}

/* The case decided again after the bureau ordered a correction: marked
 * corrected (so that materials supplied later are decided the same way),
 * then eligibility_case_decide_corrected. */
static int eligibility_objection_redecide(turn_t *t, const Legalaid__Objection *o,
                                          const Legalaid__Decision *prior)
{
    const char *ordered =
        arena_printf(t->arena,
                     _("the justice bureau (%s) ordered the centre to correct its "
                       "decision: %s"),
                     o->officer, o->reasoning);
    int rc = eligibility_mark_set(t, ELIGIBILITY_MARK_CORRECTED, o->case_id, ordered);
    if (rc) return rc;
    Legalaid__Application *a;
    rc = eligibility_case_application(t, o->case_id, &a);
    if (rc == MDB_NOTFOUND) {
        log_warn("objection corrected but no application kept, not decided again case=%s",
                 o->case_id);
        return 0;
    }
    if (rc) return rc;
    return eligibility_case_decide_corrected(t, a, prior, 0, ordered);
}

/* Art. 49: the justice bureau that set up the centre decides, through the
 * officers configured for it. */
static int eligibility_objection_officer_known(const char *officer)
{
    const char *list = eligibility_config.objection_officers;
    if (!list || !list[0]) return 1;
    size_t n = strlen(officer);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && *p == ' ') p++, len--;
        while (len && p[len - 1] == ' ') len--;
        if (len == n && strncmp(p, officer, n) == 0) return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

int eligibility_objection_decide(turn_t *t, const Legalaid__DecideObjection *in,
                                 Legalaid__Reply *reply)
{
    if (eligibility_objection_case(t, reply, in->case_id, "decide_objection.case_id")) return 0;
    if (!in->has_correct) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "decide_objection.correct",
                  _("say whether the centre's decision is upheld (correct = false) or is to be "
                    "corrected (correct = true)"));
        return 0;
    }
    if (eligibility_objection_text(t, reply, in->reasoning, "decide_objection.reasoning",
                                   _("the reasoning of the decision")))
        return 0;
    /* Who decides is the authenticated officer, not a typed name. */
    if (!eligibility_objection_officer_known(turn_who(t))) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "decide_objection.officer",
                  _("%s is not among the justice-bureau officers who decide objections "
                    "([eligibility] objection_officers)"),
                  turn_who(t));
        return 0;
    }
    Legalaid__Objection *o;
    int rc = eligibility_objection_load(t, in->case_id, &o);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "decide_objection.case_id",
                  _("no objection filed on case %s"), in->case_id);
        return 0;
    }
    if (rc) return rc;
    if (o->state != LEGALAID__OBJECTION_STATE__FILED) {
        char when[CLOCK_TEXT_MAX];
        turn_fail(t, reply, LEGALAID__CODE__CONFLICT, "decide_objection.case_id",
                  _("the objection on case %s was already decided on %s by %s (%s)"), in->case_id,
                  clock_local_text(o->decided_at, when), o->officer ? o->officer : "-",
                  o->state == LEGALAID__OBJECTION_STATE__UPHELD ? _("upheld") : _("corrected"));
        return 0;
    }
    rc = eligibility_objection_withdrawn(t, reply, in->case_id, "decide_objection.case_id");
    if (rc) return rc > 0 ? 0 : rc;
    Legalaid__Decision *d;
    rc = eligibility_case_decision(t, in->case_id, &d);
    if (rc) return rc == MDB_NOTFOUND ? -EBADMSG : rc; /* an objection always has a decision */
    o->state =
        in->correct ? LEGALAID__OBJECTION_STATE__CORRECTED : LEGALAID__OBJECTION_STATE__UPHELD;
    o->officer = (char *)turn_actor(t, in->officer);
    o->reasoning = in->reasoning;
    o->decided_at = t->now;
    o->has_decided_at = 1;
    rc = eligibility_objection_store(t, o);
    if (!rc) rc = eligibility_due_remove(t, o->due_at, o->case_id, ELIGIBILITY_DUE_OBJECTION);
    if (!rc)
        rc = eligibility_case_count(t, in->correct ? "objections.corrected" : "objections.upheld");
    if (!rc) rc = eligibility_objection_emit(t, o, 1);
    if (!rc && in->correct) rc = eligibility_objection_redecide(t, o, d);
    if (rc) return rc;
    log_info("objection decided case=%s state=%s officer=%s", o->case_id,
             in->correct ? "CORRECTED" : "UPHELD", o->officer);
    reply->body_case = LEGALAID__REPLY__BODY_OBJECTION;
    reply->objection = o;
    return 0;
}

int eligibility_objection_get(turn_t *t, const Legalaid__GetObjection *in, Legalaid__Reply *reply)
{
    if (eligibility_objection_case(t, reply, in->case_id, "get_objection.case_id")) return 0;
    Legalaid__Objection *o;
    int rc = eligibility_objection_load(t, in->case_id, &o);
    if (rc == MDB_NOTFOUND) {
        turn_fail(t, reply, LEGALAID__CODE__NOT_FOUND, "get_objection.case_id",
                  _("no objection filed on case %s"), in->case_id);
        return 0;
    }
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_OBJECTION;
    reply->objection = o;
    return 0;
}

int eligibility_objection_overdue(turn_t *t, const char *case_id, int64_t due_at)
{
    Legalaid__Objection *o;
    int rc = eligibility_objection_load(t, case_id, &o);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc) return rc;
    if (o->state != LEGALAID__OBJECTION_STATE__FILED || o->due_at != due_at) return 0;
    /* Withdrawn with the objection pending: nothing is left to decide. */
    rc = eligibility_mark_get(t, ELIGIBILITY_MARK_WITHDRAWN, case_id, NULL, NULL);
    if (rc == 0) return 0;
    if (rc != MDB_NOTFOUND) return rc;
    char due[CLOCK_TEXT_MAX];
    log_warn("objection overdue: the justice bureau has not decided by %s (art. 49) case=%s",
             clock_deadline_text(due_at, due), case_id);
    return eligibility_case_count(t, "objections.overdue");
}
