/*
 * ctl_supply.c - the applicant's own steps after applying, at intake:
 * `legalaidctl supply CASE-ID MATERIAL...` brings in documents after the
 * one notice of what is missing (art. 43(2)) and prints everything
 * received so far; `legalaidctl withdraw CASE-ID REASON` withdraws the
 * application.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "intake.pb-c.h"

/* Prints "materials   a; b; c" from whatever body intake answered with. */
static void ctl_supply_print(const ctl_t *ctl, const char *case_id, const Legalaid__Reply *r)
{
    char *const *items = NULL;
    size_t n = 0;
    if (r->body_case == LEGALAID__REPLY__BODY_APPLICATION && r->application) {
        items = r->application->materials;
        n = r->application->n_materials;
    } else if (r->body_case == LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED &&
               r->application_accepted) {
        items = r->application_accepted->materials_received;
        n = r->application_accepted->n_materials_received;
    } else {
        ctl_show_reply(ctl, case_id, r);
        return;
    }
    if (ctl->json) {
        ctl_show_reply(ctl, case_id, r);
        return;
    }
    printf("case %s: materials received (%zu)\n", case_id, n);
    for (size_t i = 0; i < n; i++) printf("  %s\n", ctl_str(items[i]));
}

int ctl_supply_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 3 || !argv[1][0]) {
        fprintf(stderr, "usage: legalaidctl supply CASE-ID MATERIAL...   (each document brought "
                        "in, like 收入证明 or 劳动合同)\n");
        return CTL_EXIT_FAILURE;
    }
    for (int i = 2; i < argc; i++)
        if (!argv[i][0]) {
            fprintf(stderr, "legalaidctl: supply: material %d is empty; name each document\n",
                    i - 1);
            return CTL_EXIT_FAILURE;
        }
    Legalaid__SupplyMaterials sm = LEGALAID__SUPPLY_MATERIALS__INIT;
    sm.case_id = argv[1];
    sm.n_materials = (size_t)(argc - 2);
    sm.materials = argv + 2;
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    a.req.body_case = LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS;
    a.req.supply_materials = &sm;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) ctl_supply_print(ctl, argv[1], a.reply);
    ctl_asks_free(&a, 1);
    return status;
}

int ctl_withdraw_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc != 3 || !argv[1][0] || !argv[2][0]) {
        fprintf(stderr, "usage: legalaidctl withdraw CASE-ID REASON   (the applicant's own "
                        "words; quote it)\n");
        return CTL_EXIT_FAILURE;
    }
    Legalaid__WithdrawApplication w = LEGALAID__WITHDRAW_APPLICATION__INIT;
    w.case_id = argv[1];
    w.reason = argv[2];
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    a.req.body_case = LEGALAID__REQUEST__BODY_WITHDRAW_APPLICATION;
    a.req.withdraw_application = &w;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) {
        if (ctl->json || (a.reply->body_case != LEGALAID__REPLY__BODY__NOT_SET &&
                          a.reply->body_case != LEGALAID__REPLY__BODY_APPLICATION))
            ctl_show_reply(ctl, argv[1], a.reply);
        else
            printf("case %s: withdrawn by the applicant: %s\n", argv[1], argv[2]);
    }
    ctl_asks_free(&a, 1);
    return status;
}
