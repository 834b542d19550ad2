/*
 * ctl_import.c - `legalaidctl import KIND FILE`: reference data in JSON
 * Lines, sent in requests of at most the kind's chunk of records (and
 * CTL_IMPORT_CHUNK_BYTES), several in flight at once: lawyers to dispatch,
 * stations, shifts, firms' agreements, shift templates and the duty
 * calendar (holidays) to roster, the civil-affairs assistance roll to
 * eligibility, and the holiday calendar to eligibility and to dispatch
 * (a line is accepted when both took it). The daemon answers each request with an
 * ImportResult whose rejected entries name a record by its position in the
 * request; they are mapped back to the file's lines.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ctl.h"
#include "dispatch.pb-c.h"
#include "eligibility.pb-c.h"
#include "i18n.h"
#include "roster.pb-c.h"
#include "xalloc.h"

#define CTL_IMPORT_WINDOW 4
/* A request stays well under the daemon's max_frame_bytes (1 MiB by default):
 * at most this, and at most half the daemon's limit when that is smaller. */
#define CTL_IMPORT_CHUNK_BYTES (512 * 1024)

typedef struct ctl_import_kind {
    const char *name; /* the command word */
    ctl_daemon_t daemon;
    const ProtobufCMessageDescriptor *record; /* one line */
    Legalaid__Request__BodyCase body_case;
    size_t chunk; /* records per request at most */
    int also;     /* a second daemon that keeps its own copy (ctl_daemon_t), or -1 */
} ctl_import_kind_t;

static const ctl_import_kind_t ctl_import_kinds[] = {
    {"lawyers", CTL_DISPATCH, &legalaid__lawyer__descriptor, LEGALAID__REQUEST__BODY_IMPORT_LAWYERS,
     500, -1},
    {"stations", CTL_ROSTER, &legalaid__station__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_STATIONS, 500, -1},
    {"shifts", CTL_ROSTER, &legalaid__shift__descriptor, LEGALAID__REQUEST__BODY_IMPORT_SHIFTS, 500,
     -1},
    {"agreements", CTL_ROSTER, &legalaid__agreement__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_AGREEMENTS, 50, -1},
    {"templates", CTL_ROSTER, &legalaid__shift_template__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES, 500, -1},
    {"duty-calendar", CTL_ROSTER, &legalaid__calendar_day__descriptor,
     LEGALAID__REQUEST__BODY_ROSTER_IMPORT_CALENDAR, 5000, -1},
    {"assistance-roll", CTL_ELIGIBILITY, &legalaid__roll_entry__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_ASSISTANCE_ROLL, 5000, -1},
    /* The previous system's cases and consultations (issue 14), kept as
     * historical by intake: JSON Lines or CSV. */
    {"history", CTL_INTAKE, &legalaid__application__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_HISTORY, 500, -1},
    {"history-consultations", CTL_INTAKE, &legalaid__consultation__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_HISTORY, 1000, -1},
    /* Eligibility's deadlines and dispatch's periods end by it (R-TIME-00). */
    {"calendar", CTL_ELIGIBILITY, &legalaid__calendar_day__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_CALENDAR, 5000, CTL_DISPATCH},
    /* Internship places (issue 19): the office's certificate list and the
     * firms' places, JSON Lines or CSV. */
    {"candidates", CTL_DISPATCH, &legalaid__intern_candidate__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_CANDIDATES, 500, -1},
    {"places", CTL_DISPATCH, &legalaid__intern_place__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_PLACES, 500, -1},
};
#define CTL_N_IMPORT_KINDS (sizeof ctl_import_kinds / sizeof ctl_import_kinds[0])

typedef struct ctl_import {
    const ctl_records_t *recs;
    const size_t *starts; /* chunk k is records [starts[k], starts[k + 1]) */
    ctl_outcomes_t *out;
    unsigned char *reported; /* per record: an outcome was recorded */
} ctl_import_t;

