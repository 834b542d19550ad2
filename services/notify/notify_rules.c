/*
 * notify_rules.c - applying the rule table (notify_rule_table.c) to an
 * upstream event: what the event teaches notify (the case's parties from
 * intake, lawyers' contacts from offers, assignments, shifts and duty
 * requests, an internship candidate's from its standing), its deadline
 * timers (those it carries, else those the rules derive from its fields:
 * notify_derived), then one notification per row that applies, rendered
 * from the row's template and routed to its channel. Deadline notices
 * (reminder, breach) go through the same recording path; a breach is also
 * told to the parties the deadline names in inform (the notifying authority
 * of a notice's appointment, art. 36: template deadline_informed.authority).
 *
 * A notification for a party whose contact is not known yet (another
 * stream arrived before intake's) is recorded with contact_pending and
 * goes out when the contact arrives.
 */
#include "notify_int.h"

#include <string.h>

#include "log.h"
#include "notify_words.h"

#define NOTIFY_APPLICANT_UNKNOWN "申请人"
#define NOTIFY_AUTHORITY_UNKNOWN "通知机关"
#define NOTIFY_STAFF_NAME "法律援助中心"
#define NOTIFY_CANDIDATE_UNKNOWN "实习人员"
#define NOTIFY_DEADLINE_UNNAMED "法定期限内应办事项"

typedef struct recipient {
    const char *name;
    const char *phone;
    const char *station;
    int authority_kind;
    int pending; /* not known yet */
    int skip;    /* the event names nobody for this row */
    int urgent;
} recipient_t;

static int rules_present(const char *s)
{
    return s && s[0];
}

static const char *rules_first(const char *a, const char *b)
{
    return rules_present(a) ? a : rules_present(b) ? b : NULL;
}

static const ProtobufCMessage *rules_body(const Legalaid__Event *ev)
{
    const ProtobufCFieldDescriptor *fd =
        protobuf_c_message_descriptor_get_field(&legalaid__event__descriptor, (unsigned)ev->body_case);
    if (!fd || fd->type != PROTOBUF_C_TYPE_MESSAGE) return NULL;
    return *(const ProtobufCMessage *const *)((const char *)ev + fd->offset);
}

/* The case of an event: the envelope's, else its body's, else that of a
 * message directly in the body (application, decision, assignment ...). */
static const char *rules_case_of(const Legalaid__Event *ev, const ProtobufCMessage *body)
{
    if (rules_present(ev->case_id)) return ev->case_id;
    const char *c = notify_fields_string_at(body, "case_id");
    if (rules_present(c)) return c;
    const ProtobufCMessageDescriptor *d = body->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        if (d->fields[i].type != PROTOBUF_C_TYPE_MESSAGE ||
            d->fields[i].label == PROTOBUF_C_LABEL_REPEATED)
            continue;
        const ProtobufCMessage *m = notify_fields_message_at(body, d->fields[i].name);
        c = m ? notify_fields_string_at(m, "case_id") : NULL;
        if (rules_present(c)) return c;
    }
    return NULL;
}

/* Lawyers' contacts from any Lawyer or Shift message in the body; an
 * internship candidate's from its standing, under the internship's case id
 * (the owner_id of its reply deadline). */
static int rules_learn_contacts(turn_t *t, const ProtobufCMessage *m, int depth)
{
    if (!m || depth > 3) return 0;
    if (m->descriptor == &legalaid__lawyer__descriptor) {
        const Legalaid__Lawyer *l = (const Legalaid__Lawyer *)m;
        return notify_parties_contact_learn(t, l->id, l->name, l->phone);
    }
    if (m->descriptor == &legalaid__shift__descriptor) {
        const Legalaid__Shift *s = (const Legalaid__Shift *)m;
        return notify_parties_contact_learn(t, s->lawyer_id, s->lawyer_name, s->lawyer_phone);
    }
    if (m->descriptor == &legalaid__duty_request__descriptor) {
        /* Routed to the centre, the request names no lawyer of its own. */
        const Legalaid__DutyRequest *r = (const Legalaid__DutyRequest *)m;
        if (r->routed_to == LEGALAID__ROUTED_TO__ROUTED_CENTRE || !rules_present(r->lawyer_name))
            return 0;
        return notify_parties_contact_learn(t, r->lawyer_id, r->lawyer_name, r->lawyer_phone);
    }
    if (m->descriptor == &legalaid__intern_standing__descriptor) {
        const Legalaid__InternStanding *s = (const Legalaid__InternStanding *)m;
        if (!s->candidate) return 0;
        return notify_parties_contact_learn(t, s->case_id, s->candidate->name, s->candidate->phone);
    }
    const ProtobufCMessageDescriptor *d = m->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        if (d->fields[i].type != PROTOBUF_C_TYPE_MESSAGE ||
            d->fields[i].label == PROTOBUF_C_LABEL_REPEATED)
            continue;
        int rc = rules_learn_contacts(t, notify_fields_message_at(m, d->fields[i].name), depth + 1);
        if (rc) return rc;
    }
    return 0;
}

