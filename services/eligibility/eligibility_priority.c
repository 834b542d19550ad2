/*
 * eligibility_priority.c - the priority step of the rules (see
 * eligibility_priority.h):
 *
 *   green channel  migrant workers (农民工工资支付条例 art. 45), the elderly from
 *                  green_channel_age_min (老年人权益保障法; 65 in Baotou), people
 *                  with disabilities (残疾人保障法 art. 60), minors (未成年人保护法
 *                  art. 104), left-behind women and children (local), military
 *                  families and veterans (军人地位和权益保障法 art. 61, 退役军人
 *                  保障法 art. 70): priority review, acceptance and assignment
 *                  (DOMAIN R-PRIO-02..07)
 *   emergency      Legal Aid Law art. 44: a limitation period or deadline
 *                  closer than urgent_deadline_days; aid may start before
 *                  the review ends
 *   same day       Baotou's "五个当天" for the categories configured as simple
 *                  (R-PRIO-08): applied, accepted, approved, assigned and
 *                  aided on the day of application
 */
#include "eligibility_priority.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "eligibility_int.h"

int eligibility_priority_age(const char *id_number, int64_t at_ms)
{
    if (!id_number || strlen(id_number) != 18) return -1;
    for (int i = 6; i < 14; i++)
        if (!isdigit((unsigned char)id_number[i])) return -1;
    int year = 0, month = 0, day = 0;
    for (int i = 6; i < 10; i++) year = year * 10 + (id_number[i] - '0');
    for (int i = 10; i < 12; i++) month = month * 10 + (id_number[i] - '0');
    for (int i = 12; i < 14; i++) day = day * 10 + (id_number[i] - '0');
    if (year < 1880 || month < 1 || month > 12 || day < 1 || day > 31) return -1;
    struct tm now;
    clock_local_tm(at_ms, &now);
    int age = now.tm_year + 1900 - year;
    if (now.tm_mon + 1 < month || (now.tm_mon + 1 == month && now.tm_mday < day)) age--;
    return age < 0 ? -1 : age;
}

/* A green-channel group as a param (decisiontext_table.c words it). */
static const char *eligibility_priority_group_code(Legalaid__SpecialGroup g)
{
    switch (g) {
    case LEGALAID__SPECIAL_GROUP__MIGRANT_WORKER:
        return "@group.migrant_worker";
    case LEGALAID__SPECIAL_GROUP__ELDERLY:
        return "@group.elderly";
    case LEGALAID__SPECIAL_GROUP__DISABLED:
        return "@group.disabled";
    case LEGALAID__SPECIAL_GROUP__MINOR_PARTY:
        return "@group.minor";
    case LEGALAID__SPECIAL_GROUP__LEFT_BEHIND_WOMAN:
        return "@group.left_behind_woman";
    case LEGALAID__SPECIAL_GROUP__LEFT_BEHIND_CHILD:
        return "@group.left_behind_child";
    case LEGALAID__SPECIAL_GROUP__MILITARY_FAMILY:
        return "@group.military_family";
    case LEGALAID__SPECIAL_GROUP__VETERAN:
        return "@group.veteran";
    default:
        return NULL; /* not a green-channel group */
    }
}

static void eligibility_priority_add_group(Legalaid__Priority *p, Legalaid__SpecialGroup g)
{
    for (size_t i = 0; i < p->n_groups; i++)
        if (p->groups[i] == g) return;
    p->groups[p->n_groups++] = g;
}

/* The green-channel groups of a: those given, plus elderly or minor by the
 * birth date in a resident ID. Returns the finding for the test. */
