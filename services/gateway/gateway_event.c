/*
 * gateway_event.c - POST /v1/events: what an agency tells later of a case
 * it notified, named by the notice's reference: the hearing set or moved,
 * the person released or transferred, the judgment (which concludes the
 * case at dispatch: the closing file falls due, art. 50).
 *
 * The body is a GatewayEvent (pbjson). The notice must be the agency's own
 * (its record here gives the case); the event's own reference with the
 * agency is the idempotency key, as for notices: a resend returns the
 * first answer and changes nothing, the same reference with other content
 * is 409 naming the fields. dispatch is asked with a request_id derived
 * from agency, reference and content (a resend after a crash reaches its
 * stored first reply) on behalf of the agency, whose authority dispatch
 * checks against the case's; 201 goes out after dispatch's durable reply
 * and the gateway's own record.
 */
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "la_limits.h"
#include "log.h"
#include "pbjson.h"
#include "store.h"
#include "xalloc.h"
#include "i18n.h"

typedef struct gateway_event_work {
    daemon_t *d;
    gateway_req_t *r;
    const char *agency, *reference, *notice_reference;
    char fly[200]; /* "event:" reference, the in-flight key */
    char request_id[40];
    buf_t content; /* the GatewayEvent packed */
} gateway_event_work_t;

static json_t *gateway_event_enum(const ProtobufCEnumDescriptor *desc, int value)
{
    char buf[PBJSON_ENUM_MAX];
    return json_string(pbjson_enum_text(desc, value, buf));
}

/* The answer to an event dispatch took (201, or 200 for a resend). */
static json_t *gateway_event_answer(const Legalaid__GatewayNotice *n, const Legalaid__GatewayEvent *e)
{
    json_t *j = json_object();
    json_object_set_new(j, "reference", json_string(n->reference));
    json_object_set_new(j, "notice_reference", json_string(e ? e->notice_reference : ""));
    json_object_set_new(j, "case_id", json_string(n->case_id ? n->case_id : ""));
    json_object_set_new(j, "kind", e ? gateway_event_enum(&legalaid__case_event_kind__descriptor,
                                                          (int)e->kind)
                                     : json_null());
    json_object_set_new(j, "status", json_string("recorded"));
    json_object_set_new(j, "case_state",
                        gateway_event_enum(&legalaid__assignment_state__descriptor,
                                           (int)n->case_state));
    json_object_set_new(j, "recorded_at", gateway_notice_time(n->first_at));
    return j;
}

/* dispatch's field ("report_case_event.at") as the body's ("at"). */
static const char *gateway_event_field(const char *field)
{
    if (!field) return NULL;
    if (strcmp(field, "report_case_event.case_id") == 0) return "notice_reference";
    const char *p = "report_case_event.";
    return strncmp(field, p, strlen(p)) == 0 ? field + strlen(p) : field;
}

static void gateway_event_reported(void *ctx, const Legalaid__Reply *reply)
{
    gateway_event_work_t *w = ctx;
    gateway_req_t *r = w->r;
    gateway_notice_land(w->agency, w->fly);
    if (!reply) {
        gateway_notice_unavailable(r, "dispatch", "nothing was recorded twice");
    } else if (reply->code == LEGALAID__CODE__NOT_FOUND) {
        /* The case has not reached dispatch: not approved, or not yet. */
        gateway_http_problem(r, 409, "case-not-ready", "notice_reference",
                             _("通知 %s 的案件尚未决定给予法律援助, 请在决定后重发 (%s)"),
                             w->notice_reference, reply->error ? reply->error : "");
    } else if (reply->code != LEGALAID__CODE__OK || !reply->assignment) {
        const char *type;
        unsigned status = gateway_notice_status(reply->code, &type);
        gateway_http_problem(r, status, type, gateway_event_field(reply->field), _("%s"),
                             reply->error ? reply->error : "refused by dispatch");
        if (status == 503) gateway_http_header(r, "Retry-After", "5");
    } else {
        Legalaid__GatewayNotice n = LEGALAID__GATEWAY_NOTICE__INIT;
        n.agency = (char *)w->agency;
        n.reference = (char *)w->reference;
        n.request_id = w->request_id;
        n.content.data = w->content.data;
        n.content.len = w->content.len;
        n.has_content = 1;
        n.case_id = reply->assignment->case_id;
        n.first_at = clock_now_ms();
        n.has_first_at = 1;
        n.event = n.has_event = 1;
        n.case_state = reply->assignment->state;
        n.has_case_state = 1;
        Legalaid__GatewayNotice *copy = gateway_notice_copy(&n);
        Legalaid__GatewayEvent *e = legalaid__gateway_event__unpack(
            &r->arena.pb, copy->content.len, copy->content.data);
        r->work = gateway_event_answer(copy, e);
        log_info("event agency=%s case=%s reference=%s", w->agency, copy->case_id, w->reference);
        gateway_store_queue(w->d, r, copy);
    }
    buf_free(&w->content);
}

/* A resend (200, the first answer) or the same reference with other
 * content (409 naming the fields). */