/* Intake's two events tell notify the case's parties: later events carry
 * only the case_id. */
static int rules_learn_parties(turn_t *t, const char *case_id, const Legalaid__Event *ev,
                               notify_parties_memo_t *m)
{
    const Legalaid__Application *app = NULL;
    int notice = 0;
    if (ev->body_case == LEGALAID__EVENT__BODY_APPLICATION_RECEIVED)
        app = ev->application_received->application;
    else if (ev->body_case == LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED) {
        app = ev->defence_notification_received->application;
        notice = 1;
    }
    if (!app) return 0;
    Legalaid__CaseParties learned = LEGALAID__CASE_PARTIES__INIT;
    learned.case_id = (char *)case_id;
    if (app->applicant) {
        learned.applicant_name = app->applicant->name;
        learned.applicant_phone = app->applicant->phone;
    }
    if (app->authority) {
        learned.authority_name = app->authority->name;
        learned.authority_phone = app->authority->phone;
        learned.authority_kind = app->authority->kind;
        learned.has_authority_kind = 1;
    }
    /* A defence notice or a request forwarded from custody (art. 39) is
     * never held back for quiet hours. */
    learned.urgent = notice || app->channel == LEGALAID__CHANNEL__CUSTODY_FORWARD ||
                     rules_present(app->custody_facility);
    return notify_outbox_parties_learn(t, &learned, m);
}

/* The name and phone notify learned for id (a lawyer's id, an
 * internship's case id) into r, the name unnamed when the contact has
 * none; r as it was when notify knows no contact for id. */
static int rules_contact(turn_t *t, const char *id, const char *unnamed, recipient_t *r)
{
    Legalaid__LawyerContact *c;
    int rc = notify_parties_contact_get(t, id, &c);
    if (rc || !c) return rc;
    r->name = rules_first(c->name, unnamed);
    r->phone = c->phone;
    return 0;
}

/* The recipient of one notification to party; who as in notify_rule_t;
 * parties the memo of case_id's. */
