/*
 * intake_consult.c - RecordConsultation (art. 23; SF/T 0024 咨询登记表):
 * a visit, phone call, letter or online question is registered with an id
 * C-CENTRE-YEAR-NNNNNN (the default centre, the year of the consultation,
 * without gaps), stored in "consultations", counted by channel and
 * published as ConsultationRecorded. No means test: a consultation is
 * owed to anyone.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "intake_int.h"
#include "store.h"

const char *intake_consult_channel_name(Legalaid__ConsultationChannel c)
{
    switch (c) {
    case LEGALAID__CONSULTATION_CHANNEL__VISIT:
        return "visit";
    case LEGALAID__CONSULTATION_CHANNEL__BY_TELEPHONE:
        return "by_telephone";
    case LEGALAID__CONSULTATION_CHANNEL__LETTER:
        return "letter";
    default:
        return "internet";
    }
}

int intake_consult_keep(turn_t *t, Legalaid__Consultation *c, const char *centre)
{
    int year;
    uint64_t n;
    int history = c->source_id != NULL;
    int rc = history ? intake_store_number_history(t, "consultno-history", centre, c->at, &year, &n)
                     : intake_store_number_take(t, "consultno", centre, c->at, &year, &n);
    if (rc) return rc;
    c->id = arena_printf(t->arena, history ? "C-%s-%d-H%06llu" : "C-%s-%d-%06llu", centre, year,
                         (unsigned long long)n);
    rc =
        store_put_pb(t->txn, intake_consultations, c->id, strlen(c->id), &c->base, MDB_NOOVERWRITE);
    if (rc) return rc;
    char key[64];
    snprintf(key, sizeof key, "count.consultations.%s", intake_consult_channel_name(c->channel));
    rc = intake_store_count_add(t, key);
    /* The reports' consultations (人次) by channel, station and kind. */
    stats_dims_t ds = {.n = 0};
    stats_dim(&ds, "channel", intake_consult_channel_name(c->channel));
    stats_dim(&ds, "station", c->station);
    stats_dim(&ds, "kind", c->has_category ? stats_kind(c->category) : NULL);
    stats_dim(&ds, "source", history ? "history" : "live");
    if (!rc) rc = turn_count(t, "consultations", c->at, 1, 0, &ds);
    if (rc) return rc;

    Legalaid__ConsultationRecorded *b =
        ARENA_NEW(t->arena, Legalaid__ConsultationRecorded, legalaid__consultation_recorded__init);
    b->consultation = c;
    Legalaid__Event *ev = turn_event(t);
    ev->body_case = LEGALAID__EVENT__BODY_CONSULTATION_RECORDED;
    ev->consultation_recorded = b;
    return turn_emit(t, c->id, ev);
}

int intake_consult(turn_t *t, const Legalaid__RecordConsultation *r, Legalaid__Reply *reply)
{
    Legalaid__Consultation *c = r->consultation;
    intake_problem_t pb;
    if (intake_validate_consultation(c, t->now, &pb) < 0) {
        intake_problem_reply(t, reply, &pb);
        return 0;
    }
    char centre[32];
    if (intake_store_default_centre(centre, sizeof centre) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INTERNAL, "centre", _("no default centre configured"));
        return 0;
    }
    if (!c->has_at) {
        c->at = t->now;
        c->has_at = 1;
    }
    c->source_id = NULL; /* only an import of the previous system's records sets it */
    int rc = intake_consult_keep(t, c, centre);
    if (rc) return rc;
    reply->body_case = LEGALAID__REPLY__BODY_CONSULTATION;
    reply->consultation = c;
    return 0;
}