/* Packs records [first, first + n) into one import request. */
static void ctl_import_pack(const ctl_import_kind_t *kind, const ctl_records_t *recs, size_t first,
                            size_t n, int64_t exported_at, const char *request_id, buf_t *frame)
{
    void **list = xcalloc(n ? n : 1, sizeof *list);
    for (size_t k = 0; k < n; k++) list[k] = recs->items[first + k].msg;
    Legalaid__ImportLawyers lawyers = LEGALAID__IMPORT_LAWYERS__INIT;
    Legalaid__ImportStations stations = LEGALAID__IMPORT_STATIONS__INIT;
    Legalaid__ImportShifts shifts = LEGALAID__IMPORT_SHIFTS__INIT;
    Legalaid__ImportAssistanceRoll roll = LEGALAID__IMPORT_ASSISTANCE_ROLL__INIT;
    Legalaid__ImportCalendar calendar = LEGALAID__IMPORT_CALENDAR__INIT;
    Legalaid__ImportAgreements agreements = LEGALAID__IMPORT_AGREEMENTS__INIT;
    Legalaid__ImportTemplates templates = LEGALAID__IMPORT_TEMPLATES__INIT;
    Legalaid__ImportHistory history = LEGALAID__IMPORT_HISTORY__INIT;
    Legalaid__ImportCandidates candidates = LEGALAID__IMPORT_CANDIDATES__INIT;
    Legalaid__ImportPlaces places = LEGALAID__IMPORT_PLACES__INIT;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = (char *)request_id;
    req.body_case = kind->body_case;
    switch (kind->body_case) {
    case LEGALAID__REQUEST__BODY_IMPORT_LAWYERS:
        lawyers.n_lawyers = n;
        lawyers.lawyers = (Legalaid__Lawyer **)list;
        req.import_lawyers = &lawyers;
        break;
    case LEGALAID__REQUEST__BODY_IMPORT_STATIONS:
        stations.n_stations = n;
        stations.stations = (Legalaid__Station **)list;
        req.import_stations = &stations;
        break;
    case LEGALAID__REQUEST__BODY_IMPORT_ASSISTANCE_ROLL:
        roll.n_entries = n;
        roll.entries = (Legalaid__RollEntry **)list;
        roll.has_exported_at = 1;
        roll.exported_at = exported_at;
        req.import_assistance_roll = &roll;
        break;
    case LEGALAID__REQUEST__BODY_IMPORT_CALENDAR:
        calendar.n_days = n;
        calendar.days = (Legalaid__CalendarDay **)list;
        req.import_calendar = &calendar;
        break;
    case LEGALAID__REQUEST__BODY_ROSTER_IMPORT_CALENDAR:
        calendar.n_days = n;
        calendar.days = (Legalaid__CalendarDay **)list;
        req.roster_import_calendar = &calendar;
        break;
    case LEGALAID__REQUEST__BODY_IMPORT_AGREEMENTS:
        agreements.n_agreements = n;
        agreements.agreements = (Legalaid__Agreement **)list;
        req.import_agreements = &agreements;
        break;
    case LEGALAID__REQUEST__BODY_IMPORT_HISTORY:
        if (kind->record == &legalaid__consultation__descriptor) {
            history.n_consultations = n;
            history.consultations = (Legalaid__Consultation **)list;
        } else {
            history.n_cases = n;
            history.cases = (Legalaid__Application **)list;
        }
        req.import_history = &history;
        break;
    case LEGALAID__REQUEST__BODY_IMPORT_CANDIDATES:
        candidates.n_candidates = n;
        candidates.candidates = (Legalaid__InternCandidate **)list;
        req.import_candidates = &candidates;
        break;
    case LEGALAID__REQUEST__BODY_IMPORT_PLACES:
        places.n_places = n;
        places.places = (Legalaid__InternPlace **)list;
        req.import_places = &places;
        break;
    case LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES:
        templates.n_templates = n;
        templates.templates = (Legalaid__ShiftTemplate **)list;
        req.import_templates = &templates;
        break;
    default:
        shifts.n_shifts = n;
        shifts.shifts = (Legalaid__Shift **)list;
        req.import_shifts = &shifts;
        break;
    }
    client_pack(&req, frame);
    free(list);
}

