/*
 * ctl_cases.c - `legalaidctl cases`: find cases by state, kind, category,
 * county, station, lawyer, received between and overdue, or a person's
 * cases by ID number (the staff right; intake audits it). One page per
 * run: the listing says how many matched when it ends, or that more
 * remain and the --after that goes on. Intake answers from its finder's
 * index (services/intake/intake_cases.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "pbjson.h"

static const char *const ctl_case_states[] = {NULL,       "received",  "materials",
                                              "approved", "assigned",  "concluded",
                                              "refused",  "withdrawn", "terminated"};
static const char *const ctl_case_states_zh[] = {
    "-", "待审查", "待补材料", "待指派", "承办中", "已结案", "不予援助", "已撤回", "已终止"};
static const char *const ctl_case_kinds[] = {NULL, "civil", "criminal", "administrative"};
static const char *const ctl_case_kinds_zh[] = {"-", "民事", "刑事", "行政"};
#define CTL_N(a) (int)(sizeof a / sizeof a[0])

static int ctl_cases_word(const char *w, const char *const *names, int n)
{
    for (int i = 1; i < n; i++)
        if (strcmp(w, names[i]) == 0) return i;
    return -1;
}

static int ctl_cases_usage(void)
{
    fprintf(stderr,
            "usage: legalaidctl [--json] cases [--state received|materials|approved|assigned|"
            "concluded|refused|withdrawn|terminated] [--kind civil|criminal|administrative] "
            "[--category NAME] [--county NAME] [--station CODE] [--lawyer ID] [--from TIME] "
            "[--to TIME] [--overdue] [--limit N (1-500, 50)] [--after CURSOR]\n"
            "       legalaidctl [--json] cases --id-number N [--limit N] [--after CURSOR]\n");
    return CTL_EXIT_FAILURE;
}

static void ctl_cases_row(const ctl_t *ctl, const Legalaid__CaseRow *r)
{
    char at[CTL_TIME_MAX], due[CTL_TIME_MAX];
    const ProtobufCEnumValue *cat =
        r->has_category ? protobuf_c_enum_descriptor_get_value(
                              &legalaid__matter_category__descriptor, (int)r->category)
                        : NULL;
    int st = r->state < CTL_N(ctl_case_states_zh) ? (int)r->state : 0;
    int kind = r->kind < CTL_N(ctl_case_kinds_zh) ? (int)r->kind : 0;
    ctl_fmt_pad(ctl_fmt_str(r->case_id), 16);
    ctl_fmt_pad(ctl_fmt_time(ctl, r->received_at, at), 18);
    ctl_fmt_pad(ctl_case_kinds_zh[kind], 6);
    ctl_fmt_pad(cat ? cat->name : "-", 20);
    ctl_fmt_pad(r->county && r->county[0] ? r->county : "-", 12);
    ctl_fmt_pad(r->station && r->station[0] ? r->station : "-", 12);
    ctl_fmt_pad(ctl_case_states_zh[st], 10);
    ctl_fmt_pad(r->lawyer_id && r->lawyer_id[0] ? r->lawyer_id : "-", 10);
    ctl_fmt_pad(ctl_fmt_deadline(ctl, r->next_due_at, due), 18);
    printf("%s\n", r->overdue ? "逾期" : "");
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
    static const char *const head[] = {"案号",     "受理时间", "类别", "子类",    "区县",
                                       "受理站点", "状态",     "律师", "最近期限"};
    static const int cols[] = {16, 18, 6, 20, 12, 12, 10, 10, 18};
    for (int i = 0; i < CTL_N(head); i++) ctl_fmt_pad(head[i], cols[i]);
    printf("逾期\n");
    for (size_t i = 0; i < l->n_cases; i++) ctl_cases_row(ctl, l->cases[i]);
    if (l->complete && first_page)
        printf("共 %zu 件 (%zu matched)\n", l->n_cases, l->n_cases);
    else if (l->complete)
        printf("本页 %zu 件，已到末页 (%zu shown, the last page)\n", l->n_cases, l->n_cases);
    else
        printf("本页 %zu 件，还有更多 (%zu shown, more remain): --after %s\n", l->n_cases,
               l->n_cases, l->next_after);
}

int ctl_cases_run(ctl_t *ctl, int argc, char **argv)
{
    const char *state = NULL, *kind = NULL, *category = NULL, *county = NULL, *station = NULL,
               *lawyer = NULL, *from = NULL, *to = NULL, *limit = NULL, *after = NULL,
               *id_number = NULL;
    static const char *const names[] = {"--state",   "--kind",   "--category", "--county",
                                        "--station", "--lawyer", "--from",     "--to",
                                        "--limit",   "--after",  "--id-number"};
    const char **values[] = {&state, &kind, &category, &county, &station,  &lawyer,
                             &from,  &to,   &limit,    &after,  &id_number};
    for (int i = 0; i < CTL_N(names) && argc > 0; i++)
        argc = ctl_option_take(argc, argv, names[i], values[i]);
    int overdue = 0;
    if (argc == 2 && strcmp(argv[1], "--overdue") == 0) {
        overdue = 1;
        argc = 1;
    }
    if (argc != 1) return ctl_cases_usage();
    char *end = NULL;
    long n = limit ? strtol(limit, &end, 10) : 50;
    if (limit && (*end || n < 1 || n > 500)) return ctl_cases_usage();
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    Legalaid__CasesQuery q = LEGALAID__CASES_QUERY__INIT;
    Legalaid__PersonCasesQuery pq = LEGALAID__PERSON_CASES_QUERY__INIT;
    if (id_number) {
        if (state || kind || category || county || station || lawyer || from || to || overdue)
            return ctl_cases_usage();
        pq.id_number = (char *)id_number;
        pq.has_limit = 1;
        pq.limit = (uint32_t)n;
        pq.after = (char *)after;
        a.req.body_case = LEGALAID__REQUEST__BODY_PERSON_CASES;
        a.req.person_cases = &pq;
    } else {
        int v;
        if (state) {
            if ((v = ctl_cases_word(state, ctl_case_states, CTL_N(ctl_case_states))) < 0)
                return ctl_cases_usage();
            q.has_state = 1;
            q.state = (Legalaid__CaseState)v;
        }
        if (kind) {
            if ((v = ctl_cases_word(kind, ctl_case_kinds, CTL_N(ctl_case_kinds))) < 0)
                return ctl_cases_usage();
            q.has_kind = 1;
            q.kind = (Legalaid__CaseKind)v;
        }
        if (category) {
            const ProtobufCEnumValue *e = NULL;
            for (unsigned i = 0; i < legalaid__matter_category__descriptor.n_values; i++)
                if (strcasecmp(category, legalaid__matter_category__descriptor.values[i].name) == 0)
                    e = &legalaid__matter_category__descriptor.values[i];
            if (!e || !e->value) return ctl_cases_usage();
            q.has_category = 1;
            q.category = (Legalaid__MatterCategory)e->value;
        }
        if ((from && pbjson_text_time(from, ctl->utc_offset_min, &q.received_from) < 0) ||
            (to && pbjson_text_time(to, ctl->utc_offset_min, &q.received_to) < 0))
            return ctl_cases_usage();
        q.has_received_from = from != NULL;
        q.has_received_to = to != NULL;
        q.county = (char *)county;
        q.station = (char *)station;
        q.lawyer_id = (char *)lawyer;
        q.has_overdue = q.overdue = overdue;
        q.has_limit = 1;
        q.limit = (uint32_t)n;
        q.after = (char *)after;
        a.req.body_case = LEGALAID__REQUEST__BODY_CASES;
        a.req.cases = &q;
    }
    int status = ctl_ask_one(ctl, &a);
    const Legalaid__Reply *r =
        status == CTL_EXIT_OK ? ctl_ask_reply(&a, LEGALAID__REPLY__BODY_CASES) : NULL;
    if (r) ctl_cases_print(ctl, r->cases, after == NULL);
    ctl_ask_free(&a, 1);
    return status;
}