static int rules_recipient(turn_t *t, const char *case_id, notify_parties_memo_t *parties,
                           Legalaid__Party party, const ProtobufCMessage *body, const char *who,
                           recipient_t *r)
{
    memset(r, 0, sizeof *r);
    Legalaid__CaseParties *p = NULL;
    int rc = notify_parties_memo_get(t, case_id, parties, &p);
    if (rc) return rc;
    if (p && p->urgent) r->urgent = 1;
    /* who may name alternatives, "authority|assignment.authority": the
     * first present wins. */
    const ProtobufCMessage *m = NULL;
    const char *s = NULL;
    for (const char *p0 = who; body && p0 && *p0 && !m && !rules_present(s);) {
        const char *bar = strchr(p0, '|');
        char path[128];
        size_t n = bar ? (size_t)(bar - p0) : strlen(p0);
        if (n >= sizeof path) break;
        memcpy(path, p0, n);
        path[n] = 0;
        m = notify_fields_message_at(body, path);
        if (!m) s = notify_fields_string_at(body, path);
        p0 = bar ? bar + 1 : NULL;
    }
    switch (party) {
    case LEGALAID__PARTY__APPLICANT:
        if (p && rules_present(p->applicant_name)) {
            r->name = p->applicant_name;
            r->phone = p->applicant_phone;
        } else {
            r->name = NOTIFY_APPLICANT_UNKNOWN;
            r->pending = 1;
        }
        return 0;
    case LEGALAID__PARTY__AUTHORITY:
        if (m && m->descriptor == &legalaid__authority__descriptor &&
            rules_present(((const Legalaid__Authority *)m)->name)) {
            const Legalaid__Authority *a = (const Legalaid__Authority *)m;
            r->name = a->name;
            r->phone = a->phone;
            r->authority_kind = a->kind;
        } else if (p && rules_present(p->authority_name)) {
            r->name = p->authority_name;
            r->phone = p->authority_phone;
            r->authority_kind = p->authority_kind;
        } else {
            r->name = NOTIFY_AUTHORITY_UNKNOWN;
            r->pending = 1;
        }
        return 0;
    case LEGALAID__PARTY__LAWYER: {
        const char *id = s;
        if (m && m->descriptor == &legalaid__lawyer__descriptor) {
            const Legalaid__Lawyer *l = (const Legalaid__Lawyer *)m;
            id = l->id;
            r->name = rules_first(l->name, l->id);
            r->phone = l->phone;
        } else if (m && m->descriptor == &legalaid__shift__descriptor) {
            const Legalaid__Shift *sh = (const Legalaid__Shift *)m;
            id = sh->lawyer_id;
            r->name = rules_first(sh->lawyer_name, sh->lawyer_id);
            r->phone = sh->lawyer_phone;
        } else if (m && m->descriptor == &legalaid__duty_request__descriptor) {
            /* The duty lawyer a request is routed to (never the centre:
             * the rows tell the staff of that). */
            const Legalaid__DutyRequest *dr = (const Legalaid__DutyRequest *)m;
            if (dr->routed_to == LEGALAID__ROUTED_TO__ROUTED_CENTRE) {
                r->skip = 1;
                return 0;
            }
            id = dr->lawyer_id;
            r->name = rules_first(dr->lawyer_name, dr->lawyer_id);
            r->phone = dr->lawyer_phone;
        }
        if (!r->phone && rules_present(id)) {
            rc = rules_contact(t, id, id, r);
            if (rc) return rc;
        }
        if (!r->name) r->name = rules_present(id) ? id : NULL;
        if (!r->name) r->skip = 1; /* the event names no lawyer */
        return 0;
    }
    case LEGALAID__PARTY__STATION:
        if (!rules_present(s)) r->skip = 1;
        r->name = r->station = s;
        return 0;
    case LEGALAID__PARTY__CANDIDATE:
        /* The candidate in the event, else (a deadline owned by the
         * internship's case id) the contact learned from its offer. */
        if (m && m->descriptor == &legalaid__intern_candidate__descriptor) {
            const Legalaid__InternCandidate *ic = (const Legalaid__InternCandidate *)m;
            r->name = ic->name;
            r->phone = ic->phone;
        } else if (rules_present(s)) {
            rc = rules_contact(t, s, NOTIFY_CANDIDATE_UNKNOWN, r);
            if (rc) return rc;
        } else {
            r->skip = 1; /* the event names no candidate */
            return 0;
        }
        if (!rules_present(r->name)) r->name = NOTIFY_CANDIDATE_UNKNOWN;
        return 0;
    case LEGALAID__PARTY__FIRM:
        /* The firm of a candidate's standing, at the phone the office has
         * for its places. */
        if (m && m->descriptor == &legalaid__intern_standing__descriptor &&
            rules_present(((const Legalaid__InternStanding *)m)->firm)) {
            const Legalaid__InternStanding *st = (const Legalaid__InternStanding *)m;
            r->name = st->firm;
            r->phone = st->contact_phone;
        } else {
            r->skip = 1;
        }
        return 0;
    default:
        r->name = NOTIFY_STAFF_NAME;
        return 0;
    }
}

