/*
 * ctl_cases.c - `legalaidctl cases`: find cases by state, kind, category,
 * county, station, lawyer, received between and overdue, or a person's
 * cases by ID number (the staff right; intake audits it). One page per
 * run: the listing says how many matched when it ends, or that more
 * remain and the --after that goes on. Intake answers from its finder's
 * index (services/intake/intake_cases.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "pbjson.h"

/* The words typed after --state and --kind (CaseState, CaseKind), and what
 * people read for each. */
static const char *const ctl_case_states[] = {NULL,       "received",  "materials",
                                              "approved", "assigned",  "concluded",
                                              "refused",  "withdrawn", "terminated"};
static const char *const ctl_case_state_labels[] = {
    "-",              N_("to decide"), N_("materials awaited"), N_("to assign"), N_("in hand"),
    N_("concluded"),  N_("refused"),   N_("withdrawn"),         N_("terminated")};
static const char *const ctl_case_kinds[] = {NULL, "civil", "criminal", "administrative"};
static const char *const ctl_case_kind_labels[] = {"-", N_("civil"), N_("criminal"),
                                                   N_("administrative")};
#define CTL_N(a) (int)(sizeof a / sizeof a[0])

static int ctl_cases_word(const char *w, const char *const *names, int n)
{
    for (int i = 1; i < n; i++)
        if (strcmp(w, names[i]) == 0) return i;
    return -1;
}

/* The columns of the table, their titles and widths. */
static const char *const ctl_cases_titles[] = {
    N_("case"), N_("received"), N_("kind"), N_("category"), N_("county"),
    N_("station"), N_("state"), N_("lawyer"), N_("next deadline")};
static const int ctl_cases_cols[] = {16, 18, 8, 20, 12, 12, 14, 10, 18};

static void ctl_cases_row(const ctl_t *ctl, const Legalaid__CaseRow *r)
{
    char at[CTL_TIME_MAX], due[CTL_TIME_MAX], e[PBJSON_ENUM_MAX];
    int st = r->state < CTL_N(ctl_case_state_labels) ? (int)r->state : 0;
    int kind = r->kind < CTL_N(ctl_case_kind_labels) ? (int)r->kind : 0;
    const char *cells[] = {
        ctl_fmt_str(r->case_id),
        ctl_fmt_time(ctl, r->received_at, at),
        kind ? _(ctl_case_kind_labels[kind]) : "-",
        r->has_category && r->category
            ? ctl_fmt_enum(&legalaid__matter_category__descriptor, (int)r->category, e)
            : "-",
        r->county && r->county[0] ? r->county : "-",
        r->station && r->station[0] ? r->station : "-",
        st ? _(ctl_case_state_labels[st]) : "-",
        r->lawyer_id && r->lawyer_id[0] ? r->lawyer_id : "-",
        ctl_fmt_deadline(ctl, r->next_due_at, due),
    };
    for (int i = 0; i < CTL_N(cells); i++) ctl_fmt_cell(cells[i], ctl_cases_cols[i]);
    printf("%s\n", r->overdue ? _("overdue") : "");
}

/* Prints one page, table or JSON; the footer says whether it is all. */
static void ctl_cases_print(const ctl_t *ctl, const Legalaid__CaseList *l, int first_page)
{
    if (ctl->json) {
        json_t *j = json_object(), *arr = json_array();
        for (size_t i = 0; i < l->n_cases; i++)
            json_array_append_new(arr, ctl_json_from_message(&l->cases[i]->base, 1));
        json_object_set_new(j, "cases", arr);
        json_object_set_new(j, "count", json_integer((json_int_t)l->n_cases));
        json_object_set_new(j, "complete", json_boolean(l->complete));
        if (l->next_after) json_object_set_new(j, "next_after", json_string(l->next_after));
        ctl_json_print(j);
        return;
    }
    for (int i = 0; i < CTL_N(ctl_cases_titles); i++)
        ctl_fmt_cell(_(ctl_cases_titles[i]), ctl_cases_cols[i]);
    printf("%s\n", _("overdue"));
    for (size_t i = 0; i < l->n_cases; i++) ctl_cases_row(ctl, l->cases[i]);
    if (l->complete && first_page)
        printf(_("%zu cases matched\n"), l->n_cases);
    else if (l->complete)
        printf(_("%zu shown, the last page\n"), l->n_cases);
    else
        printf(_("%zu shown, more remain: --after %s\n"), l->n_cases, l->next_after);
}

/* What `cases` was asked: the filters, or a person's ID number. */
typedef struct ctl_cases_args {
    const char *state, *kind, *category, *county, *station, *lawyer, *from, *to, *limit, *after,
        *id_number;
    int overdue;
} ctl_cases_args_t;