static void gateway_event_again(gateway_req_t *r, const Legalaid__GatewayNotice *rec,
                                const Legalaid__GatewayEvent *e, const buf_t *content)
{
    Legalaid__GatewayEvent *first =
        legalaid__gateway_event__unpack(&r->arena.pb, rec->content.len, rec->content.data);
    if (rec->content.len == content->len && memcmp(rec->content.data, content->data, content->len) == 0) {
        gateway_http_json(r, 200, gateway_event_answer(rec, first));
        return;
    }
    gateway_notice_conflict(r, first ? &first->base : NULL, &e->base, e->reference, rec->case_id);
}

static int gateway_event_required(gateway_req_t *r, const char *value, const char *field,
                                  const char *what)
{
    if (value && value[0]) return 1;
    gateway_http_problem(r, 422, "invalid-field", field, _("%s"), what);
    return 0;
}

void gateway_event_post(daemon_t *d, gateway_req_t *r)
{
    const gateway_agency_t *ag = r->agency;
    Legalaid__GatewayEvent *e =
        (Legalaid__GatewayEvent *)gateway_notice_body(r, &legalaid__gateway_event__descriptor);
    if (!e) return;
    if (!gateway_event_required(r, e->notice_reference, "notice_reference",
                                "通知文号必填 (notice_reference: the reference of the notice this "
                                "event is about)") ||
        !gateway_event_required(r, e->reference, "reference",
                                "本事项文号必填 (reference: this event's own reference; a resend "
                                "with the same reference returns the first answer)"))
        return;
    if (strlen(e->reference) > LA_CASE_REFERENCE_MAX) {
        gateway_http_problem(r, 422, "invalid-field", "reference",
                             _("本事项文号过长 (reference is over %d bytes)"), LA_CASE_REFERENCE_MAX);
        return;
    }
    if (!e->has_kind || e->kind == LEGALAID__CASE_EVENT_KIND__CASE_EVENT_UNSPECIFIED) {
        gateway_http_problem(r, 422, "invalid-field", "kind",
                             _("kind is one of hearing_set, hearing_moved, released, transferred, "
                             "judgment"));
        return;
    }

    /* The notice must be the agency's own: it gives the case. */
    Legalaid__GatewayNotice *notice = NULL;
    int rc = gateway_store_get(daemon_env(d), 0, ag->name, e->notice_reference, &notice);
    if (rc == MDB_NOTFOUND) {
        gateway_http_problem(r, 422, "invalid-field", "notice_reference",
                             _("本机关没有文号为 %s 的通知 (agency %s sent no notice with reference "
                             "%s)"),
                             e->notice_reference, ag->name, e->notice_reference);
        return;
    }
    if (rc) {
        gateway_http_problem(r, 503, "unavailable", NULL, _("the gateway cannot read its records now"));
        gateway_http_header(r, "Retry-After", "5");
        return;
    }
    char *case_id = arena_strdup(&r->arena, notice->case_id ? notice->case_id : "");
    legalaid__gateway_notice__free_unpacked(notice, NULL);

    gateway_event_work_t *w = arena_alloc(&r->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    w->d = d;
    w->r = r;
    w->agency = ag->name;
    w->reference = e->reference;
    w->notice_reference = e->notice_reference;
    snprintf(w->fly, sizeof w->fly, "event:%s", e->reference);
    buf_reserve(&w->content, legalaid__gateway_event__get_packed_size(e));
    w->content.len = legalaid__gateway_event__pack(e, (uint8_t *)w->content.data);

    Legalaid__GatewayNotice *rec = NULL;
    rc = gateway_store_get(daemon_env(d), 1, ag->name, e->reference, &rec);
    if (rc == 0) {
        gateway_event_again(r, rec, e, &w->content);
        legalaid__gateway_notice__free_unpacked(rec, NULL);
        buf_free(&w->content);
        return;
    }
    if (rc != MDB_NOTFOUND || !gateway_notice_fly(ag->name, w->fly)) {
        if (rc != MDB_NOTFOUND) {
            gateway_http_problem(r, 503, "unavailable", NULL,
                                 _("the gateway cannot read its records now"));
        } else {
            gateway_http_problem(r, 503, "in-progress", "reference",
                                 _("文号 %s 的事项正在办理 (an event with reference %s is being "
                                 "taken now; resend in a second for its answer)"),
                                 e->reference, e->reference);
        }
        gateway_http_header(r, "Retry-After", rc != MDB_NOTFOUND ? "5" : "1");
        buf_free(&w->content);
        return;
    }

    gateway_notice_request_id("event", ag->name, e->reference, &w->content, w->request_id);

    Legalaid__ReportCaseEvent rep = LEGALAID__REPORT_CASE_EVENT__INIT;
    rep.case_id = case_id;
    rep.kind = e->kind;
    rep.has_kind = 1;
    rep.reference = e->reference;
    rep.at = e->at;
    rep.has_at = e->has_at;
    rep.place = e->place;
    rep.result = e->result;
    rep.note = e->note;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_REPORT_CASE_EVENT;
    req.report_case_event = &rep;
    gateway_notice_ask(r, GW_DISPATCH, &req, w->request_id, gateway_event_reported, w);
}