/* Renders template id and records one notification to r. */
static int rules_record(turn_t *t, const char *case_id, const char *source, Legalaid__Party party,
                        const char *kind, const char *id, notify_fields_t *f, const recipient_t *r,
                        int urgent)
{
    notify_fields_set(f, "recipient", r->name);
    char *text = notify_template_render(t->arena, id, f);
    if (!text) {
        log_error("no template %s loaded; notification not recorded case=%s", id,
                  case_id[0] ? case_id : "-");
        return 0;
    }
    Legalaid__Notification *n =
        ARENA_NEW(t->arena, Legalaid__Notification, legalaid__notification__init);
    n->case_id = (char *)case_id;
    n->party = party;
    n->has_party = 1;
    n->recipient = (char *)r->name;
    n->address = notify_render_phone_mask(t->arena, r->pending ? NULL : r->phone);
    n->kind = (char *)kind;
    n->text = text;
    n->source_event = (char *)source;
    n->template_ = (char *)id;
    n->station = (char *)r->station;
    if (r->pending) n->contact_pending = n->has_contact_pending = 1;
    if (urgent || r->urgent) n->urgent = n->has_urgent = 1;
    notify_outbox_route(t, n, r->phone, r->authority_kind);
    return notify_outbox_record(t, n);
}

static void rules_common_fields(turn_t *t, notify_fields_t *f, const char *case_id)
{
    notify_fields_set(f, "case_id", case_id);
    notify_fields_set(f, "today", notify_render_date(t->arena, t->now));
}

static int rules_apply_row(const notify_ctx_t *c, const notify_rule_t *row)
{
    turn_t *t = c->t;
    if (row->when && !row->when(c)) return 0;
    recipient_t r;
    int rc = rules_recipient(t, c->case_id, c->parties, row->party, c->body, row->who, &r);
    if (rc || r.skip) return rc;
    notify_fields_t f;
    notify_fields_init(&f, t->arena);
    notify_fields_add_message(&f, "", c->body);
    rules_common_fields(t, &f, c->case_id);
    if (row->extra) {
        rc = row->extra(c, &f);
        if (rc) return rc;
    }
    const char *id = arena_printf(t->arena, "%s.%s", row->kind, notify_render_party(row->party));
    return rules_record(t, c->case_id, c->source, row->party, row->kind, id, &f, &r, row->urgent);
}

static int rules_caseless(int body)
{
    for (const int *k = notify_caseless; *k; k++)
        if (*k == body) return 1;
    return 0;
}

int notify_rules_apply(turn_t *t, const char *upstream, const Legalaid__Event *ev)
{
    notify_parties_memo_t parties = {0};
    notify_ctx_t c = {t, ev, NULL, ev->event_id, "", &parties};
    if (!rules_present(c.source))
        c.source = arena_printf(t->arena, "%s:%llu", upstream, (unsigned long long)ev->seq);
    if (strlen(c.source) > LA_EVENT_ID_MAX)
        return turn_reject(t, "event_id longer than %d characters", LA_EVENT_ID_MAX);
    c.body = rules_body(ev);
    if (!c.body) return 0; /* a kind this build does not know */
    for (size_t i = 0; i < notify_requirements_count; i++) {
        const notify_requirement_t *q = &notify_requirements[i];
        if (q->body == (int)ev->body_case && !notify_fields_message_at(c.body, q->path))
            return turn_reject(t, "%s", q->why);
    }
    /* A case of the previous system (import history) is recorded for the
     * reports, never told to anyone, and has no deadline. */
    if (notify_fields_message_at(c.body, "application.history") ||
        notify_fields_message_at(c.body, "decision.history"))
        return 0;
    const char *case_id = rules_case_of(ev, c.body);
    if (case_id && strlen(case_id) > LA_CASE_ID_MAX)
        return turn_reject(t, "case_id longer than %d characters", LA_CASE_ID_MAX);
    int caseless = rules_caseless((int)ev->body_case);
    if (case_id && !caseless) c.case_id = case_id;

    int rc = rules_learn_contacts(t, c.body, 0);
    if (!rc && c.case_id[0]) rc = rules_learn_parties(t, c.case_id, ev, &parties);
    /* A caseless kind's deadlines are kept under the empty case. */
    if (!rc && (c.case_id[0] || caseless)) rc = notify_timer_apply(t, ev, c.case_id);
    if (rc) return rc;
    /* Timers from the event's own fields, only when the event sets none. */
    for (size_t i = 0; i < notify_derived_count && ev->n_deadlines == 0 && ev->n_deadlines_met == 0;
         i++) {
        if (notify_derived[i].body != (int)ev->body_case) continue;
        rc = notify_derived[i].fn(&c);
        if (rc) return rc;
    }

    int rows = 0;
    for (size_t i = 0; i < notify_rules_count; i++)
        if (notify_rules[i].body == (int)ev->body_case) rows++;
    if (!rows) return 0;
    if (!caseless && !c.case_id[0]) return turn_reject(t, "event %s names no case", c.source);
    for (size_t i = 0; i < notify_rules_count; i++) {
        if (notify_rules[i].body != (int)ev->body_case) continue;
        rc = rules_apply_row(&c, &notify_rules[i]);
        if (rc) return rc;
    }
    return 0;
}