/* Cuts the records into chunks of at most max_count records and about
 * max_bytes each; returns the number of chunks, with the
 * starts in *starts (n + 1 entries, malloc'ed). */
static size_t ctl_import_chunks(size_t max_count, size_t max_bytes, const ctl_records_t *recs,
                                size_t **starts)
{
    size_t *s = xcalloc(recs->n + 2, sizeof *s);
    size_t chunks = 0, count = 0, bytes = 0;
    for (size_t i = 0; i < recs->n; i++) {
        size_t size = protobuf_c_message_get_packed_size(recs->items[i].msg) + 8;
        if (count > 0 && (count == max_count || bytes + size > max_bytes)) {
            s[++chunks] = i;
            count = bytes = 0;
        }
        count++;
        bytes += size;
    }
    if (count > 0) chunks++;
    s[chunks] = recs->n;
    *starts = s;
    return chunks;
}

/* "shifts[3].lawyer_id" -> "lawyer_id" (and its index in *index when the
 * daemon did not give one); a field without a list prefix stays as it is. */
static const char *ctl_import_field(const char *field, long *index)
{
    if (!field || !field[0]) return NULL;
    const char *open = strchr(field, '[');
    const char *close = open ? strstr(open, "].") : NULL;
    if (!open || !close) {
        const char *dot = strrchr(field, '.');
        return dot ? dot + 1 : field;
    }
    if (index && *index < 0) *index = strtol(open + 1, NULL, 10);
    return close + 2;
}

static void ctl_import_reply_cb(void *ctx, size_t chunk, const Legalaid__Reply *reply)
{
    ctl_import_t *im = ctx;
    size_t first = im->starts[chunk];
    size_t n = im->starts[chunk + 1] - first;
    if (reply->code == LEGALAID__CODE__OK &&
        reply->body_case == LEGALAID__REPLY__BODY_IMPORT_RESULT) {
        const Legalaid__ImportResult *res = reply->import_result;
        im->out->unchanged += res->unchanged;
        for (size_t i = 0; i < res->n_rejected; i++) {
            const Legalaid__ImportError *e = res->rejected[i];
            long index = e->has_index ? (long)e->index : -1;
            const char *field = ctl_import_field(e->field, &index);
            /* Not tied to a record: it is told on the chunk's first line. */
            size_t r = index >= 0 && (size_t)index < n ? first + (size_t)index : first;
            if (im->reported[r]) continue; /* one report per line */
            im->reported[r] = 1;
            ctl_outcomes_add(im->out, im->recs->items[r].line, 0, field, ctl_fmt_str(e->message));
        }
        for (size_t k = 0; k < n; k++)
            if (!im->reported[first + k]) {
                im->reported[first + k] = 1;
                ctl_outcomes_add(im->out, im->recs->items[first + k].line, 1, NULL, NULL);
            }
        return;
    }
    /* The whole request was refused: name the line at fault when the field
     * says which, and report the others as not imported because of it. */
    long index = -1;
    const char *field = ctl_import_field(reply->field, &index);
    char why[700], because[800];
    ctl_ask_reply_problem(reply, why, sizeof why);
    size_t culprit =
        index >= 0 && (size_t)index < n ? im->recs->items[first + (size_t)index].line : 0;
    if (culprit)
        snprintf(because, sizeof because,
                 _("not imported: the request of lines %zu-%zu was refused because of line %zu"),
                 im->recs->items[first].line, im->recs->items[first + n - 1].line, culprit);
    else
        snprintf(because, sizeof because, _("not imported: %s"), why);
    for (size_t k = 0; k < n; k++) {
        size_t r = first + k;
        im->reported[r] = 1;
        if (im->recs->items[r].line == culprit)
            ctl_outcomes_add(im->out, culprit, 0, field, ctl_fmt_str(reply->error));
        else
            ctl_outcomes_add(im->out, im->recs->items[r].line, 0, NULL, because);
    }
}

