/*
 * ctl_summary.c - one line of plain language per event, for the case
 * timeline: what happened, on what legal basis, and by when the next step
 * is due. ID numbers and phones are masked; an event kind this version does
 * not know is named by its field in the Event oneof.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.pb-c.h"
#include "eligibility.pb-c.h"
#include "i18n.h"
#include "intake.pb-c.h"
#include "roster.pb-c.h"
#include "regulation.h"
#include "matchrule.h"

typedef struct ctl_line {
    char *buf;
    size_t size, used;
} ctl_line_t;

static void ctl_line_add(ctl_line_t *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ctl_line_add(ctl_line_t *l, const char *fmt, ...)
{
    if (l->used >= l->size) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(l->buf + l->used, l->size - l->used, fmt, ap);
    va_end(ap);
    if (n > 0) l->used += (size_t)n;
    if (l->used > l->size) l->used = l->size;
}

static void ctl_summary_application(const ctl_t *ctl, ctl_line_t *l, const Legalaid__Application *a,
                                    int notice)
{
    char e1[PBJSON_ENUM_MAX], e2[PBJSON_ENUM_MAX], id[64], phone[64];
    if (!a) {
        ctl_line_add(l, notice ? _("defence notification received") : _("application received"));
        return;
    }
    const Legalaid__Person *p = a->applicant;
    if (notice && a->authority) {
        const Legalaid__Authority *au = a->authority;
        ctl_line_add(l, _("notified by %s (%s%s%s): %s, defendant %s"), ctl_fmt_str(au->name),
                     ctl_fmt_enum(&legalaid__authority_kind__descriptor, au->kind, e1),
                     au->reference ? _(", ref ") : "", ctl_fmt_str(au->reference),
                     ctl_fmt_enum(&legalaid__mandatory_ground__descriptor, a->ground, e2),
                     p ? ctl_fmt_str(p->name) : "?");
        if (p && p->id_number && p->id_number[0])
            ctl_line_add(l, " %s", ctl_fmt_mask_id(p->id_number, id, sizeof id));
        return;
    }
    ctl_line_add(l, _("received: %s by %s"),
                 ctl_fmt_enum(&legalaid__matter_category__descriptor, a->category, e1),
                 ctl_fmt_enum(&legalaid__channel__descriptor, a->channel, e2));
    if (a->station) ctl_line_add(l, _(" at %s"), a->station);
    if (p)
        ctl_line_add(l, "%s%s %s %s", _(", "), ctl_fmt_str(p->name),
                     ctl_fmt_mask_id(p->id_number, id, sizeof id),
                     ctl_fmt_mask_phone(p->phone, phone, sizeof phone));
    if (a->has_commitment_signed && a->commitment_signed)
        ctl_line_add(l, _(", commitment letter signed"));
}

static void ctl_summary_decision(const ctl_t *ctl, ctl_line_t *l, const Legalaid__Decision *d)
{
    char t[CTL_TIME_MAX];
    if (!d) {
        ctl_line_add(l, _("decided"));
        return;
    }
    ctl_line_add(l, "%s", ctl_show_outcome_name(d->outcome));
    if (d->n_articles) {
        ctl_line_add(l, "%s", _(" ("));
        ctl_line_add(l, "%s", regulation_render_list(d->articles, d->n_articles));
        ctl_line_add(l, "%s", _(")"));
    }
    switch (d->outcome) {
    case LEGALAID__OUTCOME__NEEDS_MATERIALS:
        for (size_t i = 0; i < d->n_missing_materials; i++)
            ctl_line_add(l, "%s%s", i ? "; " : _(", missing: "), d->missing_materials[i]);
        if (d->has_decision_due_at && d->decision_due_at)
            ctl_line_add(l, _(", decide by %s"), ctl_fmt_deadline(ctl, d->decision_due_at, t));
        break;
    case LEGALAID__OUTCOME__REFUSED:
    case LEGALAID__OUTCOME__TERMINATED:
    case LEGALAID__OUTCOME__WITHDRAWN:
    case LEGALAID__OUTCOME__DEEMED_WITHDRAWN:
        if (d->reason) ctl_line_add(l, ": %s", d->reason);
        break;
    default:
        if (d->has_assign_due_at && d->assign_due_at)
            ctl_line_add(l, _(", appoint by %s"), ctl_fmt_deadline(ctl, d->assign_due_at, t));
        if (d->has_verification_due_at && d->verification_due_at)
            ctl_line_add(l, _(", verify means by %s"),
                         ctl_fmt_deadline(ctl, d->verification_due_at, t));
        break;
    }
    const Legalaid__Priority *p = d->priority;
    if (p && p->has_green_channel && p->green_channel) ctl_line_add(l, _(" [green channel]"));
    if (p && p->has_emergency && p->emergency) ctl_line_add(l, _(" [emergency]"));
    if (p && p->has_same_day && p->same_day) ctl_line_add(l, _(" [same-day]"));
}

static void ctl_summary_materials(ctl_line_t *l, const Legalaid__MaterialsSupplemented *m)
{
    ctl_line_add(l, _("materials supplied: "));
    for (size_t i = 0; i < m->n_materials; i++)
        ctl_line_add(l, "%s%s", i ? "; " : "", ctl_fmt_str(m->materials[i]));
    if (m->n_all_materials) ctl_line_add(l, _(" (%zu received in all)"), m->n_all_materials);
}

static void ctl_summary_consultation(ctl_line_t *l, const Legalaid__Consultation *c)
{
    char e1[PBJSON_ENUM_MAX], e2[PBJSON_ENUM_MAX];
    if (!c) {
        ctl_line_add(l, _("consultation recorded"));
        return;
    }
    ctl_line_add(l, _("consultation %s: %s, %s"), ctl_fmt_str(c->id),
                 ctl_fmt_enum(&legalaid__consultation_channel__descriptor, c->channel, e1),
                 ctl_fmt_enum(&legalaid__matter_category__descriptor, c->category, e2));
    if (c->topic && c->topic[0]) ctl_line_add(l, ": %s", c->topic);
    if (c->has_told_of_aid && c->told_of_aid) ctl_line_add(l, _(" (told of legal aid)"));
}

static void ctl_summary_verified(ctl_line_t *l, const Legalaid__CommitmentVerified *v)
{
    int truthful = v->has_truthful && v->truthful;
    ctl_line_add(l, _("commitment verified: %s"), truthful ? _("truthful") : _("FALSE"));
    if (v->finding && v->finding[0]) ctl_line_add(l, ": %s", v->finding);
    if (v->has_outcome && v->outcome) ctl_line_add(l, " -> %s", ctl_show_outcome_name(v->outcome));
}

static void ctl_summary_objection(const ctl_t *ctl, ctl_line_t *l, const Legalaid__Objection *o,
                                  int decided)
{
    char t[CTL_TIME_MAX];
    if (!o) {
        ctl_line_add(l, decided ? _("objection decided") : _("objection filed"));
        return;
    }
    if (!decided) {
        ctl_line_add(l, _("objection filed (art. 49)"));
        if (o->reason && o->reason[0]) ctl_line_add(l, ": %s", o->reason);
        if (o->has_due_at && o->due_at)
            ctl_line_add(l, _(", decide by %s"), ctl_fmt_deadline(ctl, o->due_at, t));
        return;
    }
    ctl_line_add(l, _("objection %s"), ctl_show_objection_state_name(o->state));
    if (o->officer) ctl_line_add(l, _(" by %s"), o->officer);
    if (o->reasoning && o->reasoning[0]) ctl_line_add(l, ": %s", o->reasoning);
}

static void ctl_summary_assigned(const ctl_t *ctl, ctl_line_t *l,
                                 const Legalaid__LawyerAssigned *la)
{
    const Legalaid__Assignment *as = la->assignment;
    const Legalaid__Lawyer *lw = as ? as->lawyer : NULL;
    char phone[64], t[CTL_TIME_MAX];
    if (!lw) {
        ctl_line_add(l, _("lawyer assigned"));
        return;
    }
    ctl_line_add(l, _("lawyer %s"), ctl_fmt_str(lw->name));
    if (lw->id) ctl_line_add(l, " [%s]", lw->id);
    ctl_line_add(l, _(" (%s, %s) assigned"), lw->firm ? lw->firm : _("no firm"),
                 ctl_fmt_mask_phone(lw->phone, phone, sizeof phone));
    if (as->has_assign_due_at && as->assign_due_at)
        ctl_line_add(l, _(", due %s"), ctl_fmt_deadline(ctl, as->assign_due_at, t));
    if (la->authority && la->authority->name) ctl_line_add(l, _("; to tell %s"), la->authority->name);
}

static void ctl_summary_shift(const ctl_t *ctl, ctl_line_t *l, const Legalaid__Shift *sh)
{
    char a[CTL_TIME_MAX], b[CTL_TIME_MAX], role[PBJSON_ENUM_MAX];
    if (!sh) {
        ctl_line_add(l, _("shift assigned"));
        return;
    }
    ctl_line_add(l, _("shift %s at %s %s-%s: %s"),
                 ctl_fmt_enum(&legalaid__shift_role__descriptor, sh->role, role),
                 ctl_fmt_str(sh->station), ctl_fmt_time(ctl, sh->starts_at, a),
                 ctl_fmt_clock(ctl, sh->ends_at, b), ctl_fmt_str(sh->lawyer_name));
}

/* The Event oneof field's name for body_case ("lawyer_offered"). */
static const char *ctl_event_kind(const Legalaid__Event *ev)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&legalaid__event__descriptor, ev->body_case);
    return f ? f->name : "event";
}

