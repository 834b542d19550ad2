/*
 * ctl_import.c - `legalaidctl import lawyers|stations|shifts FILE`: reference
 * data in JSON Lines, sent in requests of at most CTL_IMPORT_CHUNK records
 * (lawyers to dispatch, stations and shifts to roster). The daemon answers
 * each request with an ImportResult whose rejected entries name a record by
 * its position in the request; they are mapped back to the file's lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "dispatch.pb-c.h"
#include "roster.pb-c.h"
#include "xalloc.h"

#define CTL_IMPORT_CHUNK 500
#define CTL_IMPORT_WINDOW 4

typedef struct ctl_import_kind {
    const char *name; /* the command word */
    ctl_daemon_t daemon;
    const ProtobufCMessageDescriptor *record; /* one line */
    Legalaid__Request__BodyCase body_case;
} ctl_import_kind_t;

static const ctl_import_kind_t ctl_import_kinds[] = {
    {"lawyers", CTL_DISPATCH, &legalaid__lawyer__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_LAWYERS},
    {"stations", CTL_ROSTER, &legalaid__station__descriptor,
     LEGALAID__REQUEST__BODY_IMPORT_STATIONS},
    {"shifts", CTL_ROSTER, &legalaid__shift__descriptor, LEGALAID__REQUEST__BODY_IMPORT_SHIFTS},
};

typedef struct ctl_import {
    const ctl_records_t *recs;
    unsigned char *answered; /* per chunk */
    ctl_outcomes_t *out;
    unsigned char *reported; /* per record: a rejection was recorded */
} ctl_import_t;

/* Packs records [first, first + n) into one import request. */
static void ctl_import_pack(const ctl_import_kind_t *kind, const ctl_records_t *recs, size_t first,
                            size_t n, const char *request_id, buf_t *frame)
{
    void **list = xcalloc(n, sizeof *list);
    for (size_t k = 0; k < n; k++) list[k] = recs->items[first + k].msg;
    Legalaid__ImportLawyers lawyers = LEGALAID__IMPORT_LAWYERS__INIT;
    Legalaid__ImportStations stations = LEGALAID__IMPORT_STATIONS__INIT;
    Legalaid__ImportShifts shifts = LEGALAID__IMPORT_SHIFTS__INIT;
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
    default:
        shifts.n_shifts = n;
        shifts.shifts = (Legalaid__Shift **)list;
        req.import_shifts = &shifts;
        break;
    }
    client_pack(&req, frame);
    free(list);
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
    size_t first = chunk * CTL_IMPORT_CHUNK;
    size_t n = im->recs->n - first < CTL_IMPORT_CHUNK ? im->recs->n - first : CTL_IMPORT_CHUNK;
    im->answered[chunk] = 1;
    if (reply->code == LEGALAID__CODE__OK &&
        reply->body_case == LEGALAID__REPLY__BODY_IMPORT_RESULT) {
        const Legalaid__ImportResult *res = reply->import_result;
        for (size_t i = 0; i < res->n_rejected; i++) {
            const Legalaid__ImportError *e = res->rejected[i];
            long index = e->has_index ? (long)e->index : -1;
            const char *field = ctl_import_field(e->field, &index);
            /* Not tied to a record: it is told on the chunk's first line. */
            size_t r = index >= 0 && (size_t)index < n ? first + (size_t)index : first;
            if (im->reported[r]) continue; /* one report per line */
            im->reported[r] = 1;
            ctl_outcome_add(im->out, im->recs->items[r].line, 0, field, ctl_str(e->message));
        }
        for (size_t k = 0; k < n; k++)
            if (!im->reported[first + k]) {
                im->reported[first + k] = 1;
                ctl_outcome_add(im->out, im->recs->items[first + k].line, 1, NULL, NULL);
            }
        return;
    }
    /* The whole request was refused: name the line at fault when the field
     * says which, and report the others as not imported because of it. */
    long index = -1;
    const char *field = ctl_import_field(reply->field, &index);
    char why[700], because[800];
    ctl_reply_problem(reply, why, sizeof why);
    size_t culprit =
        index >= 0 && (size_t)index < n ? im->recs->items[first + (size_t)index].line : 0;
    if (culprit)
        snprintf(because, sizeof because,
                 "not imported: the request of lines %zu-%zu was refused because of line %zu",
                 im->recs->items[first].line, im->recs->items[first + n - 1].line, culprit);
    else
        snprintf(because, sizeof because, "not imported: %s", why);
    for (size_t k = 0; k < n; k++) {
        size_t r = first + k;
        im->reported[r] = 1;
        if (im->recs->items[r].line == culprit)
            ctl_outcome_add(im->out, culprit, 0, field, ctl_str(reply->error));
        else
            ctl_outcome_add(im->out, im->recs->items[r].line, 0, NULL, because);
    }
}

