/*
 * roster_template.c - the "templates" table: when each station is staffed
 * (days of the week, hours, how: on site, by phone, online; R-DUTY-09
 * 现场值班 / 电话值班 / 网络值班). A template is keyed by station and name
 * ("day", "night"); one imported again replaces it. Two templates of one
 * station whose hours overlap on some weekday are refused: a station has
 * one A and one B post at a time (DOMAIN "AB posts").
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "i18n.h"
#include "log.h"
#include "roster_int.h"
#include "store.h"

#define ROSTER_TEMPLATE_NAME_MAX 16
#define ROSTER_WEEK_MIN (7 * 1440)

static const char *const roster_day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static int roster_day_index(const char *s, size_t n)
{
    for (int i = 0; i < 7; i++)
        if (n == 3 && strncmp(s, roster_day_names[i], 3) == 0) return i + 1;
    return 0;
}

int roster_template_days_parse(const char *text, unsigned *mask)
{
    *mask = 0;
    if (!text || !text[0]) return -1;
    if (strcmp(text, "daily") == 0) {
        *mask = 0xfe;
        return 0;
    }
    const char *p = text;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *dash = memchr(p, '-', len);
        int a = roster_day_index(p, dash ? (size_t)(dash - p) : len);
        int b = dash ? roster_day_index(dash + 1, len - (size_t)(dash - p) - 1) : a;
        if (!a || !b || b < a) return -1;
        for (int d = a; d <= b; d++) *mask |= 1u << d;
        p += len;
        if (*p == ',') p++;
    }
    return *mask ? 0 : -1;
}

int roster_template_hhmm_parse(const char *text, int *minutes)
{
    if (!text || strlen(text) != 5 || text[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (text[i] < '0' || text[i] > '9')) return -1;
    int h = (text[0] - '0') * 10 + (text[1] - '0'), m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
    *minutes = h * 60 + m;
    return 0;
}

/* A template's weekly hours: start minute and length in minutes. */
static void roster_template_span(const Legalaid__ShiftTemplate *tp, int *start, int *len)
{
    int s = 0, e = 0;
    roster_template_hhmm_parse(tp->starts, &s);
    roster_template_hhmm_parse(tp->ends, &e);
    *start = s;
    *len = e > s ? e - s : e + 1440 - s; /* not after the start: it ends the next day */
}

/* 1 when a and b are staffed at the same minute of some week. */
static int roster_template_overlap(const Legalaid__ShiftTemplate *a,
                                   const Legalaid__ShiftTemplate *b)
{
    unsigned ma, mb;
    int sa, la, sb, lb;
    roster_template_days_parse(a->days, &ma);
    roster_template_days_parse(b->days, &mb);
    roster_template_span(a, &sa, &la);
    roster_template_span(b, &sb, &lb);
    for (int da = 1; da <= 7; da++) {
        if (!(ma & (1u << da))) continue;
        for (int db = 1; db <= 7; db++) {
            if (!(mb & (1u << db))) continue;
            int x = (da - 1) * 1440 + sa, y = (db - 1) * 1440 + sb;
            for (int w = -1; w <= 1; w++) /* the week wraps from Sunday to Monday */
                if (x < y + w * ROSTER_WEEK_MIN + lb && y + w * ROSTER_WEEK_MIN < x + la) return 1;
        }
    }
    return 0;
}

