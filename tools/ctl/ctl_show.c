/*
 * ctl_show.c - how legalaidctl shows a case's records in text: the
 * application (who applies, for whom, what was received), the decision
 * with every test it applied, its priority and deadlines, the objection
 * route and the roll's answer, an objection, and the reply of a command
 * that changed a case. Each row is "  LABEL       text", the label column
 * 12 wide, as in `legalaidctl case`. ID numbers and phones are masked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "eligibility.pb-c.h"
#include "intake.pb-c.h"

#define CTL_ROW "  %-12s"

/* "APPROVED": the .proto name of an outcome, as staff search for it. */
const char *ctl_show_outcome_name(int outcome)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&legalaid__outcome__descriptor, outcome);
    return v ? v->name : "OUTCOME_UNSPECIFIED";
}

static void ctl_show_list(const char *label, char *const *items, size_t n)
{
    if (n == 0) return;
    printf(CTL_ROW, label);
    for (size_t i = 0; i < n; i++) printf("%s%s", i ? "; " : "", ctl_fmt_str(items[i]));
    printf("\n");
}

static void ctl_show_groups(const Legalaid__SpecialGroup *groups, size_t n)
{
    char e[PBJSON_ENUM_MAX];
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "",
               pbjson_enum_text(&legalaid__special_group__descriptor, (int)groups[i], e));
}

void ctl_show_application(const ctl_t *ctl, const Legalaid__Application *a)
{
    char e1[PBJSON_ENUM_MAX], e2[PBJSON_ENUM_MAX], id[64], phone[64], t[CTL_TIME_MAX];
    const Legalaid__Person *p = a->applicant;
    if (p)
        printf(CTL_ROW "%s  %s  %s\n", a->authority ? "defendant" : "applicant",
               ctl_fmt_str(p->name), ctl_fmt_mask_id(p->id_number, id, sizeof id),
               ctl_fmt_mask_phone(p->phone, phone, sizeof phone));
    if (a->has_applicant_role && a->applicant_role != LEGALAID__APPLICANT_ROLE__SELF &&
        a->applicant_role != LEGALAID__APPLICANT_ROLE__APPLICANT_ROLE_UNSPECIFIED)
        printf(CTL_ROW "%s\n", "applies as",
               pbjson_enum_text(&legalaid__applicant_role__descriptor, a->applicant_role, e1));
    if (a->proxy) {
        const Legalaid__Proxy *x = a->proxy;
        const Legalaid__Person *xp = x->person;
        printf(CTL_ROW "%s", "proxy", xp ? ctl_fmt_str(xp->name) : "?");
        if (xp && xp->id_number) printf("  %s", ctl_fmt_mask_id(xp->id_number, id, sizeof id));
        if (xp && xp->phone) printf("  %s", ctl_fmt_mask_phone(xp->phone, phone, sizeof phone));
        if (x->relationship) printf(", %s", x->relationship);
        if (x->proof_of_authority) printf(", proof: %s", x->proof_of_authority);
        printf("\n");
    }
    printf(CTL_ROW "%s, %s%s%s%s\n", "matter",
           pbjson_enum_text(&legalaid__matter_category__descriptor, a->category, e1),
           pbjson_enum_text(&legalaid__channel__descriptor, a->channel, e2),
           a->station ? " at " : "", ctl_fmt_str(a->station),
           a->has_commitment_signed && a->commitment_signed ? ", commitment letter signed" : "");
    if (a->matter && a->matter[0]) printf(CTL_ROW "%s\n", "", a->matter);
    if (a->has_scope_item && a->scope_item)
        printf(CTL_ROW "art. 31(%u)\n", "scope item", a->scope_item);
    if (a->has_retrial && a->retrial) printf(CTL_ROW "%s\n", "retrial", "yes (art. 33)");
    if (a->opposing_party && a->opposing_party[0])
        printf(CTL_ROW "%s\n", "opposing", a->opposing_party);
    if (a->county && a->county[0]) printf(CTL_ROW "%s\n", "county", a->county);
    if (a->has_language && a->language)
        printf(CTL_ROW "%s\n", "language",
               pbjson_enum_text(&legalaid__language__descriptor, a->language, e1));
    if (a->has_aid_form && a->aid_form)
        printf(CTL_ROW "%s\n", "aid form",
               pbjson_enum_text(&legalaid__aid_form__descriptor, a->aid_form, e1));
    for (size_t i = 0; i < a->n_co_defendants; i++) {
        const Legalaid__Person *c = a->co_defendants[i];
        printf(CTL_ROW "%s", i ? "" : "co-defend.", ctl_fmt_str(c->name));
        if (c->id_number && c->id_number[0])
            printf("  %s", ctl_fmt_mask_id(c->id_number, id, sizeof id));
        printf("\n");
    }
    ctl_show_list("related", a->related_cases, a->n_related_cases);
    if (a->authority)
        printf(CTL_ROW "%s (%s%s%s), ground %s\n", "notified by", ctl_fmt_str(a->authority->name),
               pbjson_enum_text(&legalaid__authority_kind__descriptor, a->authority->kind, e1),
               a->authority->reference ? ", ref " : "", ctl_fmt_str(a->authority->reference),
               pbjson_enum_text(&legalaid__mandatory_ground__descriptor, a->ground, e2));
    if (a->custody_facility || (a->has_custody_received_at && a->custody_received_at)) {
        printf(CTL_ROW "%s", "custody", a->custody_facility ? a->custody_facility : "?");
        if (a->has_custody_received_at && a->custody_received_at)
            printf(", received there %s", ctl_fmt_time(ctl, a->custody_received_at, t));
        if (a->has_custody_forward_late && a->custody_forward_late)
            printf(", forwarded after 24 hours (art. 39)");
        printf("\n");
    }
    if (a->n_groups) {
        printf(CTL_ROW, "groups");
        ctl_show_groups(a->groups, a->n_groups);
        printf("\n");
    }
    if (a->has_no_means_ground && a->no_means_ground)
        printf(CTL_ROW "%s (art. 32)\n", "no means",
               pbjson_enum_text(&legalaid__no_means_ground__descriptor, a->no_means_ground, e1));
    if (a->has_hardship_proof && a->hardship_proof)
        printf(CTL_ROW "%s (art. 42)\n", "hardship",
               pbjson_enum_text(&legalaid__hardship_proof__descriptor, a->hardship_proof, e1));
    if (a->has_household_income_fen)
        printf(CTL_ROW "%lld.%02lld yuan a month per head (declared)\n", "income",
               (long long)(a->household_income_fen / 100),
               (long long)(a->household_income_fen % 100));
    if (a->has_limitation_deadline && a->limitation_deadline)
        printf(CTL_ROW "%s\n", "limitation", ctl_fmt_deadline(ctl, a->limitation_deadline, t));
    ctl_show_list("materials", a->materials, a->n_materials);
    if (a->duplicate_of && a->duplicate_of[0])
        printf(CTL_ROW "linked to the open case %s\n", "duplicate", a->duplicate_of);
    printf(CTL_ROW "%s\n", "received", ctl_fmt_time(ctl, a->received_at, t));
}