/* Reads the options; -1 after the one-line error. */
static int ctl_cases_options(int argc, char **argv, ctl_cases_args_t *o)
{
    static const struct option longopts[] = {
        {"state", required_argument, NULL, 1},     {"kind", required_argument, NULL, 2},
        {"category", required_argument, NULL, 3},  {"county", required_argument, NULL, 4},
        {"station", required_argument, NULL, 5},   {"lawyer", required_argument, NULL, 6},
        {"from", required_argument, NULL, 7},      {"to", required_argument, NULL, 8},
        {"limit", required_argument, NULL, 9},     {"after", required_argument, NULL, 10},
        {"id-number", required_argument, NULL, 11}, {"overdue", no_argument, NULL, 12},
        {NULL, 0, NULL, 0},
    };
    const char *v[12] = {0};
    int first = ctl_args_parse("cases", argc, argv, longopts, v, CTL_ARGS_IN_ORDER);
    if (first < 0) return -1;
    if (first < argc) {
        ctl_help_usage_error("cases", _("'%s': cases takes options only"), argv[first]);
        return -1;
    }
    const char **slot[] = {&o->state, &o->kind,  &o->category, &o->county,
                           &o->station, &o->lawyer, &o->from,  &o->to,
                           &o->limit, &o->after, &o->id_number};
    for (size_t i = 0; i < sizeof slot / sizeof slot[0]; i++) *slot[i] = v[i];
    o->overdue = v[11] != NULL;
    return 0;
}

/* The query of the filters into q; CTL_EXIT_OK, or the one-line error's status. */
static int ctl_cases_query(const ctl_t *ctl, const ctl_cases_args_t *o, Legalaid__CasesQuery *q)
{
    int v;
    if (o->state) {
        if ((v = ctl_cases_word(o->state, ctl_case_states, CTL_N(ctl_case_states))) < 0)
            return ctl_help_usage_error("cases",
                                        _("--state %s: give received, materials, approved, "
                                          "assigned, concluded, refused, withdrawn or terminated"),
                                        o->state);
        q->has_state = 1;
        q->state = (Legalaid__CaseState)v;
    }
    if (o->kind) {
        if ((v = ctl_cases_word(o->kind, ctl_case_kinds, CTL_N(ctl_case_kinds))) < 0)
            return ctl_help_usage_error(
                "cases", _("--kind %s: give civil, criminal or administrative"), o->kind);
        q->has_kind = 1;
        q->kind = (Legalaid__CaseKind)v;
    }
    if (o->category) {
        const ProtobufCEnumValue *e = NULL;
        for (unsigned i = 0; i < legalaid__matter_category__descriptor.n_values; i++)
            if (strcasecmp(o->category, legalaid__matter_category__descriptor.values[i].name) == 0)
                e = &legalaid__matter_category__descriptor.values[i];
        if (!e || !e->value)
            return ctl_help_usage_error("cases", _("--category %s: not a matter category"),
                                        o->category);
        q->has_category = 1;
        q->category = (Legalaid__MatterCategory)e->value;
    }
    if (o->from && ctl_time_parse(ctl, o->from, &q->received_from) < 0)
        return ctl_help_usage_error("cases", _("--from %s: give a date or time (ISO 8601)"),
                                    o->from);
    if (o->to && ctl_time_parse(ctl, o->to, &q->received_to) < 0)
        return ctl_help_usage_error("cases", _("--to %s: give a date or time (ISO 8601)"), o->to);
    q->has_received_from = o->from != NULL;
    q->has_received_to = o->to != NULL;
    q->county = (char *)o->county;
    q->station = (char *)o->station;
    q->lawyer_id = (char *)o->lawyer;
    q->has_overdue = q->overdue = o->overdue;
    q->after = (char *)o->after;
    return CTL_EXIT_OK;
}

int ctl_cases_run(ctl_t *ctl, int argc, char **argv)
{
    ctl_cases_args_t o = {0};
    if (ctl_cases_options(argc, argv, &o) < 0) return CTL_EXIT_FAILURE;
    char *end = NULL;
    long n = o.limit ? strtol(o.limit, &end, 10) : 50;
    if (o.limit && (*end || n < 1 || n > 500))
        return ctl_help_usage_error("cases", _("--limit %s: give a number from 1 to 500"),
                                    o.limit);
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    Legalaid__CasesQuery q = LEGALAID__CASES_QUERY__INIT;
    Legalaid__PersonCasesQuery pq = LEGALAID__PERSON_CASES_QUERY__INIT;
    if (o.id_number) {
        if (o.state || o.kind || o.category || o.county || o.station || o.lawyer || o.from ||
            o.to || o.overdue)
            return ctl_help_usage_error("cases", "%s",
                                        _("--id-number takes only --limit and --after"));
        pq.id_number = (char *)o.id_number;
        pq.has_limit = 1;
        pq.limit = (uint32_t)n;
        pq.after = (char *)o.after;
        a.req.body_case = LEGALAID__REQUEST__BODY_PERSON_CASES;
        a.req.person_cases = &pq;
    } else {
        int rc = ctl_cases_query(ctl, &o, &q);
        if (rc != CTL_EXIT_OK) return rc;
        q.has_limit = 1;
        q.limit = (uint32_t)n;
        a.req.body_case = LEGALAID__REQUEST__BODY_CASES;
        a.req.cases = &q;
    }
    int status = ctl_ask_one(ctl, &a);
    const Legalaid__Reply *r =
        status == CTL_EXIT_OK ? ctl_ask_reply(&a, LEGALAID__REPLY__BODY_CASES) : NULL;
    if (r) ctl_cases_print(ctl, r->cases, o.after == NULL);
    ctl_ask_free(&a, 1);
    return status;
}
