/*
 * ctl_daily.c - `legalaidctl daily`: what the daemons counted by day
 * (common/daily.h), the figures behind the board's charts: applications
 * received and first decisions (eligibility), assignments (dispatch), with
 * the median and 90th percentile of the time each took.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"
#include "pbjson.h"

/* The daemons' series (eligibility_case.c, dispatch_store.c), listed for
 * the catalogue: each is shown to people by _(name). */
static const char *const ctl_daily_series[] = {N_("applications"), N_("decision_seconds"),
                                               N_("assign_seconds")};

/* A duration for people: minutes, hours or days. */
static void ctl_daily_duration(int64_t ms, char *buf, size_t size)
{
    if (ms <= 0)
        snprintf(buf, size, "-");
    else if (ms < 3600000LL)
        snprintf(buf, size, _("%lldmin"), (long long)(ms / 60000));
    else if (ms < 2 * 86400000LL)
        snprintf(buf, size, _("%.1fh"), (double)ms / 3600000.0);
    else
        snprintf(buf, size, _("%.1fd"), (double)ms / 86400000.0);
}

static void ctl_daily_print(const Legalaid__DailyFigures *f, int all_days)
{
    for (size_t i = 0; i < f->n_series; i++) {
        const Legalaid__DailySeries *s = f->series[i];
        char p50[32], p90[32];
        ctl_daily_duration(s->p50_ms, p50, sizeof p50);
        ctl_daily_duration(s->p90_ms, p90, sizeof p90);
        ctl_fmt_cell(ctl_fmt_str(f->daemon), 13);
        const char *name = ctl_fmt_str(s->name);
        for (size_t k = 0; k < sizeof ctl_daily_series / sizeof ctl_daily_series[0]; k++)
            if (strcmp(name, ctl_daily_series[k]) == 0) name = _(ctl_daily_series[k]);
        ctl_fmt_cell(name, 19);
        printf(_("%6llu over %zu days"), (unsigned long long)s->count, s->n_points);
        if (s->p50_ms) printf(_("  median %s  p90 %s"), p50, p90);
        printf("\n");
        for (size_t d = 0; d < s->n_points; d++) {
            const Legalaid__DailyPoint *p = s->points[d];
            if (!p->count && !all_days) continue;
            ctl_daily_duration(p->p50_ms, p50, sizeof p50);
            ctl_daily_duration(p->p90_ms, p90, sizeof p90);
            printf("  %s %6llu", ctl_fmt_str(p->day), (unsigned long long)p->count);
            if (p->p50_ms) {
                printf("  %s ", _("median"));
                ctl_fmt_cell(p50, 8);
                printf(" p90 %s", p90);
            }
            printf("\n");
        }
    }
}

int ctl_daily_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"days", required_argument, NULL, 1},
        {"until", required_argument, NULL, 2},
        {"all-days", no_argument, NULL, 3},
        {NULL, 0, NULL, 0},
    };
    const char *v[3] = {0};
    int first = ctl_args_parse("daily", argc, argv, longopts, v, CTL_ARGS_IN_ORDER);
    if (first < 0) return CTL_EXIT_FAILURE;
    if (first < argc)
        return ctl_help_usage_error("daily", _("'%s': daily takes options only"), argv[first]);
    const char *days = v[0], *until = v[1];
    int all_days = v[2] != NULL;
    char *end = NULL;
    long n = days ? strtol(days, &end, 10) : 90;
    int64_t until_ms = 0;
    if (days && (*end || n < 1 || n > 400))
        return ctl_help_usage_error("daily", _("--days %s: give a number from 1 to 400"), days);
    if (until && ctl_time_parse(ctl, until, &until_ms) < 0)
        return ctl_help_usage_error("daily", _("--until %s: give a date or time (ISO 8601)"),
                                    until);
    Legalaid__DailyQuery q = LEGALAID__DAILY_QUERY__INIT;
    q.days = (uint32_t)n;
    q.has_days = 1;
    q.until = until_ms;
    q.has_until = until_ms != 0;
    /* The daemons that keep figures by day. */
    static const ctl_daemon_t keep[] = {CTL_ELIGIBILITY, CTL_DISPATCH};
    enum { N_KEEP = sizeof keep / sizeof keep[0] };
    ctl_ask_t asks[N_KEEP];
    for (size_t i = 0; i < N_KEEP; i++) {
        ctl_ask_init(&asks[i], keep[i]);
        asks[i].req.body_case = LEGALAID__REQUEST__BODY_DAILY;
        asks[i].req.daily = &q;
    }
    ctl_ask_all(ctl, asks, N_KEEP);
    int status = CTL_EXIT_OK;
    char why[1024];
    json_t *arr = ctl->json ? json_array() : NULL;
    for (size_t i = 0; i < N_KEEP; i++) {
        const Legalaid__Reply *r = ctl_ask_reply(&asks[i], LEGALAID__REPLY__BODY_DAILY);
        if (!r) {
            fprintf(stderr, _("legalaidctl daily: %s: %s\n"), ctl_daemon_names[keep[i]],
                    ctl_ask_problem(ctl, &asks[i], why, sizeof why));
            status = CTL_EXIT_FAILURE;
            continue;
        }
        if (arr)
            json_array_append_new(arr, ctl_json_from_message(&r->daily->base, 1));
        else
            ctl_daily_print(r->daily, all_days);
    }
    if (arr) ctl_json_print(arr);
    ctl_ask_free(asks, N_KEEP);
    return status;
}