static void ctl_show_priority(const ctl_t *ctl, const Legalaid__Priority *p)
{
    char t[CTL_TIME_MAX];
    int green = p->has_green_channel && p->green_channel;
    int emergency = p->has_emergency && p->emergency;
    int same_day = p->has_same_day && p->same_day;
    if (!green && !emergency && !same_day && !p->n_groups) return;
    printf(CTL_ROW, "priority");
    const char *sep = "";
    if (green || p->n_groups) {
        printf("green channel%s", p->n_groups ? " (" : "");
        ctl_show_groups(p->groups, p->n_groups);
        printf("%s", p->n_groups ? ")" : "");
        sep = "; ";
    }
    if (emergency) {
        printf("%semergency (art. 44)", sep);
        if (p->has_emergency_deadline && p->emergency_deadline)
            printf(", deadline %s", ctl_fmt_deadline(ctl, p->emergency_deadline, t));
        sep = "; ";
    }
    if (same_day) printf("%ssame-day", sep);
    printf("\n");
}

void ctl_show_decision(const ctl_t *ctl, const Legalaid__Decision *d)
{
    char e[PBJSON_ENUM_MAX], e2[PBJSON_ENUM_MAX], t[CTL_TIME_MAX], t2[CTL_TIME_MAX];
    printf(CTL_ROW "%s, means %s, decided %s (due %s)\n", "decision",
           ctl_show_outcome_name(d->outcome),
           pbjson_enum_text(&legalaid__means_path__descriptor, d->means_path, e),
           ctl_fmt_time(ctl, d->decided_at, t), ctl_fmt_deadline(ctl, d->decision_due_at, t2));
    if (d->reason && d->reason[0]) printf(CTL_ROW "%s\n", "", d->reason);
    ctl_show_list("articles", d->articles, d->n_articles);
    for (size_t i = 0; i < d->n_tests; i++) {
        const Legalaid__DecisionTest *dt = d->tests[i];
        printf(CTL_ROW "%s %s", i ? "" : "tests",
               dt->has_passed && dt->passed ? "[pass]" : "[fail]", ctl_fmt_str(dt->name));
        if (dt->detail && dt->detail[0]) printf(": %s", dt->detail);
        if (dt->article && dt->article[0]) printf(" (%s)", dt->article);
        printf("\n");
    }
    if (d->priority) ctl_show_priority(ctl, d->priority);
    if (d->has_roll_answer && d->roll_answer) {
        printf(CTL_ROW "%s", "roll",
               pbjson_enum_text(&legalaid__roll_answer__descriptor, d->roll_answer, e));
        if (d->has_roll_status && d->roll_status)
            printf(" (%s)",
                   pbjson_enum_text(&legalaid__roll_status__descriptor, d->roll_status, e2));
        printf("\n");
    }
    ctl_show_list("missing", d->missing_materials, d->n_missing_materials);
    if (d->has_materials_due_at && d->materials_due_at)
        printf(CTL_ROW "%s, or deemed withdrawn (art. 43(2))\n", "supply by",
               ctl_fmt_deadline(ctl, d->materials_due_at, t));
    if (d->has_assign_due_at && d->assign_due_at)
        printf(CTL_ROW "%s\n", "appoint by", ctl_fmt_deadline(ctl, d->assign_due_at, t));
    if ((d->has_verification_due_at && d->verification_due_at) ||
        (d->has_verification_drawn && d->verification_drawn)) {
        printf(CTL_ROW "%s", "verify by",
               d->has_verification_due_at && d->verification_due_at
                   ? ctl_fmt_deadline(ctl, d->verification_due_at, t)
                   : "-");
        if (d->has_verification_drawn && d->verification_drawn)
            printf(" (drawn for the check of the commitment)");
        printf("\n");
    }
    if (d->has_verification_draw)
        printf(CTL_ROW "%u of 0-9999, %s %u (share %u %%): %s (抽查, art. 41)\n", "draw",
               d->verification_draw,
               d->verification_draw < d->verification_share_percent * 100 ? "below" : "not below",
               d->verification_share_percent * 100, d->verification_share_percent,
               d->verification_drawn ? "抽中核查 checked" : "未抽中 not checked");
    if (d->objection_route && d->objection_route[0])
        printf(CTL_ROW "%s\n", "route", d->objection_route);
    if (d->rule_version && d->rule_version[0]) printf(CTL_ROW "%s\n", "rules", d->rule_version);
}

