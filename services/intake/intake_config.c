/*
 * intake_config.c - the [intake] keys with their defaults, a file of their
 * own so that every binary knows them (common/sections) without intake.
 */
#include <stddef.h>

#include "intake.h"

#define OFF(f) offsetof(intake_config_t, f)
const cfg_key_t intake_config_keys[] = {
    {"centres", CFG_STRING, "BT", 0, 0, OFF(centres),
     "legal-aid centre codes, comma-separated; the first is the default for case numbers"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};