/* --- deadline notices ----------------------------------------------------- */

/* The template of a breach told to a party that does not owe the deadline
 * but must hear of it (Deadline.inform), and the parties it exists for. */
#define NOTIFY_DEADLINE_INFORMED "deadline_informed"
static const Legalaid__Party rules_informed_parties[] = {LEGALAID__PARTY__AUTHORITY};
#define RULES_INFORMED_N (sizeof rules_informed_parties / sizeof rules_informed_parties[0])

static int rules_informed(Legalaid__Party p)
{
    for (size_t i = 0; i < RULES_INFORMED_N; i++)
        if (rules_informed_parties[i] == p) return 1;
    return 0;
}

/* Where a deadline names its owner: a lawyer's id, a station's code, an
 * internship's case id (its candidate's contact); NULL for the others (the
 * case's applicant or authority, the staff). */
static const char *rules_owner_path(Legalaid__Party party)
{
    return party == LEGALAID__PARTY__LAWYER || party == LEGALAID__PARTY__STATION ||
                   party == LEGALAID__PARTY__CANDIDATE
               ? "owner_id"
               : NULL;
}

/* One deadline notice to party: the reminder or the breach (kind), from
 * template "<tmpl>.<party>". */
static int rules_deadline_one(turn_t *t, const Legalaid__DeadlineTimer *tm,
                              notify_parties_memo_t *parties, const char *kind, const char *tmpl,
                              const char *source, Legalaid__Party party, const char *owner_name)
{
    const Legalaid__Deadline *dl = tm->deadline;
    const char *case_id = tm->case_id ? tm->case_id : "";
    recipient_t r;
    Legalaid__Deadline shim = *dl;
    int rc = rules_recipient(t, case_id, parties, party, &shim.base, rules_owner_path(party), &r);
    if (rc || r.skip) return rc;
    if (party == LEGALAID__PARTY__STATION) r.station = dl->owner_id;
    notify_fields_t f;
    notify_fields_init(&f, t->arena);
    notify_fields_add_message(&f, "deadline", &dl->base);
    /* As the texts write them: a period's end at 24:00 of its last day,
     * and what is owed in Chinese words from the key (the daemon's what is
     * for its logs); the article reads in Chinese as every citation. */
    notify_fields_set(&f, "deadline.due_at", notify_render_deadline(t->arena, dl->due_at));
    const char *what = notify_words_deadline(t->arena, dl);
    if (!what)
        log_warn("deadline key %s has no Chinese words case=%s", dl->key ? dl->key : "-",
                 case_id[0] ? case_id : "-");
    notify_fields_set(&f, "deadline.what", what ? what : NOTIFY_DEADLINE_UNNAMED);
    rules_common_fields(t, &f, case_id);
    notify_fields_set(&f, "owner_name", owner_name);
    const char *id = arena_printf(t->arena, "%s.%s", tmpl, notify_render_party(party));
    /* A reminder is about a legal deadline: it is not held for quiet hours. */
    return rules_record(t, case_id, source, party, kind, id, &f, &r, 1);
}