static int ctl_import_send(const ctl_t *ctl, const ctl_import_kind_t *kind, ctl_records_t *recs,
                           int64_t exported_at, ctl_outcomes_t *out)
{
    client_t *c = ctl_config_client_open(ctl, kind->daemon, ctl->timeout_ms);
    if (!c) return -1;
    size_t *starts;
    size_t max_bytes = ctl->max_frame[kind->daemon] / 2;
    if (max_bytes == 0 || max_bytes > CTL_IMPORT_CHUNK_BYTES) max_bytes = CTL_IMPORT_CHUNK_BYTES;
    /* At most the kind's chunk of records, and never more than the daemon
     * takes in one request (its max_request_entries). */
    size_t max_count = kind->chunk;
    if (ctl->max_entries[kind->daemon] && ctl->max_entries[kind->daemon] < max_count)
        max_count = ctl->max_entries[kind->daemon];
    size_t chunks = ctl_import_chunks(max_count, max_bytes, recs, &starts);
    buf_t *frames = xcalloc(chunks, sizeof *frames);
    char **ids = xcalloc(chunks, sizeof *ids);
    for (size_t k = 0; k < chunks; k++) {
        ids[k] = xmalloc(33);
        client_request_id(ids[k]);
        ctl_import_pack(kind, recs, starts[k], starts[k + 1] - starts[k], exported_at, ids[k],
                        &frames[k]);
    }
    ctl_import_t im = {recs, starts, out, xcalloc(recs->n, 1)};
    int rc = client_pipeline(c, frames, ids, chunks, CTL_IMPORT_WINDOW, ctl_import_reply_cb, &im);
    if (rc != 0)
        fprintf(stderr,
                _("legalaidctl: no answer from %s at %s within %d ms for %s; "
                  "the lines not reported may or may not have been imported\n"),
                ctl_daemon_names[kind->daemon], ctl->endpoints[kind->daemon], ctl->timeout_ms,
                kind->name);
    for (size_t k = 0; k < chunks; k++) {
        buf_free(&frames[k]);
        free(ids[k]);
    }
    free(frames);
    free(ids);
    free(starts);
    free(im.reported);
    client_destroy(&c);
    return rc;
}

/* When civil affairs produced the roll: --exported-at, else the file's
 * modification time (the time of the export it is a copy of), else now. */
