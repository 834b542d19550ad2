/*
 * intake_person.c - checks of a person (applicant or proxy): identity
 * documents of each type (DOMAIN R-APP-06), phone, name, address. See
 * intake_validate.h.
 */
#include "intake_validate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "clock.h"
#include "i18n.h"

#define NAME_MAX_BYTES LA_PERSON_NAME_MAX /* la_limits.h: legalaidctl checks the same */
#define ADDRESS_MAX_BYTES LA_ADDRESS_MAX

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

const char *intake_person_id_number_problem(const char *id, int64_t now_ms)
{
    return check_resident_id(id, now_ms);
}

/* Counts characters of s in [from, to) that are letters or digits; returns
 * 1 when every one of them is. */
static int all_alnum(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_digit(s[i]) && !is_letter(s[i])) return 0;
    return 1;
}

static int all_digits(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_digit(s[i])) return 0;
    return 1;
}

const char *intake_person_id_type_name(Legalaid__IdType type)
{
    switch (type) {
    case LEGALAID__ID_TYPE__PASSPORT:
        return _("passport number");
    case LEGALAID__ID_TYPE__HK_MACAO_PERMIT:
        return _("Hong Kong/Macao permit number");
    case LEGALAID__ID_TYPE__TAIWAN_PERMIT:
        return _("Taiwan permit number");
    case LEGALAID__ID_TYPE__FOREIGN_PERMANENT_ID:
        return _("foreign permanent residence ID number");
    default:
        return _("resident ID number");
    }
}

const char *intake_person_id_document_problem(Legalaid__IdType type, const char *id, int64_t now_ms)
{
    size_t n = id ? strlen(id) : 0;
    switch (type) {
    case LEGALAID__ID_TYPE__ID_TYPE_UNSPECIFIED:
    case LEGALAID__ID_TYPE__RESIDENT_ID:
        return intake_person_id_number_problem(id, now_ms);
    case LEGALAID__ID_TYPE__PASSPORT:
        if (n == 0) return _("is required");
        if (n < 5 || n > 20 || !all_alnum(id, 0, n)) return _("must be 5-20 letters or digits");
        return NULL;
    case LEGALAID__ID_TYPE__HK_MACAO_PERMIT:
        if (n == 0) return _("is required");
        if ((n != 9 && n != 11) || (id[0] != 'H' && id[0] != 'M' && id[0] != 'h' && id[0] != 'm') ||
            !all_digits(id, 1, n))
            return _("must be H or M followed by 8 or 10 digits");
        return NULL;
    case LEGALAID__ID_TYPE__TAIWAN_PERMIT:
        if (n == 0) return _("is required");
        if (n != 8 || !all_digits(id, 0, n)) return _("must be 8 digits");
        return NULL;
    case LEGALAID__ID_TYPE__FOREIGN_PERMANENT_ID:
        if (n == 0) return _("is required");
        if ((n != 15 && n != 18) || !all_alnum(id, 0, n))
            return _("must be 15 or 18 letters or digits");
        return NULL;
    default:
        return _("has an unknown document type");
    }
}

const char *intake_person_phone_problem(const char *phone)
{
    return check_phone(phone);
}

int intake_person_check(const Legalaid__Person *p, const char *path, int need_id, int need_phone,
                        int64_t now_ms, intake_problem_t *pb)
{
    const char *why;
    if (!p) return intake_problem_set(pb, path, "", _("%s is required"), path);
    if (check_blank(p->name)) return intake_problem_set(pb, path, ".name", _("name is required"));
    if (strlen(p->name) > NAME_MAX_BYTES)
        return intake_problem_set(pb, path, ".name", _("name is longer than %d bytes"),
                                  NAME_MAX_BYTES);
    Legalaid__IdType type = p->has_id_type ? p->id_type : LEGALAID__ID_TYPE__RESIDENT_ID;
    if (p->has_id_type && (type < LEGALAID__ID_TYPE__ID_TYPE_UNSPECIFIED ||
                           type > LEGALAID__ID_TYPE__FOREIGN_PERMANENT_ID))
        return intake_problem_set(pb, path, ".id_type",
                                  _("id_type must be resident_id, passport, hk_macao_permit, "
                                    "taiwan_permit or foreign_permanent_id"));
    if (need_id || (p->id_number && p->id_number[0])) {
        if ((why = intake_person_id_document_problem(type, p->id_number, now_ms)))
            return intake_problem_set(pb, path, ".id_number", _("%s %s"),
                                      intake_person_id_type_name(type), why);
    }
    if (need_phone || (p->phone && p->phone[0])) {
        if ((why = intake_person_phone_problem(p->phone)))
            return intake_problem_set(pb, path, ".phone", _("phone %s"), why);
    }
    if (p->address && strlen(p->address) > ADDRESS_MAX_BYTES)
        return intake_problem_set(pb, path, ".address", _("address is longer than %d bytes"),
                                  ADDRESS_MAX_BYTES);
    return 0;
}