void ctl_show_objection(const ctl_t *ctl, const Legalaid__Objection *o)
{
    char t[CTL_TIME_MAX], t2[CTL_TIME_MAX];
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&legalaid__objection_state__descriptor, o->state);
    printf(CTL_ROW "%s, filed %s, decide by %s\n", "objection", v ? v->name : "?",
           ctl_fmt_time(ctl, o->filed_at, t), ctl_fmt_deadline(ctl, o->due_at, t2));
    if (o->reason && o->reason[0]) printf(CTL_ROW "%s\n", "", o->reason);
    if (o->officer || (o->has_decided_at && o->decided_at)) {
        printf(CTL_ROW "%s, %s\n", "decided by", o->officer ? o->officer : "?",
               ctl_fmt_time(ctl, o->decided_at, t));
        if (o->reasoning && o->reasoning[0]) printf(CTL_ROW "%s\n", "", o->reasoning);
    }
}

void ctl_show_reply(const ctl_t *ctl, const char *case_id, const Legalaid__Reply *r)
{
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&legalaid__reply__descriptor, r->body_case);
    const ProtobufCMessage *m = f && f->type == PROTOBUF_C_TYPE_MESSAGE
                                    ? *(ProtobufCMessage *const *)((const char *)r + f->offset)
                                    : NULL;
    if (ctl->json) {
        ctl_json_print(m ? ctl_json_from_message(m, 1) : json_object());
        return;
    }
    printf("case %s\n", case_id);
    switch (r->body_case) {
    case LEGALAID__REPLY__BODY_DECISION:
        if (r->decision) ctl_show_decision(ctl, r->decision);
        break;
    case LEGALAID__REPLY__BODY_OBJECTION:
        if (r->objection) ctl_show_objection(ctl, r->objection);
        break;
    case LEGALAID__REPLY__BODY_APPLICATION:
        if (r->application) ctl_show_application(ctl, r->application);
        break;
    case LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED:
        if (r->application_accepted)
            ctl_show_list("materials", r->application_accepted->materials_received,
                          r->application_accepted->n_materials_received);
        break;
    default:
        if (m) {
            json_t *j = ctl_json_from_message(m, 1);
            char *text = json_dumps(j, JSON_COMPACT);
            printf(CTL_ROW "%s\n", f->name, text ? text : "");
            free(text);
            json_decref(j);
        }
        break;
    }
}

void ctl_show_problem(const ctl_t *ctl, const ctl_ask_t *a)
{
    char why[1024];
    if (a->rc != 0 || !a->reply)
        printf("  (%s: no answer)\n", ctl_daemon_names[a->daemon]);
    else
        printf("  (%s)\n", ctl_ask_problem(ctl, a, why, sizeof why));
}