static decisiontext_t eligibility_priority_green(const Legalaid__Application *a,
                                              const eligibility_config_t *cfg, arena_t *arena,
                                              Legalaid__Priority *p)
{
    p->groups = arena_alloc(arena, (a->n_groups + 2) * sizeof *p->groups);
    for (size_t i = 0; i < a->n_groups; i++)
        if (eligibility_priority_group_code(a->groups[i]))
            eligibility_priority_add_group(p, a->groups[i]);
    const Legalaid__Person *who = a->applicant;
    int resident = who && (!who->has_id_type || who->id_type == LEGALAID__ID_TYPE__RESIDENT_ID ||
                           who->id_type == LEGALAID__ID_TYPE__ID_TYPE_UNSPECIFIED);
    int age = resident ? eligibility_priority_age(who->id_number, a->received_at) : -1;
    if (age >= cfg->green_channel_age_min)
        eligibility_priority_add_group(p, LEGALAID__SPECIAL_GROUP__ELDERLY);
    if (age >= 0 && age < 18)
        eligibility_priority_add_group(p, LEGALAID__SPECIAL_GROUP__MINOR_PARTY);
    p->green_channel = p->n_groups > 0;
    p->has_green_channel = 1;
    /* The groups as one param: "@group.list" g1 "@group.list" g2 g3 ... */
    decisiontext_t groups = {0};
    for (size_t i = p->n_groups; i-- > 0;) {
        const char *g = eligibility_priority_group_code(p->groups[i]);
        groups = groups.code ? ELIGIBILITY_TEXT(arena, "group.list", g, DECISIONTEXT_NEST, &groups)
                             : ELIGIBILITY_TEXT(arena, "text", g);
    }
    decisiontext_t aged = {0};
    if (age >= 0) aged = ELIGIBILITY_TEXT(arena, "green.aged", decisiontext_num(arena, age));
    const char *from = decisiontext_num(arena, cfg->green_channel_age_min);
    if (!p->green_channel)
        return ELIGIBILITY_TEXT(arena, "green.none", from, DECISIONTEXT_NEST, &aged);
    return ELIGIBILITY_TEXT(arena, "green.groups", DECISIONTEXT_NEST, &groups, DECISIONTEXT_NEST,
                            &aged, from);
}

/* Whether category is listed (lower-case proto name) in the comma list. */
static int eligibility_priority_same_day(const char *list, Legalaid__MatterCategory category)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&legalaid__matter_category__descriptor, category);
    if (!v || !list) return 0;
    size_t nlen = strlen(v->name);
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ') p++;
        size_t len = strcspn(p, ",");
        size_t trimmed = len;
        while (trimmed && p[trimmed - 1] == ' ') trimmed--;
        if (trimmed == nlen) {
            size_t i = 0;
            while (i < nlen && tolower((unsigned char)p[i]) == tolower((unsigned char)v->name[i]))
                i++;
            if (i == nlen) return 1;
        }
        p += len;
    }
    return 0;
}

void eligibility_priority_assess(const Legalaid__Application *a, const eligibility_config_t *cfg,
                                 arena_t *arena, Legalaid__Decision *d)
{
    Legalaid__Priority *p = ARENA_NEW(arena, Legalaid__Priority, legalaid__priority__init);
    d->priority = p;
    decisiontext_t green = eligibility_priority_green(a, cfg, arena, p);
    eligibility_decision_explained(arena, d, "green channel", p->green_channel, NULL, green);

    /* Art. 44(1): a limitation period or deadline about to expire. Days
     * are counted between local calendar days (R-TIME-00). */
    p->has_emergency = 1;
    if (a->has_limitation_deadline && a->limitation_deadline > 0) {
        int64_t days = clock_local_day(a->limitation_deadline) - clock_local_day(a->received_at);
        char buf[CLOCK_TEXT_MAX];
        const char *when = arena_strdup(arena, clock_local_text(a->limitation_deadline, buf));
        const char *away = decisiontext_num(arena, (long long)days);
        const char *urgent = decisiontext_num(arena, cfg->urgent_deadline_days);
        p->emergency = days >= 0 && days < cfg->urgent_deadline_days;
        if (p->emergency) {
            p->emergency_deadline = a->limitation_deadline;
            p->has_emergency_deadline = 1;
            eligibility_decision_cite(arena, d, LAW "art. 44");
        }
        eligibility_decision_explained(
            arena, d, "emergency", p->emergency, LAW "art. 44",
            days < 0       ? ELIGIBILITY_TEXT(arena, "emergency.passed", when)
            : p->emergency ? ELIGIBILITY_TEXT(arena, "emergency.near", when, away, urgent)
                           : ELIGIBILITY_TEXT(arena, "emergency.far", when, away, urgent));
    } else {
        eligibility_decision_explained(arena, d, "emergency", 0, LAW "art. 44",
                                       ELIGIBILITY_TEXT(arena, "emergency.none"));
    }

    p->has_same_day = 1;
    p->same_day =
        a->has_category && eligibility_priority_same_day(cfg->same_day_categories, a->category);
    eligibility_decision_explained(
        arena, d, "same day", p->same_day, NULL,
        ELIGIBILITY_TEXT(arena, p->same_day ? "same_day.yes" : "same_day.no"));
}