const char *ctl_summary_event(const ctl_t *ctl, const Legalaid__Event *ev, char *buf, size_t size)
{
    ctl_line_t l = {buf, size, 0};
    buf[0] = 0;
    if (ev->payload_trimmed) { /* a compact record: only its kind is left to show */
        ctl_line_add(&l, "%s", ctl_event_kind(ev));
        return buf;
    }
    switch (ev->body_case) {
    case LEGALAID__EVENT__BODY_APPLICATION_RECEIVED:
        ctl_summary_application(ctl, &l, ev->application_received->application, 0);
        break;
    case LEGALAID__EVENT__BODY_DEFENCE_NOTIFICATION_RECEIVED:
        ctl_summary_application(ctl, &l, ev->defence_notification_received->application, 1);
        break;
    case LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED:
        ctl_summary_decision(ctl, &l, ev->eligibility_decided->decision);
        break;
    case LEGALAID__EVENT__BODY_LAWYER_ASSIGNED:
        ctl_summary_assigned(ctl, &l, ev->lawyer_assigned);
        break;
    case LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED: {
        const Legalaid__AssignmentQueued *q = ev->assignment_queued;
        char why[MATCHRULE_TEXT_MAX];
        ctl_line_add(&l, _("queued for staff: %s"),
                     q->reason ? q->reason
                     : q->explanation ? matchrule_reason(q->explanation, why)
                                      : _("no lawyer free"));
        break;
    }
    case LEGALAID__EVENT__BODY_LAWYERS_IMPORTED:
        ctl_line_add(&l, _("%u lawyers imported (pool of %u)"), ev->lawyers_imported->count,
                     ev->lawyers_imported->pool_size);
        break;
    case LEGALAID__EVENT__BODY_STATIONS_IMPORTED:
        ctl_line_add(&l, _("%u stations imported"), ev->stations_imported->count);
        break;
    case LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED:
        ctl_summary_materials(&l, ev->materials_supplemented);
        break;
    case LEGALAID__EVENT__BODY_APPLICATION_WITHDRAWN:
        ctl_line_add(&l, _("withdrawn by the applicant"));
        if (ev->application_withdrawn->reason && ev->application_withdrawn->reason[0])
            ctl_line_add(&l, ": %s", ev->application_withdrawn->reason);
        break;
    case LEGALAID__EVENT__BODY_CONSULTATION_RECORDED:
        ctl_summary_consultation(&l, ev->consultation_recorded->consultation);
        break;
    case LEGALAID__EVENT__BODY_COMMITMENT_VERIFIED:
        ctl_summary_verified(&l, ev->commitment_verified);
        break;
    case LEGALAID__EVENT__BODY_OBJECTION_FILED:
        ctl_summary_objection(ctl, &l, ev->objection_filed->objection, 0);
        break;
    case LEGALAID__EVENT__BODY_OBJECTION_DECIDED:
        ctl_summary_objection(ctl, &l, ev->objection_decided->objection, 1);
        break;
    case LEGALAID__EVENT__BODY_ASSISTANCE_ROLL_IMPORTED: {
        const Legalaid__AssistanceRollImported *ri = ev->assistance_roll_imported;
        char t[CTL_TIME_MAX];
        ctl_line_add(&l, _("%u assistance-roll entries imported (roll of %llu"), ri->count,
                     (unsigned long long)ri->roll_size);
        if (ri->has_exported_at && ri->exported_at)
            ctl_line_add(&l, _(", exported %s"), ctl_fmt_time(ctl, ri->exported_at, t));
        ctl_line_add(&l, ")");
        break;
    }
    case LEGALAID__EVENT__BODY_CALENDAR_IMPORTED:
        ctl_line_add(&l, _("%u calendar days imported"), ev->calendar_imported->count);
        break;
    case LEGALAID__EVENT__BODY_SHIFT_ASSIGNED:
        ctl_summary_shift(ctl, &l, ev->shift_assigned->shift);
        break;
    default:
        if (!ctl_dispatch_show_summary(ctl, ev, buf, size))
            ctl_line_add(&l, "%s", ctl_event_kind(ev));
        break;
    }
    return buf;
}
