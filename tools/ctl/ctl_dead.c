/*
 * ctl_dead.c - the dead letters of a daemon, for operations staff:
 * `legalaidctl dead-letters NAME` lists them (most recent first) with the
 * event and why it could not be applied; `legalaidctl redrive NAME ID`
 * applies one again once its cause is mended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static int ctl_dead_daemon(const char *name, const char *cmd)
{
    int d = name ? ctl_daemon_find(name) : -1;
    if (d < 0)
        fprintf(stderr,
                "legalaidctl: %s: '%s' is not a daemon (intake, eligibility, dispatch, roster, "
                "notify)\n",
                cmd, name ? name : "");
    return d;
}

static void ctl_dead_print(const ctl_t *ctl, const char *daemon, const Legalaid__DeadLetterList *l)
{
    if (ctl->json) {
        ctl_json_print(ctl_json_from_message(&l->base, 1));
        return;
    }
    printf("%s: %llu dead letter%s\n", daemon, (unsigned long long)l->total, l->total == 1 ? "" : "s");
    for (size_t i = 0; i < l->n_dead_letters; i++) {
        const Legalaid__DeadLetter *dl = l->dead_letters[i];
        char when[CTL_TIME_MAX];
        printf("  %-6llu %s  %s:%llu  case %s\n         %s\n", (unsigned long long)dl->id,
               ctl_time_format(ctl, dl->at, when), dl->stream ? dl->stream : "-",
               (unsigned long long)dl->seq,
               dl->event && dl->event->case_id && dl->event->case_id[0] ? dl->event->case_id : "-",
               dl->reason ? dl->reason : "-");
    }
}

int ctl_dead_letters_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: legalaidctl dead-letters NAME   (a daemon: intake, eligibility, "
                        "dispatch, roster, notify)\n");
        return CTL_EXIT_FAILURE;
    }
    int d = ctl_dead_daemon(argv[1], "dead-letters");
    if (d < 0) return CTL_EXIT_FAILURE;
    Legalaid__DeadLettersQuery q = LEGALAID__DEAD_LETTERS_QUERY__INIT;
    ctl_ask_t a;
    ctl_ask_init(&a, (ctl_daemon_t)d);
    a.req.body_case = LEGALAID__REQUEST__BODY_DEAD_LETTERS;
    a.req.dead_letters = &q;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK && a.reply->body_case == LEGALAID__REPLY__BODY_DEAD_LETTER_LIST)
        ctl_dead_print(ctl, argv[1], a.reply->dead_letter_list);
    ctl_asks_free(&a, 1);
    return status;
}

int ctl_redrive_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: legalaidctl redrive NAME ID   (an id from legalaidctl "
                        "dead-letters NAME)\n");
        return CTL_EXIT_FAILURE;
    }
    int d = ctl_dead_daemon(argv[1], "redrive");
    if (d < 0) return CTL_EXIT_FAILURE;
    char *end;
    unsigned long long id = strtoull(argv[2], &end, 10);
    if (*end || end == argv[2] || id == 0) {
        fprintf(stderr, "legalaidctl: redrive: '%s' is not a dead-letter id\n", argv[2]);
        return CTL_EXIT_FAILURE;
    }
    Legalaid__RedriveDeadLetter r = LEGALAID__REDRIVE_DEAD_LETTER__INIT;
    r.id = id;
    r.has_id = 1;
    ctl_ask_t a;
    ctl_ask_init(&a, (ctl_daemon_t)d);
    a.req.body_case = LEGALAID__REQUEST__BODY_REDRIVE_DEAD_LETTER;
    a.req.redrive_dead_letter = &r;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        if (!ctl->json) printf("%s: dead letter %llu applied\n", argv[1], id);
        if (a.reply->body_case == LEGALAID__REPLY__BODY_DEAD_LETTER_LIST)
            ctl_dead_print(ctl, argv[1], a.reply->dead_letter_list);
    }
    ctl_asks_free(&a, 1);
    return status;
}
