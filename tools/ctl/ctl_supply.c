/*
 * ctl_supply.c - the applicant's own steps after applying, at intake:
 * `legalaidctl supply CASE-ID MATERIAL...` brings in documents after the
 * one notice of what is missing (art. 43(2)) and prints everything
 * received so far; `legalaidctl withdraw CASE-ID REASON` withdraws the
 * application.
 */
#include <stdio.h>
#include <stdlib.h>
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

static int ctl_supply_usage(void)
{
    fprintf(stderr,
            "usage: legalaidctl supply CASE-ID [MATERIAL...] [--commitment-signed] [--income YUAN]\n"
            "                          [--proof KIND]\n"
            "  MATERIAL            each document brought in, like 收入证明 or 劳动合同\n"
            "  --commitment-signed the applicant signed the commitment letter (art. 41)\n"
            "  --income YUAN       household income per head per month, from the statement\n"
            "  --proof KIND        no_fixed_income, social_assistance, judicial_assistance,\n"
            "                      special_care or migrant_wages_or_injury (art. 42)\n");
    return CTL_EXIT_FAILURE;
}

/* The HardshipProof value named by text (lower-case or .proto name), or -1. */
static int ctl_supply_proof(const char *text)
{
    const ProtobufCEnumDescriptor *desc = &legalaid__hardship_proof__descriptor;
    for (unsigned i = 0; i < desc->n_values; i++) {
        const char *name = desc->values[i].name;
        if (desc->values[i].value == 0) continue;
        size_t n = strlen(name);
        if (strlen(text) != n) continue;
        size_t k = 0;
        while (k < n && (text[k] == name[k] || text[k] == name[k] - 'A' + 'a')) k++;
        if (k == n) return desc->values[i].value;
    }
    return -1;
}

int ctl_supply_run(ctl_t *ctl, int argc, char **argv)
{
    if (argc < 3 || !argv[1][0]) return ctl_supply_usage();
    Legalaid__SupplyMaterials sm = LEGALAID__SUPPLY_MATERIALS__INIT;
    sm.case_id = argv[1];
    char **materials = calloc((size_t)argc, sizeof *materials);
    if (!materials) return CTL_EXIT_FAILURE;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--commitment-signed")) {
            sm.has_commitment_signed = sm.commitment_signed = 1;
        } else if (!strcmp(arg, "--income") && i + 1 < argc) {
            char *end;
            double yuan = strtod(argv[++i], &end);
            if (*end || end == argv[i] || yuan < 0 || yuan > 1e9) {
                fprintf(stderr, "legalaidctl: supply: --income '%s' is not an amount in yuan\n",
                        argv[i]);
                free(materials);
                return CTL_EXIT_FAILURE;
            }
            sm.has_household_income_fen = 1;
            sm.household_income_fen = (int64_t)(yuan * 100 + 0.5);
        } else if (!strcmp(arg, "--proof") && i + 1 < argc) {
            int proof = ctl_supply_proof(argv[++i]);
            if (proof < 0) {
                fprintf(stderr, "legalaidctl: supply: --proof '%s' is not a proof of status\n",
                        argv[i]);
                free(materials);
                return ctl_supply_usage();
            }
            sm.has_hardship_proof = 1;
            sm.hardship_proof = (Legalaid__HardshipProof)proof;
        } else if (arg[0] == '-' && arg[1] == '-') {
            free(materials);
            return ctl_supply_usage();
        } else if (!arg[0]) {
            fprintf(stderr, "legalaidctl: supply: material %d is empty; name each document\n",
                    (int)sm.n_materials + 1);
            free(materials);
            return CTL_EXIT_FAILURE;
        } else {
            materials[sm.n_materials++] = argv[i];
        }
    }
    if (!sm.n_materials && !sm.has_commitment_signed && !sm.has_household_income_fen &&
        !sm.has_hardship_proof) {
        free(materials);
        return ctl_supply_usage();
    }
    sm.materials = materials;
    ctl_ask_t a;
    ctl_ask_init(&a, CTL_INTAKE);
    a.req.body_case = LEGALAID__REQUEST__BODY_SUPPLY_MATERIALS;
    a.req.supply_materials = &sm;
    int status = ctl_ask_one(ctl, &a);
    if (status == CTL_EXIT_OK) ctl_supply_print(ctl, argv[1], a.reply);
    ctl_asks_free(&a, 1);
    free(materials);
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
