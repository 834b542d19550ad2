/*
 * intake_validate.c - see intake_validate.h.
 */
#include "intake_validate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "clock.h"

#define NAME_MAX_BYTES 64
#define MATTER_MAX_BYTES 2000
#define STATION_MAX_BYTES 32

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

const char *intake_id_number_problem(const char *id, int64_t now_ms)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check_chars[] = "10X98765432";
    if (!id || !id[0]) return "is required";
    if (strlen(id) != 18) return "must be 18 characters (17 digits and a check digit or X)";
    for (int i = 0; i < 17; i++)
        if (!is_digit(id[i])) return "must have digits in its first 17 places";
    int province = (id[0] - '0') * 10 + (id[1] - '0');
    if (province < 11 || province > 91) return "has an unknown region code in its first two digits";
    int y = 0, m = 0, dd = 0;
    for (int i = 6; i < 10; i++) y = y * 10 + (id[i] - '0');
    m = (id[10] - '0') * 10 + (id[11] - '0');
    dd = (id[12] - '0') * 10 + (id[13] - '0');
    if (y < 1900 || m < 1 || m > 12 || dd < 1 || dd > days_in_month(y, m))
        return "has an impossible birth date in digits 7-14";
    struct tm tm;
    clock_local_tm(now_ms, &tm);
    long today = (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100L + tm.tm_mday;
    if (y * 10000L + m * 100L + dd > today) return "has a birth date in the future";
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (id[i] - '0') * weights[i];
    char expected = check_chars[sum % 11];
    char got = id[17] == 'x' ? 'X' : id[17];
    if (got != expected) return "has a wrong check digit (mistyped?)";
    return NULL;
}

const char *intake_phone_problem(const char *phone)
{
    return check_phone(phone);
}

static int centre_known(const char *centres, const char *code)
{
    size_t n = strlen(code);
    const char *p = centres;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, code, n) == 0) return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

#define FAIL(f, ...)                          \
    do {                                      \
        *field = (f);                         \
        snprintf(msg, msglen, __VA_ARGS__);   \
        return -1;                            \
    } while (0)

int intake_application_check(const Legalaid__Application *a, const char *centres, int64_t now_ms,
                             const char **field, char *msg, size_t msglen)
{
    const char *why;
    if (!a) FAIL("application", "application is required");
    if (a->case_id) FAIL("application.case_id", "case_id is given by intake; leave it empty");
    if (a->centre && !centre_known(centres, a->centre))
        FAIL("application.centre", "centre '%s' is not one of the configured centres (%s)",
             a->centre, centres);
    if (!a->has_channel || a->channel <= LEGALAID__CHANNEL__CHANNEL_UNSPECIFIED ||
        a->channel > LEGALAID__CHANNEL__AUTHORITY_NOTICE)
        FAIL("application.channel", "channel is required: window, home_visit, workstation, "
                                    "liaison_point, phone, online, custody_forward or authority_notice");
    if (!a->has_category || a->category <= LEGALAID__MATTER_CATEGORY__CATEGORY_UNSPECIFIED ||
        a->category > LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL)
        FAIL("application.category", "category is required: civil, administrative, "
                                     "criminal_defence, criminal_victim, state_compensation, "
                                     "labour_arbitration or compulsory_medical");
    if (a->station && strlen(a->station) > STATION_MAX_BYTES)
        FAIL("application.station", "station code is longer than %d characters", STATION_MAX_BYTES);
    if (a->matter && strlen(a->matter) > MATTER_MAX_BYTES)
        FAIL("application.matter", "matter is longer than %d bytes", MATTER_MAX_BYTES);
    if (a->has_received_at && (a->received_at > now_ms + 5 * 60 * MS_PER_SECOND ||
                               a->received_at < now_ms - 366 * MS_PER_DAY))
        FAIL("application.received_at", "received_at must be within the past year and not in the future");

    int notice = a->channel == LEGALAID__CHANNEL__AUTHORITY_NOTICE;
    const Legalaid__Person *p = a->applicant;
    if (!p) FAIL("application.applicant", "applicant is required (for a notification: the suspect or defendant)");
    if (!p->name || !p->name[0]) FAIL("application.applicant.name", "applicant name is required");
    if (strlen(p->name) > NAME_MAX_BYTES)
        FAIL("application.applicant.name", "applicant name is longer than %d bytes", NAME_MAX_BYTES);
    /* An authority may notify before the defendant's identity is confirmed. */
    if (!notice || (p->id_number && p->id_number[0])) {
        if ((why = intake_id_number_problem(p->id_number, now_ms)))
            FAIL("application.applicant.id_number", "resident ID number %s", why);
    }
    /* A detained applicant (custody_forward, art. 39) or defendant (a
     * notification) has no phone of their own: the centre reaches them
     * through the forwarding facility or the notifying authority. */
    int in_custody = notice || a->channel == LEGALAID__CHANNEL__CUSTODY_FORWARD;
    if (!in_custody || (p->phone && p->phone[0])) {
        if ((why = intake_phone_problem(p->phone)))
            FAIL("application.applicant.phone", "phone %s", why);
    }

    if (notice) {
        const Legalaid__Authority *au = a->authority;
        if (!au) FAIL("application.authority", "a notification must name the notifying authority");
        if (!au->has_kind || au->kind < LEGALAID__AUTHORITY_KIND__COURT ||
            au->kind > LEGALAID__AUTHORITY_KIND__POLICE)
            FAIL("application.authority.kind", "authority kind must be court, procuratorate or police");
        if (!au->name || !au->name[0])
            FAIL("application.authority.name", "authority name is required");
        if (!a->has_ground || a->ground <= LEGALAID__MANDATORY_GROUND__GROUND_UNSPECIFIED ||
            a->ground > LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT)
            FAIL("application.ground", "a notification must give its ground: minor, blind_deaf_mute, "
                                       "mental_capacity, life_or_death, death_review, absentia "
                                       "(art. 25(1)) or compulsory_treatment (art. 28)");
        int medical = a->ground == LEGALAID__MANDATORY_GROUND__COMPULSORY_TREATMENT;
        if (medical && a->category != LEGALAID__MATTER_CATEGORY__COMPULSORY_MEDICAL)
            FAIL("application.category", "ground compulsory_treatment (art. 28) needs category compulsory_medical");
        if (!medical && a->category != LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE)
            FAIL("application.category", "an art. 25(1) notification needs category criminal_defence");
        if (au->phone && au->phone[0] && (why = intake_phone_problem(au->phone)))
            FAIL("application.authority.phone", "authority phone %s", why);
    } else if (a->authority || a->has_ground) {
        FAIL("application.authority", "authority and ground belong only to channel authority_notice");
    }
    return 0;
}
