/*
 * ctl_show.c - how legalaidctl shows a case's records in text: the
 * application (who applies, for whom, what was received), the decision
 * with every test it applied, its priority and deadlines, the objection
 * route and the roll's answer, an objection, and the reply of a command
 * that changed a case. Each row is "  LABEL         text", the label column
 * CTL_FMT_LABEL_COLS wide by display width (ctl_fmt_row), as in
 * `legalaidctl case`; labels and words in the user's language. ID numbers
 * and phones are masked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "eligibility.pb-c.h"
#include "i18n.h"
#include "intake.pb-c.h"
#include "regulation.h"

/* The outcomes for people, by Outcome value: the .proto names in English
 * (as staff search for them), 批准, 不予法律援助 ... in Chinese. */
static const char *const ctl_show_outcomes[] = {
    N_("OUTCOME_UNSPECIFIED"), N_("APPROVED"),  N_("APPROVED_PENDING_VERIFICATION"),
    N_("NEEDS_MATERIALS"),     N_("REFUSED"),   N_("WITHDRAWN"),
    N_("DEEMED_WITHDRAWN"),    N_("TERMINATED"),
};

const char *ctl_show_outcome_name(int outcome)
{
    int n = (int)(sizeof ctl_show_outcomes / sizeof ctl_show_outcomes[0]);
    return _(ctl_show_outcomes[outcome >= 0 && outcome < n ? outcome : 0]);
}

/* The states of an objection (art. 49) for people, by ObjectionState. */
const char *ctl_show_objection_state_name(int state)
{
    static const char *const names[] = {N_("OBJECTION_STATE_UNSPECIFIED"), N_("FILED"),
                                        N_("UPHELD"), N_("CORRECTED")};
    return _(names[state >= 0 && state <= 3 ? state : 0]);
}

static void ctl_show_list(const char *label, char *const *items, size_t n)
{
    if (n == 0) return;
    ctl_fmt_row(label);
    for (size_t i = 0; i < n; i++) printf("%s%s", i ? "; " : "", ctl_fmt_str(items[i]));
    printf("\n");
}

static void ctl_show_groups(const Legalaid__SpecialGroup *groups, size_t n)
{
    char e[PBJSON_ENUM_MAX];
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? _(", ") : "",
               ctl_fmt_enum(&legalaid__special_group__descriptor, (int)groups[i], e));
}

static void ctl_show_proxy(const Legalaid__Proxy *x)
{
    char id[64], phone[64];
    const Legalaid__Person *xp = x->person;
    ctl_fmt_row(_("proxy"));
    printf("%s", xp ? ctl_fmt_str(xp->name) : "?");
    if (xp && xp->id_number) printf("  %s", ctl_fmt_mask_id(xp->id_number, id, sizeof id));
    if (xp && xp->phone) printf("  %s", ctl_fmt_mask_phone(xp->phone, phone, sizeof phone));
    if (x->relationship) printf("%s%s", _(", "), x->relationship);
    if (x->proof_of_authority) printf(_(", proof: %s"), x->proof_of_authority);
    printf("\n");
}

/* Who applies or is defended, the matter and where it came in. */
static void ctl_show_parties(const Legalaid__Application *a)
{
    char e1[PBJSON_ENUM_MAX], e2[PBJSON_ENUM_MAX], id[64], phone[64];
    const Legalaid__Person *p = a->applicant;
    if (p) {
        ctl_fmt_row(a->authority ? _("defendant") : _("applicant"));
        printf("%s  %s  %s\n", ctl_fmt_str(p->name), ctl_fmt_mask_id(p->id_number, id, sizeof id),
               ctl_fmt_mask_phone(p->phone, phone, sizeof phone));
    }
    if (a->has_applicant_role && a->applicant_role != LEGALAID__APPLICANT_ROLE__SELF &&
        a->applicant_role != LEGALAID__APPLICANT_ROLE__APPLICANT_ROLE_UNSPECIFIED) {
        ctl_fmt_row(_("applies as"));
        printf("%s\n",
               ctl_fmt_enum(&legalaid__applicant_role__descriptor, a->applicant_role, e1));
    }
    if (a->proxy) ctl_show_proxy(a->proxy);
    ctl_fmt_row(_("matter"));
    printf("%s%s%s", ctl_fmt_enum(&legalaid__matter_category__descriptor, a->category, e1),
           _(", "), ctl_fmt_enum(&legalaid__channel__descriptor, a->channel, e2));
    if (a->station) printf(_(" at %s"), a->station);
    if (a->has_commitment_signed && a->commitment_signed)
        printf("%s", _(", commitment letter signed"));
    printf("\n");
    if (a->matter && a->matter[0]) {
        ctl_fmt_row("");
        printf("%s\n", a->matter);
    }
}

/* One row of a label and a text, none when text is empty. */
static void ctl_show_text(const char *label, const char *text)
{
    if (!text || !text[0]) return;
    ctl_fmt_row(label);
    printf("%s\n", text);
}