static int ctl_import_exported_at(const ctl_t *ctl, const char *text, const char *path, int64_t *ms)
{
    if (text) {
        if (pbjson_text_time(text, ctl->utc_offset_min, ms) == 0) return 0;
        ctl_help_usage_error("import",
                             _("--exported-at %s: not a time; write ISO 8601 like "
                               "2026-03-01T08:00:00+08:00, a date, or ms since the epoch"),
                             text);
        return -1;
    }
    struct stat st;
    int ok =
        strcmp(path, "-") == 0 ? fstat(0, &st) == 0 && S_ISREG(st.st_mode) : stat(path, &st) == 0;
    if (ok) {
        *ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
        return 0;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    *ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    return 0;
}

int ctl_import_run(ctl_t *ctl, int argc, char **argv)
{
    static const struct option opts[] = {{"exported-at", required_argument, NULL, 1},
                                         {NULL, 0, NULL, 0}};
    const char *exported_text = NULL;
    int first = ctl_args_parse("import", argc, argv, opts, &exported_text, CTL_ARGS_PERMUTE);
    if (first < 0) return CTL_EXIT_FAILURE;
    const ctl_import_kind_t *kind = NULL;
    for (size_t i = 0; first < argc && i < CTL_N_IMPORT_KINDS; i++)
        if (strcmp(argv[first], ctl_import_kinds[i].name) == 0) kind = &ctl_import_kinds[i];
    if (first == argc)
        return ctl_help_usage_error("import", _("give the KIND of records and the FILE"));
    if (!kind)
        return ctl_help_usage_error("import",
                                    _("'%s' is not lawyers, stations, shifts, agreements, "
                                      "templates, duty-calendar, calendar, history, "
                                      "history-consultations, assistance-roll, candidates or "
                                      "places"),
                                    argv[first]);
    if (argc - first != 2)
        return ctl_help_usage_error("import", argc - first < 2 ? _("give the FILE (- for stdin)")
                                                               : _("give one FILE, not more"));
    if (exported_text && kind->body_case != LEGALAID__REQUEST__BODY_IMPORT_ASSISTANCE_ROLL)
        return ctl_help_usage_error("import", _("--exported-at is for import assistance-roll "
                                                "only"));
    const char *path = argv[first + 1];
    ctl_outcomes_lang(ctl);
    int64_t exported_at = 0;
    if (kind->body_case == LEGALAID__REQUEST__BODY_IMPORT_ASSISTANCE_ROLL &&
        ctl_import_exported_at(ctl, exported_text, path, &exported_at) < 0)
        return CTL_EXIT_FAILURE;
    arena_t arena;
    arena_init(&arena);
    ctl_records_t recs = {0};
    ctl_outcomes_t out = {0};
    int status = CTL_EXIT_OK;
    /* Lawyers come as JSON Lines or CSV (ctl_dispatch_lawyers.c). */
    int read = kind->body_case == LEGALAID__REQUEST__BODY_IMPORT_LAWYERS
                   ? ctl_dispatch_lawyers_read(ctl, path, &arena, &recs, &out)
                   : ctl_records_read(ctl, path, kind->record, &arena, &recs, &out);
    if (read < 0) {
        arena_destroy(&arena);
        return CTL_EXIT_FAILURE;
    }
    size_t unreadable = out.n;
    if (recs.n > 0 && ctl_import_send(ctl, kind, &recs, exported_at, &out) != 0)
        status = CTL_EXIT_FAILURE;
    if (recs.n > 0 && kind->also >= 0) {
        ctl_import_kind_t second = *kind;
        second.daemon = (ctl_daemon_t)kind->also;
        ctl_outcomes_t out2 = {0};
        if (ctl_import_send(ctl, &second, &recs, exported_at, &out2) != 0)
            status = CTL_EXIT_FAILURE;
        ctl_outcomes_merge(&out, &out2, ctl_daemon_names[second.daemon]);
        ctl_outcomes_free(&out2);
    }
    ctl_outcomes_print(ctl, &out);
    size_t unanswered = recs.n - (out.n - unreadable);
    if (ctl->json) {
        json_t *j = json_object();
        json_object_set_new(j, "accepted", json_integer((json_int_t)out.accepted));
        json_object_set_new(j, "rejected", json_integer((json_int_t)out.rejected));
        json_object_set_new(j, "unanswered", json_integer((json_int_t)unanswered));
        json_object_set_new(j, "unchanged", json_integer((json_int_t)out.unchanged));
        if (exported_at) json_object_set_new(j, "exported_at", json_integer(exported_at));
        json_dumpf(j, stdout, JSON_COMPACT);
        fputc('\n', stdout);
        json_decref(j);
    } else {
        printf(_("%s %s: %zu accepted, %zu rejected"), kind->name,
               strcmp(path, "-") == 0 ? _("stdin") : path, out.accepted, out.rejected);
        if (unanswered) printf(_(", %zu not answered"), unanswered);
        if (out.unchanged) printf(_(" (%zu of them imported before, unchanged)"), out.unchanged);
        if (exported_at) {
            char t[CTL_TIME_MAX];
            printf(_(" (exported %s)"), ctl_fmt_time(ctl, exported_at, t));
        }
        printf("\n");
    }
    if (status == CTL_EXIT_OK && out.rejected) status = CTL_EXIT_REJECTED;
    ctl_outcomes_free(&out);
    ctl_records_free(&recs);
    arena_destroy(&arena);
    return status;
}
