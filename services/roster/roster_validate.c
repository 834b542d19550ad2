/*
 * roster_validate.c - the field rules of imported stations and shifts:
 * pure checks, each naming the sub-field at fault and saying what is wrong
 * in words a roster clerk understands (roster_int.h). No storage: the
 * existence of the station and the conflicts with other shifts are checked
 * by roster_assign.c. Codes and lawyer ids become parts of LMDB keys, so
 * their length and characters are bounded here.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "i18n.h"
#include "roster_int.h"

/* Station codes: 1-16 of A-Z, 0-9 and '-' ("KDL-COURT", "BT-DC1"). */
static int roster_code_valid(const char *code)
{
    size_t n = strlen(code);
    if (n == 0 || n > LA_STATION_MAX) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return 0;
    }
    return 1;
}

int roster_validate_station(const Legalaid__Station *st, const char **field, char *msg, size_t size)
{
    if (!st) return check_fail(field, "code", msg, size, _("the station record is empty"));
    if (check_blank(st->code)) return check_fail(field, "code", msg, size, _("code is required"));
    if (!roster_code_valid(st->code))
        return check_fail(field, "code", msg, size,
                          _("code must be 1 to %d characters of A-Z, 0-9 and '-' (like KDL-COURT)"),
                          LA_STATION_MAX);
    if (check_blank(st->name))
        return check_fail(field, "name", msg, size, _("name is required (station %s)"), st->code);
    if (strlen(st->name) > LA_NAME_MAX)
        return check_fail(field, "name", msg, size, _("name is longer than %d bytes"), LA_NAME_MAX);
    if (!st->has_kind || st->kind == LEGALAID__STATION_KIND__STATION_UNSPECIFIED)
        return check_fail(field, "kind", msg, size,
                          _("kind is required: court, procuratorate, detention centre, service "
                            "window or workstation"));
    if (!protobuf_c_enum_descriptor_get_value(&legalaid__station_kind__descriptor, st->kind))
        return check_fail(field, "kind", msg, size, _("kind %d is not a known station kind"),
                          (int)st->kind);
    if (st->county && strlen(st->county) > LA_COUNTY_MAX)
        return check_fail(field, "county", msg, size, _("county is longer than %d bytes"),
                          LA_COUNTY_MAX);
    return 0;
}

int roster_validate_shift(const Legalaid__Shift *sh, const char **field, char *msg, size_t size)
{
    if (!sh) return check_fail(field, "station", msg, size, _("the shift record is empty"));
    if (check_blank(sh->station))
        return check_fail(field, "station", msg, size, _("station is required"));
    if (!roster_code_valid(sh->station))
        return check_fail(field, "station", msg, size,
                          _("station must be a station code (1 to %d characters of A-Z, 0-9, '-')"),
                          LA_STATION_MAX);
    if (check_blank(sh->lawyer_id))
        return check_fail(field, "lawyer_id", msg, size, _("lawyer_id is required"));
    if (check_key_text(sh->lawyer_id, LA_LAWYER_ID_MAX))
        return check_fail(field, "lawyer_id", msg, size,
                          _("lawyer_id must be 1 to %d printable characters without spaces"),
                          LA_LAWYER_ID_MAX);
    if (check_blank(sh->lawyer_name))
        return check_fail(field, "lawyer_name", msg, size, _("lawyer_name is required"));
    if (strlen(sh->lawyer_name) > LA_NAME_MAX)
        return check_fail(field, "lawyer_name", msg, size, _("lawyer_name is longer than %d bytes"),
                          LA_NAME_MAX);
    const char *why;
    if (sh->lawyer_phone && sh->lawyer_phone[0] && (why = check_phone(sh->lawyer_phone)))
        return check_fail(field, "lawyer_phone", msg, size, _("lawyer_phone %s"), why);
    if (!sh->has_starts_at || sh->starts_at <= 0)
        return check_fail(field, "starts_at", msg, size,
                          _("starts_at is required (ms since the epoch)"));
    if (!sh->has_ends_at || sh->ends_at <= 0)
        return check_fail(field, "ends_at", msg, size,
                          _("ends_at is required (ms since the epoch)"));
    if (sh->ends_at <= sh->starts_at) {
        char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
        return check_fail(field, "ends_at", msg, size,
                          _("the shift ends (%s) before it starts (%s)"),
                          clock_local_text(sh->ends_at, b), clock_local_text(sh->starts_at, a));
    }
    if (sh->ends_at - sh->starts_at > ROSTER_SHIFT_MAX_MS)
        return check_fail(field, "ends_at", msg, size,
                          _("a shift lasts at most 24 hours; this one lasts %lld minutes"),
                          (long long)((sh->ends_at - sh->starts_at) / 60000));
    if (!sh->has_role ||
        (sh->role != LEGALAID__SHIFT_ROLE__PRIMARY && sh->role != LEGALAID__SHIFT_ROLE__BACKUP))
        return check_fail(field, "role", msg, size,
                          _("role is required: PRIMARY (the A post) or BACKUP (the B post)"));
    if (sh->has_mode && sh->mode != LEGALAID__DUTY_MODE__MODE_UNSPECIFIED &&
        !protobuf_c_enum_descriptor_get_value(&legalaid__duty_mode__descriptor, sh->mode))
        return check_fail(field, "mode", msg, size,
                          _("mode %d is not ON_SITE, BY_PHONE or ONLINE_DUTY"), (int)sh->mode);
    return 0;
}