void ctl_show_application(const ctl_t *ctl, const Legalaid__Application *a)
{
    char e1[PBJSON_ENUM_MAX], e2[PBJSON_ENUM_MAX], id[64], t[CTL_TIME_MAX];
    ctl_show_parties(a);
    if (a->has_scope_item && a->scope_item) {
        ctl_fmt_row(_("scope item"));
        printf(_("art. 31(%u)\n"), a->scope_item);
    }
    if (a->has_retrial && a->retrial) ctl_show_text(_("retrial"), _("yes (art. 33)"));
    ctl_show_text(_("opposing"), a->opposing_party);
    ctl_show_text(_("county"), a->county);
    if (a->has_language && a->language)
        ctl_show_text(_("language"),
                      ctl_fmt_enum(&legalaid__language__descriptor, a->language, e1));
    if (a->has_aid_form && a->aid_form)
        ctl_show_text(_("aid form"), ctl_fmt_enum(&legalaid__aid_form__descriptor, a->aid_form, e1));
    for (size_t i = 0; i < a->n_co_defendants; i++) {
        const Legalaid__Person *c = a->co_defendants[i];
        ctl_fmt_row(i ? "" : _("co-defend."));
        printf("%s", ctl_fmt_str(c->name));
        if (c->id_number && c->id_number[0])
            printf("  %s", ctl_fmt_mask_id(c->id_number, id, sizeof id));
        printf("\n");
    }
    ctl_show_list(_("related"), a->related_cases, a->n_related_cases);
    if (a->authority) {
        ctl_fmt_row(_("notified by"));
        printf(_("%s (%s%s%s), ground %s\n"), ctl_fmt_str(a->authority->name),
               ctl_fmt_enum(&legalaid__authority_kind__descriptor, a->authority->kind, e1),
               a->authority->reference ? _(", ref ") : "", ctl_fmt_str(a->authority->reference),
               ctl_fmt_enum(&legalaid__mandatory_ground__descriptor, a->ground, e2));
    }
    if (a->custody_facility || (a->has_custody_received_at && a->custody_received_at)) {
        ctl_fmt_row(_("custody"));
        printf("%s", a->custody_facility ? a->custody_facility : "?");
        if (a->has_custody_received_at && a->custody_received_at)
            printf(_(", received there %s"), ctl_fmt_time(ctl, a->custody_received_at, t));
        if (a->has_custody_forward_late && a->custody_forward_late)
            printf("%s", _(", forwarded after 24 hours (art. 39)"));
        printf("\n");
    }
    if (a->n_groups) {
        ctl_fmt_row(_("groups"));
        ctl_show_groups(a->groups, a->n_groups);
        printf("\n");
    }
    if (a->has_no_means_ground && a->no_means_ground) {
        ctl_fmt_row(_("no means"));
        printf(_("%s (art. 32)\n"),
               ctl_fmt_enum(&legalaid__no_means_ground__descriptor, a->no_means_ground, e1));
    }
    if (a->has_hardship_proof && a->hardship_proof) {
        ctl_fmt_row(_("hardship"));
        printf(_("%s (art. 42)\n"),
               ctl_fmt_enum(&legalaid__hardship_proof__descriptor, a->hardship_proof, e1));
    }
    if (a->has_household_income_fen) {
        ctl_fmt_row(_("income"));
        printf(_("%lld.%02lld yuan a month per head (declared)\n"),
               (long long)(a->household_income_fen / 100),
               (long long)(a->household_income_fen % 100));
    }
    if (a->has_limitation_deadline && a->limitation_deadline)
        ctl_show_text(_("limitation"), ctl_fmt_deadline(ctl, a->limitation_deadline, t));
    ctl_show_list(_("materials"), a->materials, a->n_materials);
    if (a->duplicate_of && a->duplicate_of[0]) {
        ctl_fmt_row(_("duplicate"));
        printf(_("linked to the open case %s\n"), a->duplicate_of);
    }
    ctl_show_text(_("received"), ctl_fmt_time(ctl, a->received_at, t));
}

static void ctl_show_priority(const ctl_t *ctl, const Legalaid__Priority *p)
{
    char t[CTL_TIME_MAX];
    int green = p->has_green_channel && p->green_channel;
    int emergency = p->has_emergency && p->emergency;
    int same_day = p->has_same_day && p->same_day;
    if (!green && !emergency && !same_day && !p->n_groups) return;
    ctl_fmt_row(_("priority"));
    const char *sep = "";
    if (green || p->n_groups) {
        printf("%s%s", _("green channel"), p->n_groups ? _(" (") : "");
        ctl_show_groups(p->groups, p->n_groups);
        printf("%s", p->n_groups ? _(")") : "");
        sep = _("; ");
    }
    if (emergency) {
        printf("%s%s", sep, _("emergency (art. 44)"));
        if (p->has_emergency_deadline && p->emergency_deadline)
            printf(_(", deadline %s"), ctl_fmt_deadline(ctl, p->emergency_deadline, t));
        sep = _("; ");
    }
    if (same_day) printf("%s%s", sep, _("same-day"));
    printf("\n");
}

/* The tests the decision applied, one a row: [pass] or [fail], the test,
 * its detail and article. */
