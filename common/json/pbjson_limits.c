/*
 * pbjson_limits.c - each field's limit, checked on every line of a file
 * before it is sent (apply, consult, import of every kind, the duty log),
 * so that a 2 MB `matter` is "line N: field matter: longer than 2,000
 * bytes" and not a frame the daemon refuses whole. The values are
 * la_limits.h's, the same the daemons check; the walk and the words are
 * common/fieldtext.c's, the same every daemon runs on every request (a
 * text of a field not listed here may be up to LA_FIELD_MAX).
 */
#include <string.h>

#include "pbjson.h"
#include "dispatch.pb-c.h"
#include "fieldtext.h"
#include "intake.pb-c.h"
#include "la_limits.h"
#include "roster.pb-c.h"

typedef struct pbjson_limit {
    const ProtobufCMessageDescriptor *desc;
    const char *field;
    size_t bytes; /* of each text; 0: LA_FIELD_MAX */
    size_t items; /* of a list; 0: no count */
} pbjson_limit_t;

static const pbjson_limit_t pbjson_limits[] = {
    /* intake (intake_validate.c, intake_person.c) */
    {&legalaid__application__descriptor, "matter", LA_MATTER_MAX, 0},
    {&legalaid__application__descriptor, "station", LA_DESK_MAX, 0},
    {&legalaid__application__descriptor, "custody_facility", LA_FACILITY_MAX, 0},
    {&legalaid__application__descriptor, "opposing_party", LA_PARTY_MAX, 0},
    {&legalaid__application__descriptor, "county", LA_COUNTY_MAX, 0},
    {&legalaid__application__descriptor, "co_defendants", 0, LA_CO_DEFENDANTS_MAX},
    {&legalaid__application__descriptor, "related_cases", LA_CASE_REFERENCE_MAX,
     LA_RELATED_CASES_MAX},
    {&legalaid__application__descriptor, "materials", LA_MATERIAL_MAX, LA_MATERIALS_MAX},
    {&legalaid__proxy__descriptor, "relationship", LA_RELATIONSHIP_MAX, 0},
    {&legalaid__proxy__descriptor, "proof_of_authority", LA_PROOF_MAX, 0},
    {&legalaid__person__descriptor, "name", LA_PERSON_NAME_MAX, 0},
    {&legalaid__authority__descriptor, "name", LA_AUTHORITY_NAME_MAX, 0},
    {&legalaid__authority__descriptor, "reference", LA_CASE_REFERENCE_MAX, 0},
    {&legalaid__person__descriptor, "address", LA_ADDRESS_MAX, 0},
    {&legalaid__consultation__descriptor, "station", LA_DESK_MAX, 0},
    {&legalaid__consultation__descriptor, "topic", LA_TOPIC_MAX, 0},
    {&legalaid__consultation__descriptor, "person_name", LA_PERSON_NAME_MAX, 0},
    /* dispatch (dispatch_import.c) */
    {&legalaid__lawyer__descriptor, "id", LA_LAWYER_ID_MAX, 0},
    {&legalaid__lawyer__descriptor, "name", LA_NAME_MAX, 0},
    {&legalaid__lawyer__descriptor, "firm", LA_NAME_MAX, 0},
    {&legalaid__lawyer__descriptor, "county", LA_COUNTY_MAX, 0},
    {&legalaid__lawyer__descriptor, "counties", LA_COUNTY_MAX, 0},
    /* roster (roster_validate.c, roster_agreement.c, roster_template.c, roster_request.c) */
    {&legalaid__station__descriptor, "code", LA_STATION_MAX, 0},
    {&legalaid__station__descriptor, "name", LA_NAME_MAX, 0},
    {&legalaid__station__descriptor, "county", LA_COUNTY_MAX, 0},
    {&legalaid__shift__descriptor, "station", LA_STATION_MAX, 0},
    {&legalaid__shift__descriptor, "lawyer_id", LA_LAWYER_ID_MAX, 0},
    {&legalaid__shift__descriptor, "lawyer_name", LA_NAME_MAX, 0},
    {&legalaid__shift_template__descriptor, "station", LA_STATION_MAX, 0},
    {&legalaid__agreement__descriptor, "firm", LA_NAME_MAX, 0},
    {&legalaid__agreement__descriptor, "stations", LA_STATION_MAX, 0},
    {&legalaid__duty_lawyer__descriptor, "id", LA_LAWYER_ID_MAX, 0},
    {&legalaid__duty_lawyer__descriptor, "name", LA_NAME_MAX, 0},
    {&legalaid__duty_log__descriptor, "charge", LA_NOTE_MAX, 0},
    {&legalaid__duty_log__descriptor, "question", LA_NOTE_MAX, 0},
    {&legalaid__duty_log__descriptor, "help_given", LA_NOTE_MAX, 0},
};
#define PBJSON_N_LIMITS (sizeof pbjson_limits / sizeof pbjson_limits[0])

static void pbjson_limits_of(const ProtobufCMessageDescriptor *desc, const ProtobufCFieldDescriptor *f,
                          fieldtext_limit_t *lim)
{
    for (size_t i = 0; i < PBJSON_N_LIMITS; i++)
        if (pbjson_limits[i].desc == desc && strcmp(pbjson_limits[i].field, f->name) == 0) {
            lim->bytes = pbjson_limits[i].bytes;
            lim->items = pbjson_limits[i].items;
            return;
        }
}

int pbjson_limits_check(const ProtobufCMessage *m, pbjson_error_t *err)
{
    return fieldtext_check(m, "", pbjson_limits_of, err->field, sizeof err->field, err->message,
                           sizeof err->message);
}