int notify_rules_deadline(turn_t *t, const Legalaid__DeadlineTimer *tm, int breached,
                          const char *source)
{
    if (!tm->deadline) return 0;
    const char *kind = breached ? "deadline_breach" : "deadline_reminder";
    notify_parties_memo_t parties = {0};
    Legalaid__Party owner = tm->deadline->owner;
    const char *owner_name = "";
    if (owner != LEGALAID__PARTY__PARTY_UNSPECIFIED && owner != LEGALAID__PARTY__STAFF) {
        recipient_t r;
        int rc = rules_recipient(t, tm->case_id ? tm->case_id : "", &parties, owner,
                                 &tm->deadline->base, rules_owner_path(owner), &r);
        if (rc) return rc;
        owner_name = r.name ? r.name : "";
        rc = rules_deadline_one(t, tm, &parties, kind, kind, source, owner, owner_name);
        if (rc) return rc;
    }
    /* The reminder of an internship candidate's reply is the candidate's
     * alone: the office sees the open offers in its figures, and a match
     * publishes all its offers with one reply-by, so a copy per candidate
     * would reach the staff all at the same minute. */
    if (owner == LEGALAID__PARTY__CANDIDATE && !breached) return 0;
    int rc =
        rules_deadline_one(t, tm, &parties, kind, kind, source, LEGALAID__PARTY__STAFF, owner_name);
    /* At the breach, the parties the law has hear of it (the notifying
     * authority of the appointment, art. 36), each once. */
    for (size_t i = 0; !rc && breached && i < tm->deadline->n_inform; i++) {
        Legalaid__Party p = tm->deadline->inform[i];
        int told = p == owner || p == LEGALAID__PARTY__STAFF || !rules_informed(p);
        for (size_t j = 0; j < i; j++) told |= tm->deadline->inform[j] == p;
        if (!told)
            rc = rules_deadline_one(t, tm, &parties, kind, NOTIFY_DEADLINE_INFORMED, source, p,
                                    owner_name);
    }
    return rc;
}

notify_template_def_t *notify_rules_templates(arena_t *a, size_t *n)
{
    static const char *const deadline_extra[] = {"owner_name", NULL};
    static const Legalaid__Party parties[] = {
        LEGALAID__PARTY__APPLICANT, LEGALAID__PARTY__LAWYER, LEGALAID__PARTY__AUTHORITY,
        LEGALAID__PARTY__STATION,   LEGALAID__PARTY__STAFF,  LEGALAID__PARTY__CANDIDATE};
    size_t np = sizeof parties / sizeof parties[0];
    size_t ni = RULES_INFORMED_N;
    notify_template_def_t *defs = arena_alloc(a, (notify_rules_count + 2 * np + ni) * sizeof *defs);
    size_t k = 0;
    for (size_t i = 0; i < notify_rules_count; i++) {
        const notify_rule_t *row = &notify_rules[i];
        const char *id = arena_printf(a, "%s.%s", row->kind, notify_render_party(row->party));
        int dup = 0;
        for (size_t j = 0; j < k; j++) dup |= strcmp(defs[j].id, id) == 0;
        if (dup) continue;
        const ProtobufCFieldDescriptor *fd = protobuf_c_message_descriptor_get_field(
            &legalaid__event__descriptor, (unsigned)row->body);
        defs[k].id = id;
        defs[k].body = fd ? fd->descriptor : NULL;
        defs[k].body_prefix = "";
        defs[k].extra = row->extra_names;
        k++;
    }
    for (int b = 0; b < 2; b++)
        for (size_t i = 0; i < np; i++) {
            defs[k].id = arena_printf(a, "%s.%s", b ? "deadline_breach" : "deadline_reminder",
                                      notify_render_party(parties[i]));
            defs[k].body = &legalaid__deadline__descriptor;
            defs[k].body_prefix = "deadline";
            defs[k].extra = deadline_extra;
            k++;
        }
    for (size_t i = 0; i < ni; i++) {
        defs[k].id = arena_printf(a, "%s.%s", NOTIFY_DEADLINE_INFORMED,
                                  notify_render_party(rules_informed_parties[i]));
        defs[k].body = &legalaid__deadline__descriptor;
        defs[k].body_prefix = "deadline";
        defs[k].extra = deadline_extra;
        k++;
    }
    *n = k;
    return defs;
}
