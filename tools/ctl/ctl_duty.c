/*
 * ctl_duty.c - `legalaidctl duty STATION [TIME]`: who is on duty at a
 * station (the A post, then the B post; DOMAIN "AB posts"), with their
 * hours, how they serve, a masked phone and whether they checked in (or
 * were absent and the B post activated). TIME is ISO 8601, "HH:MM"
 * today, or "now" (the roster's clock) when left out.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "ctl.h"
#include "roster.pb-c.h"

/* "HH:MM" is today at that time (at the configured offset). */
static int ctl_duty_time(const ctl_t *ctl, const char *text, int64_t *at)
{
    int h, m;
    char rest;
    if (sscanf(text, "%2d:%2d%c", &h, &m, &rest) == 2 && h >= 0 && h < 24 && m >= 0 && m < 60) {
        int64_t offset_ms = (int64_t)ctl->utc_offset_min * 60000;
        int64_t local = clock_now_ms() + offset_ms;
        int64_t midnight = local - ((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
        *at = midnight + h * MS_PER_HOUR + m * 60000LL - offset_ms;
        return 0;
    }
    return ctl_time_parse(text, ctl->utc_offset_min, at);
}

static void ctl_duty_print(const ctl_t *ctl, const Legalaid__DutyAnswer *ans)
{
    char kind[CTL_ENUM_MAX], role[CTL_ENUM_MAX], mode[CTL_ENUM_MAX], t[CTL_TIME_MAX],
        a[CTL_TIME_MAX], b[CTL_TIME_MAX], phone[64];
    const Legalaid__Station *st = ans->station;
    if (st)
        printf("%s  %s (%s%s%s)\n", ctl_str(st->code), ctl_str(st->name),
               ctl_enum_text(&legalaid__station_kind__descriptor, st->kind, kind),
               st->county ? ", " : "", ctl_str(st->county));
    printf("on duty at %s\n", ctl_time_format(ctl, ans->at, t));
    if (ans->n_on_duty == 0) printf("  nobody: no shift covers this time\n");
    for (size_t i = 0; i < ans->n_on_duty; i++) {
        const Legalaid__Shift *sh = ans->on_duty[i];
        printf("  %-2s %s [%s]  %s-%s  %s  %s",
               ctl_enum_text(&legalaid__shift_role__descriptor, sh->role, role),
               ctl_str(sh->lawyer_name), ctl_str(sh->lawyer_id),
               ctl_clock_format(ctl, sh->starts_at, a), ctl_clock_format(ctl, sh->ends_at, b),
               sh->has_mode && sh->mode
                   ? ctl_enum_text(&legalaid__duty_mode__descriptor, sh->mode, mode)
                   : "on_site",
               ctl_mask_phone(sh->lawyer_phone, phone, sizeof phone));
        /* Check-in state, when there is one: the desk sees who is really there. */
        if (sh->has_checked_in_at) printf("  checked in %s", ctl_clock_format(ctl, sh->checked_in_at, a));
        if (sh->has_checked_out_at) printf(", out %s", ctl_clock_format(ctl, sh->checked_out_at, b));
        if (sh->has_absent && sh->absent) printf("  ABSENT (B activated)");
        if (sh->has_backup_activated && sh->backup_activated) printf("  ACTIVATED");
        printf("\n");
    }
}

int ctl_duty_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: legalaidctl [--json] duty STATION [TIME]   "
                        "(TIME: 2026-03-02T10:00:00+08:00, 10:00 today, or now)\n");
        return CTL_EXIT_FAILURE;
    }
    Legalaid__DutyQuery q = LEGALAID__DUTY_QUERY__INIT;
    q.station = argv[1];
    if (argc == 3 && strcmp(argv[2], "now") != 0) {
        if (ctl_duty_time(ctl, argv[2], &q.at) < 0) {
            fprintf(stderr,
                    "legalaidctl: duty: '%s' is not a time: write 2026-03-02T10:00:00+08:00, "
                    "10:00 (today) or now\n",
                    argv[2]);
            return CTL_EXIT_FAILURE;
        }
        q.has_at = 1;
    }
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_ROSTER);
    a.req.body_case = LEGALAID__REQUEST__BODY_DUTY_QUERY;
    a.req.duty_query = &q;
    ctl_asks_run(ctl, &a, 1);
    int status = CTL_EXIT_OK;
    char why[1024];
    if (a.rc != 0 || !a.reply) {
        fprintf(stderr, "legalaidctl: %s\n", ctl_ask_problem(ctl, &a, why, sizeof why));
        status = CTL_EXIT_FAILURE;
    } else if (!ctl_ask_ok(&a) || a.reply->body_case != LEGALAID__REPLY__BODY_DUTY_ANSWER) {
        if (ctl->json)
            ctl_json_print(ctl_json_from_message(&a.reply->base, 1));
        else
            fprintf(stderr, "legalaidctl: %s\n", ctl_ask_problem(ctl, &a, why, sizeof why));
        status = CTL_EXIT_REJECTED;
    } else if (ctl->json) {
        ctl_json_print(ctl_json_from_message(&a.reply->duty_answer->base, 1));
    } else {
        ctl_duty_print(ctl, a.reply->duty_answer);
    }
    ctl_asks_free(&a, 1);
    return status;
}