static int ctl_import_send(const ctl_t *ctl, const ctl_import_kind_t *kind, ctl_records_t *recs,
                           ctl_outcomes_t *out)
{
    client_t *c = ctl_client_open(ctl, kind->daemon, ctl->timeout_ms);
    if (!c) return -1;
    size_t chunks = (recs->n + CTL_IMPORT_CHUNK - 1) / CTL_IMPORT_CHUNK;
    buf_t *frames = xcalloc(chunks, sizeof *frames);
    char **ids = xcalloc(chunks, sizeof *ids);
    for (size_t k = 0; k < chunks; k++) {
        size_t first = k * CTL_IMPORT_CHUNK;
        size_t n = recs->n - first < CTL_IMPORT_CHUNK ? recs->n - first : CTL_IMPORT_CHUNK;
        ids[k] = xmalloc(33);
        client_request_id(ids[k]);
        ctl_import_pack(kind, recs, first, n, ids[k], &frames[k]);
    }
    ctl_import_t im = {recs, xcalloc(chunks, 1), out, xcalloc(recs->n, 1)};
    int rc = client_pipeline(c, frames, ids, chunks, CTL_IMPORT_WINDOW, ctl_import_reply_cb, &im);
    if (rc != 0)
        fprintf(stderr,
                "legalaidctl: no answer from %s at %s within %d ms for %s; "
                "the lines not reported may or may not have been imported\n",
                ctl_daemon_names[kind->daemon], ctl->endpoints[kind->daemon], ctl->timeout_ms,
                kind->name);
    for (size_t k = 0; k < chunks; k++) {
        buf_free(&frames[k]);
        free(ids[k]);
    }
    free(frames);
    free(ids);
    free(im.answered);
    free(im.reported);
    client_destroy(&c);
    return rc;
}

int ctl_import_run(ctl_t *ctl, int argc, char **argv)
{
    const ctl_import_kind_t *kind = NULL;
    for (size_t i = 0; argc == 3 && i < sizeof ctl_import_kinds / sizeof ctl_import_kinds[0]; i++)
        if (strcmp(argv[1], ctl_import_kinds[i].name) == 0) kind = &ctl_import_kinds[i];
    if (!kind) {
        fprintf(
            stderr,
            "usage: legalaidctl import lawyers|stations|shifts FILE   (JSON Lines; - for stdin)\n");
        return CTL_EXIT_FAILURE;
    }
    arena_t arena;
    arena_init(&arena);
    ctl_records_t recs = {0};
    ctl_outcomes_t out = {0};
    int status = CTL_EXIT_OK;
    if (ctl_records_read(ctl, argv[2], kind->record, &arena, &recs, &out) < 0) {
        arena_destroy(&arena);
        return CTL_EXIT_FAILURE;
    }
    size_t unreadable = out.n;
    if (recs.n > 0 && ctl_import_send(ctl, kind, &recs, &out) != 0) status = CTL_EXIT_FAILURE;
    ctl_outcomes_print(ctl, &out);
    size_t unanswered = recs.n - (out.n - unreadable);
    if (ctl->json) {
        json_t *j = json_object();
        json_object_set_new(j, "accepted", json_integer((json_int_t)out.accepted));
        json_object_set_new(j, "rejected", json_integer((json_int_t)out.rejected));
        json_object_set_new(j, "unanswered", json_integer((json_int_t)unanswered));
        json_dumpf(j, stdout, JSON_COMPACT);
        fputc('\n', stdout);
        json_decref(j);
    } else {
        printf("%s %s: %zu accepted, %zu rejected", kind->name,
               strcmp(argv[2], "-") == 0 ? "stdin" : argv[2], out.accepted, out.rejected);
        if (unanswered) printf(", %zu not answered", unanswered);
        printf("\n");
    }
    if (status == CTL_EXIT_OK && out.rejected) status = CTL_EXIT_REJECTED;
    ctl_outcomes_free(&out);
    ctl_records_free(&recs);
    arena_destroy(&arena);
    return status;
}