static int roster_template_check(turn_t *t, const Legalaid__ShiftTemplate *tp, const char **field,
                                 const char **msg)
{
    int s, e;
    unsigned mask;
    *field = "station";
    if (!tp || check_blank(tp->station)) {
        *msg = _("the station is required");
        return -1;
    }
    Legalaid__Station *st;
    int rc = roster_station_get(t, tp->station, &st);
    if (rc == MDB_NOTFOUND || strlen(tp->station) > LA_STATION_MAX) {
        *msg = arena_printf(t->arena, _("unknown station %.32s (import the station first)"),
                            tp->station);
        return -1;
    }
    if (rc) return rc;
    *field = "name";
    if (check_key_text(tp->name, ROSTER_TEMPLATE_NAME_MAX)) {
        *msg = arena_printf(t->arena,
                            _("the name is required: 1 to %d characters without spaces "
                              "(day, night)"),
                            ROSTER_TEMPLATE_NAME_MAX);
        return -1;
    }
    *field = "days";
    if (roster_template_days_parse(tp->days, &mask)) {
        *msg = _("days must be daily, or days mon ... sun with ranges and commas: mon-fri, "
                 "mon,wed,fri, sat,sun");
        return -1;
    }
    *field = "starts";
    if (roster_template_hhmm_parse(tp->starts, &s) || s >= 1440) {
        *msg = _("starts must be a time of day HH:MM (09:00)");
        return -1;
    }
    *field = "ends";
    if (roster_template_hhmm_parse(tp->ends, &e)) {
        *msg = _("ends must be a time of day HH:MM (17:00, 24:00); a time not after starts ends "
                 "the next day");
        return -1;
    }
    *field = "mode";
    if (tp->has_mode && tp->mode != LEGALAID__DUTY_MODE__MODE_UNSPECIFIED &&
        !protobuf_c_enum_descriptor_get_value(&legalaid__duty_mode__descriptor, tp->mode)) {
        *msg = _("mode must be on_site, phone or online");
        return -1;
    }
    *field = "backup_mode";
    if (tp->has_backup_mode && tp->backup_mode != LEGALAID__DUTY_MODE__MODE_UNSPECIFIED &&
        !protobuf_c_enum_descriptor_get_value(&legalaid__duty_mode__descriptor, tp->backup_mode)) {
        *msg = _("backup_mode must be on_site, phone or online");
        return -1;
    }
    /* Overlapping shifts at one station: refused, the stored ones stay. */
    size_t prefix = strlen(tp->station) + 1;
    char *lo = arena_alloc(t->arena, prefix);
    memcpy(lo, tp->station, prefix);
    MDB_val k = {prefix, lo}, v;
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(t->txn, roster_templates, &c))) return store_rc(rc);
    const Legalaid__ShiftTemplate *clash = NULL;
    for (int op = MDB_SET_RANGE; !clash && (rc = mdb_cursor_get(c, &k, &v, op)) == 0;
         op = MDB_NEXT) {
        if (k.mv_size < prefix || memcmp(k.mv_data, lo, prefix) != 0) break;
        Legalaid__ShiftTemplate *o =
            store_unpacked(t->txn, &k, &v, &legalaid__shift_template__descriptor, &t->arena->pb);
        if (o && strcmp(o->name, tp->name) != 0 && roster_template_overlap(tp, o)) clash = o;
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND) return store_rc(rc);
    if (clash) {
        *field = "starts";
        *msg = arena_printf(t->arena,
                            _("overlapping shifts: %s %s %s-%s overlaps template %s (%s %s-%s) of "
                              "the same station"),
                            tp->station, tp->days, tp->starts, tp->ends, clash->name, clash->days,
                            clash->starts, clash->ends);
        return -1;
    }
    return 0;
}

int roster_template_import(turn_t *t, const Legalaid__ImportTemplates *in, Legalaid__Reply *reply)
{
    if (in->n_templates == 0) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_templates.templates",
                  _("the import holds no templates"));
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, in->n_templates);
    uint32_t accepted = 0;
    for (size_t i = 0; i < in->n_templates; i++) {
        Legalaid__ShiftTemplate *tp = in->templates[i];
        const char *field = "station", *msg = "";
        int rc = roster_template_check(t, tp, &field, &msg);
        if (rc < -1) return rc;
        if (rc == -1) {
            turn_import_reject(t, res, "templates", i, field, msg);
            continue;
        }
        size_t n = strlen(tp->station), m = strlen(tp->name);
        char *key = arena_alloc(t->arena, n + 1 + m);
        memcpy(key, tp->station, n + 1);
        memcpy(key + n + 1, tp->name, m);
        rc = store_put_pb(t->txn, roster_templates, key, n + 1 + m, &tp->base, 0);
        if (rc) return rc;
        accepted++;
    }
    res->accepted = accepted;
    res->has_accepted = 1;
    if (accepted) {
        Legalaid__TemplatesImported *b =
            ARENA_NEW(t->arena, Legalaid__TemplatesImported, legalaid__templates_imported__init);
        b->count = accepted;
        b->has_count = 1;
        Legalaid__Event *ev = turn_event(t);
        ev->body_case = LEGALAID__EVENT__BODY_TEMPLATES_IMPORTED;
        ev->templates_imported = b;
        int rc = turn_emit(t, NULL, ev);
        if (rc) return rc;
    }
    log_info("templates imported accepted=%u rejected=%zu", accepted, res->n_rejected);
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
