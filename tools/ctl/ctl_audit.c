/*
 * ctl_audit.c - legalaidctl audit [--case ID] [--principal NAME]
 * [--since TIME] [--max N]: who did what to which case, from the audit
 * tables of all five daemons, newest first (DESIGN.md "Security").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

typedef struct ctl_audit_row {
    const Legalaid__AuditEntry *e;
} ctl_audit_row_t;

static int ctl_audit_newest_first(const void *a, const void *b)
{
    const Legalaid__AuditEntry *x = ((const ctl_audit_row_t *)a)->e;
    const Legalaid__AuditEntry *y = ((const ctl_audit_row_t *)b)->e;
    if (x->at != y->at) return x->at < y->at ? 1 : -1;
    return strcmp(x->daemon ? x->daemon : "", y->daemon ? y->daemon : "");
}

/* The columns' widths: each holds its text and two spaces. */
static const int ctl_audit_cols[] = {18, 13, 18, 24, 18, 11};

static void ctl_audit_print(const ctl_t *ctl, ctl_audit_row_t *rows, size_t n)
{
    if (ctl->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, ctl_json_from_message(&rows[i].e->base, 0));
        ctl_json_print(arr);
        json_decref(arr);
        return;
    }
    if (!n) {
        printf("%s", _("no audit entries match\n"));
        return;
    }
    static const char *const titles[] = {N_("at"),   N_("daemon"), N_("principal"), N_("action"),
                                         N_("case"), N_("code")};
    for (size_t c = 0; c < sizeof titles / sizeof titles[0]; c++)
        ctl_fmt_cell(_(titles[c]), ctl_audit_cols[c]);
    printf("%s\n", _("detail"));
    for (size_t i = 0; i < n; i++) {
        const Legalaid__AuditEntry *e = rows[i].e;
        char when[CTL_TIME_MAX];
        const ProtobufCEnumValue *v =
            protobuf_c_enum_descriptor_get_value(&legalaid__code__descriptor, e->code);
        const char *cells[] = {ctl_fmt_time(ctl, e->at, when), ctl_fmt_str(e->daemon),
                               ctl_fmt_str(e->principal),     ctl_fmt_str(e->action),
                               ctl_fmt_str(e->case_id),       v ? v->name : "?"};
        for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++)
            ctl_fmt_cell(cells[c], ctl_audit_cols[c]);
        printf("%s", e->detail ? e->detail : "");
        if (e->address && e->address[0]) printf(_(" from %s"), e->address);
        printf("\n");
    }
}

int ctl_audit_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"case", required_argument, NULL, 1},  {"principal", required_argument, NULL, 2},
        {"since", required_argument, NULL, 3}, {"max", required_argument, NULL, 4},
        {NULL, 0, NULL, 0},
    };
    const char *v[4] = {0};
    int first = ctl_args_parse("audit", argc, argv, longopts, v, CTL_ARGS_IN_ORDER);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (first < argc)
        return ctl_help_usage_error("audit", _("'%s': audit takes options only"), argv[first]);
    const char *case_id = v[0], *principal = v[1], *since = v[2], *max = v[3];
    Legalaid__AuditQuery q = LEGALAID__AUDIT_QUERY__INIT;
    q.case_id = (char *)case_id;
    q.principal = (char *)principal;
    if (since) {
        if (ctl_time_parse(ctl, since, &q.since) < 0)
            return ctl_help_usage_error(
                "audit", _("--since %s: give a time like 2026-12-01, 2026-12-01T09:00 or today"), since);
        q.has_since = 1;
    }
    if (max) {
        char *end;
        long m = strtol(max, &end, 10);
        if (*end || m < 1 || m > 5000)
            return ctl_help_usage_error("audit", _("--max %s: give a number from 1 to 5000"), max);
        q.max = (uint32_t)m;
    }
    ctl_ask_t asks[CTL_NDAEMONS];
    for (int i = 0; i < CTL_NDAEMONS; i++)
        ctl_ask_body(&asks[i], (ctl_daemon_t)i, LEGALAID__REQUEST__BODY_AUDIT, &q.base);
    ctl_ask_all(ctl, asks, CTL_NDAEMONS);
    size_t n = 0, cap = 0;
    ctl_audit_row_t *rows = NULL;
    int status = CTL_EXIT_OK;
    for (int i = 0; i < CTL_NDAEMONS; i++) {
        const Legalaid__Reply *r = ctl_ask_reply(&asks[i], LEGALAID__REPLY__BODY_AUDIT_LIST);
        if (!r) {
            char why[1000];
            fprintf(stderr, _("legalaidctl audit: %s\n"),
                    ctl_ask_problem(ctl, &asks[i], why, sizeof why));
            status = CTL_EXIT_REJECTED;
            continue;
        }
        for (size_t j = 0; j < r->audit_list->n_entries; j++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                rows = realloc(rows, cap * sizeof *rows);
                if (!rows) abort();
            }
            rows[n++].e = r->audit_list->entries[j];
        }
    }
    if (status != CTL_EXIT_OK && n == 0) {
        ctl_ask_free(asks, CTL_NDAEMONS);
        return CTL_EXIT_FAILURE;
    }
    qsort(rows, n, sizeof *rows, ctl_audit_newest_first);
    size_t limit = q.max ? q.max : 200;
    ctl_audit_print(ctl, rows, n < limit ? n : limit);
    free(rows);
    ctl_ask_free(asks, CTL_NDAEMONS);
    return status;
}