static void ctl_show_tests(const Legalaid__Decision *d)
{
    for (size_t i = 0; i < d->n_tests; i++) {
        const Legalaid__DecisionTest *dt = d->tests[i];
        ctl_fmt_row(i ? "" : _("tests"));
        printf("%s %s", dt->has_passed && dt->passed ? _("[pass]") : _("[fail]"),
               ctl_fmt_str(dt->name));
        if (dt->detail && dt->detail[0]) printf(": %s", dt->detail);
        if (dt->article && dt->article[0]) printf(" (%s)", regulation_render(dt->article));
        printf("\n");
    }
}

/* The check of a commitment letter (art. 41): by when, and the draw. */
static void ctl_show_verification(const ctl_t *ctl, const Legalaid__Decision *d)
{
    char t[CTL_TIME_MAX];
    if ((d->has_verification_due_at && d->verification_due_at) ||
        (d->has_verification_drawn && d->verification_drawn)) {
        ctl_fmt_row(_("verify by"));
        printf("%s", d->has_verification_due_at && d->verification_due_at
                         ? ctl_fmt_deadline(ctl, d->verification_due_at, t)
                         : "-");
        if (d->has_verification_drawn && d->verification_drawn)
            printf("%s", _(" (drawn for the check of the commitment)"));
        printf("\n");
    }
    if (d->has_verification_draw) {
        ctl_fmt_row(_("draw"));
        printf(_("%u of 0-9999, %s %u (share %u %%): %s (抽查, art. 41)\n"), d->verification_draw,
               d->verification_draw < d->verification_share_percent * 100 ? _("below")
                                                                          : _("not below"),
               d->verification_share_percent * 100, d->verification_share_percent,
               d->verification_drawn ? _("抽中核查 checked") : _("未抽中 not checked"));
    }
}

void ctl_show_decision(const ctl_t *ctl, const Legalaid__Decision *d)
{
    char e[PBJSON_ENUM_MAX], e2[PBJSON_ENUM_MAX], t[CTL_TIME_MAX], t2[CTL_TIME_MAX];
    ctl_fmt_row(_("decision"));
    printf(_("%s, means %s, decided %s (due %s)\n"), ctl_show_outcome_name(d->outcome),
           ctl_fmt_enum(&legalaid__means_path__descriptor, d->means_path, e),
           ctl_fmt_time(ctl, d->decided_at, t), ctl_fmt_deadline(ctl, d->decision_due_at, t2));
    ctl_show_text("", d->reason);
    if (d->n_articles) {
        ctl_fmt_row(_("articles"));
        printf("%s\n", regulation_render_list(d->articles, d->n_articles));
    }
    ctl_show_tests(d);
    if (d->priority) ctl_show_priority(ctl, d->priority);
    if (d->has_roll_answer && d->roll_answer) {
        ctl_fmt_row(_("roll"));
        printf("%s", ctl_fmt_enum(&legalaid__roll_answer__descriptor, d->roll_answer, e));
        if (d->has_roll_status && d->roll_status)
            printf(" (%s)", ctl_fmt_enum(&legalaid__roll_status__descriptor, d->roll_status, e2));
        printf("\n");
    }
    ctl_show_list(_("missing"), d->missing_materials, d->n_missing_materials);
    if (d->has_materials_due_at && d->materials_due_at) {
        ctl_fmt_row(_("supply by"));
        printf(_("%s, or deemed withdrawn (art. 43(2))\n"),
               ctl_fmt_deadline(ctl, d->materials_due_at, t));
    }
    if (d->has_assign_due_at && d->assign_due_at)
        ctl_show_text(_("appoint by"), ctl_fmt_deadline(ctl, d->assign_due_at, t));
    ctl_show_verification(ctl, d);
    ctl_show_text(_("route"), d->objection_route);
    ctl_show_text(_("rules"), d->rule_version);
}

void ctl_show_objection(const ctl_t *ctl, const Legalaid__Objection *o)
{
    char t[CTL_TIME_MAX], t2[CTL_TIME_MAX];
    ctl_fmt_row(_("objection"));
    printf(_("%s, filed %s, decide by %s\n"), ctl_show_objection_state_name(o->state),
           ctl_fmt_time(ctl, o->filed_at, t), ctl_fmt_deadline(ctl, o->due_at, t2));
    ctl_show_text("", o->reason);
    if (o->officer || (o->has_decided_at && o->decided_at)) {
        ctl_fmt_row(_("decided by"));
        printf("%s%s%s\n", o->officer ? o->officer : "?", _(", "),
               ctl_fmt_time(ctl, o->decided_at, t));
        ctl_show_text("", o->reasoning);
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
    printf(_("case %s\n"), case_id);
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
            ctl_show_list(_("materials"), r->application_accepted->materials_received,
                          r->application_accepted->n_materials_received);
        break;
    default:
        if (m) {
            json_t *j = ctl_json_from_message(m, 1);
            char *text = json_dumps(j, JSON_COMPACT);
            ctl_show_text(f->name, text ? text : "");
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
        printf(_("  (%s: no answer)\n"), ctl_daemon_names[a->daemon]);
    else
        printf("  (%s)\n", ctl_ask_problem(ctl, a, why, sizeof why));
}
