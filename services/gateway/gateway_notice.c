/*
 * gateway_notice.c - the agencies' notices:
 *
 *   POST /v1/notices              a court's, procuratorate's or police
 *                                 notice that a person needs a lawyer (art.
 *                                 25, 28, 35, 36), or a detention centre's
 *                                 forwarded application (art. 39)
 *   GET  /v1/notices/{reference}  what became of it
 *
 * The body is an Application as legalaidctl apply reads it (pbjson), with
 * the agency's own authority filled in. The agency's reference (文号) with
 * the agency is the idempotency key: a resend returns the first answer and
 * changes nothing; the same reference with other content is 409 naming
 * the fields that differ. intake is asked with a request_id derived from
 * agency, reference and content, so a resend after the gateway or intake
 * was killed reaches intake's stored first reply; and the answer 201 goes
 * out only after intake's durable reply and the gateway's own record
 * (gateway_store.c).
 *
 * It also keeps what every agency request shares, used by gateway_event.c
 * too: the JSON body, the request_id, the 409 naming the fields, the
 * record's copy and the call to a daemon on the agency's behalf.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "gateway_int.h"
#include "log.h"
#include "pbjson.h"
#include "store.h"
#include "xalloc.h"
#include "i18n.h"
#include "regulation.h"

/* --- times for agencies: RFC 3339 at the configured offset ---------------- */

json_t *gateway_notice_time(int64_t ms)
{
    if (!ms) return json_null();
    int off = (int)gateway_config.utc_offset_minutes;
    time_t secs = (time_t)(ms / 1000) + off * 60;
    struct tm tm;
    gmtime_r(&secs, &tm);
    char buf[64];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
             abs(off) / 60, abs(off) % 60);
    return json_string(buf);
}

/* --- notices in flight: one reference at a time ---------------------------- */

typedef struct gateway_flight {
    char *key; /* agency NUL reference */
    size_t len;
    struct gateway_flight *next;
} gateway_flight_t;

static gateway_flight_t *gateway_flights;

int gateway_notice_fly(const char *agency, const char *reference)
{
    size_t a = strlen(agency) + 1, n = strlen(reference);
    for (gateway_flight_t *f = gateway_flights; f; f = f->next)
        if (f->len == a + n && memcmp(f->key, agency, a) == 0 && memcmp(f->key + a, reference, n) == 0)
            return 0;
    gateway_flight_t *f = xcalloc(1, sizeof *f);
    f->key = xmalloc(a + n);
    memcpy(f->key, agency, a);
    memcpy(f->key + a, reference, n);
    f->len = a + n;
    f->next = gateway_flights;
    gateway_flights = f;
    return 1;
}

void gateway_notice_land(const char *agency, const char *reference)
{
    size_t a = strlen(agency) + 1, n = strlen(reference);
    for (gateway_flight_t **pp = &gateway_flights; *pp; pp = &(*pp)->next) {
        gateway_flight_t *f = *pp;
        if (f->len == a + n && memcmp(f->key, agency, a) == 0 &&
            memcmp(f->key + a, reference, n) == 0) {
            *pp = f->next;
            free(f->key);
            free(f);
            return;
        }
    }
}

/* --- shared with gateway_event.c ------------------------------------------ */

ProtobufCMessage *gateway_notice_body(gateway_req_t *r, const ProtobufCMessageDescriptor *desc)
{
    const char *ct = gateway_http_get_header(r, "Content-Type");
    if (!ct || strncmp(ct, "application/json", 16) != 0) {
        gateway_http_problem(r, 415, "unsupported-media-type", NULL,
                             _("请以 JSON 发送 (send the body as Content-Type: application/json; got "
                             "%s)"),
                             ct ? ct : "none");
        return NULL;
    }
    pbjson_error_t err;
    ProtobufCMessage *m = pbjson_parse(r->body.data ? (const char *)r->body.data : "", desc,
                                       (int)gateway_config.utc_offset_minutes, &r->arena, &err);
    if (!m) {
        if (err.field[0])
            gateway_http_problem(r, 422, "invalid-field", err.field, _("%s"), err.message);
        else
            gateway_http_problem(r, 400, "not-json", NULL, _("%s"), err.message);
    }
    return m;
}

void gateway_notice_request_id(const char *domain, const char *agency, const char *reference,
                               const buf_t *content, char out[40])
{
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    if (domain) crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
    crypto_generichash_update(&st, (const unsigned char *)agency, strlen(agency) + 1);
    crypto_generichash_update(&st, (const unsigned char *)reference, strlen(reference) + 1);
    crypto_generichash_update(&st, (const unsigned char *)content->data, content->len);
    crypto_generichash_final(&st, h, sizeof h);
    memcpy(out, "gw-", 3);
    sodium_bin2hex(out + 3, 40 - 3, h, sizeof h);
}

void gateway_notice_conflict(gateway_req_t *r, const ProtobufCMessage *first,
                             const ProtobufCMessage *now, const char *reference,
                             const char *case_id)
{
    json_t *diff = json_array();
    if (first) {
        json_t *ja = pbjson_from_message(first, 0);
        json_t *jb = pbjson_from_message(now, 0);
        gateway_notice_differ(ja, jb, "", diff);
        json_decref(ja);
        json_decref(jb);
    }
    char *list = json_dumps(diff, JSON_COMPACT);
    const char *field = json_array_size(diff) ? json_string_value(json_array_get(diff, 0)) : NULL;
    gateway_http_problem(r, 409, "reference-conflict", field,
                         _("文号 %s 已收到内容不同的请求 (case %s); 不同之处: %s (reference %s was "
                         "received with other content; these fields differ: %s)"),
                         reference, case_id ? case_id : "-", list ? list : "[]", reference,
                         list ? list : "[]");
    free(list);
    json_decref(diff);
}

Legalaid__GatewayNotice *gateway_notice_copy(const Legalaid__GatewayNotice *n)
{
    buf_t packed = {0};
    buf_reserve(&packed, legalaid__gateway_notice__get_packed_size(n));
    packed.len = legalaid__gateway_notice__pack(n, (uint8_t *)packed.data);
    Legalaid__GatewayNotice *copy =
        legalaid__gateway_notice__unpack(NULL, packed.len, (uint8_t *)packed.data);
    buf_free(&packed);
    return copy;
}

void gateway_notice_ask(gateway_req_t *r, int daemon, Legalaid__Request *req,
                        const char *request_id, gateway_link_cb cb, void *ctx)
{
    Legalaid__OnBehalf ob = LEGALAID__ON_BEHALF__INIT;
    ob.agency = (char *)r->agency->name;
    ob.authority = (char *)r->agency->authority;
    req->request_id = (char *)request_id;
    req->on_behalf = &ob;
    gateway_link_call(daemon, req, (int)gateway_config.daemon_timeout_ms, 1, cb, ctx);
    req->on_behalf = NULL; /* packed by the call */
    gateway_http_suspend(r);
}

/* --- POST /v1/notices ------------------------------------------------------- */

typedef struct gateway_notice_work {
    daemon_t *d;
    gateway_req_t *r;
    const char *agency, *reference;
    char request_id[40];
    buf_t content; /* the Application packed */
} gateway_notice_work_t;

/* The answer to a notice intake took (201 new, 200 linked or a resend). */
static json_t *gateway_notice_answer(const Legalaid__GatewayNotice *n)
{
    json_t *j = json_object();
    json_object_set_new(j, "reference", json_string(n->reference));
    json_object_set_new(j, "case_id", json_string(n->case_id ? n->case_id : ""));
    json_object_set_new(j, "linked", json_boolean(n->linked));
    json_object_set_new(j, "received_at", gateway_notice_time(n->received_at));
    json_t *m = json_array();
    for (size_t i = 0; i < n->n_materials_received; i++)
        json_array_append_new(m, json_string(n->materials_received[i]));
    json_object_set_new(j, "materials_received", m);
    json_object_set_new(j, "status", json_string("received"));
    buf_t url = {0};
    buf_printf(&url, "/v1/notices/%s", n->reference);
    buf_append(&url, "", 1);
    json_object_set_new(j, "status_url", json_string((const char *)url.data));
    buf_free(&url);
    return j;
}

/* The paths of the fields that differ between two JSON objects (one level
 * of nesting named: "applicant.name"), appended to out. */
void gateway_notice_differ(json_t *a, json_t *b, const char *prefix, json_t *out)
{
    const char *key;
    json_t *va, *vb;
    char path[200];
    json_object_foreach(a, key, va) {
        vb = json_object_get(b, key);
        snprintf(path, sizeof path, "%s%s", prefix, key);
        if (vb && json_is_object(va) && json_is_object(vb) && !*prefix) {
            char sub[200];
            snprintf(sub, sizeof sub, "%s.", key);
            gateway_notice_differ(va, vb, sub, out);
        } else if (!vb || !json_equal(va, vb)) {
            json_array_append_new(out, json_string(path));
        }
    }
    json_object_foreach(b, key, vb) {
        if (json_object_get(a, key)) continue;
        snprintf(path, sizeof path, "%s%s", prefix, key);
        json_array_append_new(out, json_string(path));
    }
}

/* intake's field path ("application.applicant.id_number") as the body's. */
static const char *gateway_notice_field(const char *field)
{
    if (!field) return NULL;
    static const char *const prefixes[] = {"submit_application.application.", "application.",
                                           "submit_application."};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(field, prefixes[i], n) == 0) return field + n;
    }
    return field;
}

/* A refusal of the daemon as the HTTP status an agency's system acts on. */
unsigned gateway_notice_status(Legalaid__Code code, const char **type)
{
    switch (code) {
    case LEGALAID__CODE__INVALID_FIELD: *type = "invalid-field"; return 422;
    case LEGALAID__CODE__NOT_FOUND: *type = "not-found"; return 422;
    case LEGALAID__CODE__CONFLICT: *type = "conflict"; return 409;
    case LEGALAID__CODE__FORBIDDEN: *type = "forbidden"; return 403;
    case LEGALAID__CODE__TOO_LARGE: *type = "too-large"; return 413;
    case LEGALAID__CODE__BAD_REQUEST: *type = "bad-request"; return 400;
    case LEGALAID__CODE__UNAVAILABLE:
    case LEGALAID__CODE__INTERNAL: *type = "unavailable"; return 503;
    default: *type = "upstream"; return 502;
    }
}

void gateway_notice_unavailable(gateway_req_t *r, const char *daemon, const char *what)
{
    gateway_http_problem(r, 503, "unavailable", NULL,
                         _("%s 暂时无法应答, 通知未丢失, 请以相同文号重发 (%s did not answer within "
                         "%lld ms; %s: resend the same notice with the same reference and you get "
                         "the first answer)"),
                         daemon, daemon, gateway_config.daemon_timeout_ms, what);
    gateway_http_header(r, "Retry-After", "5");
}

static void gateway_notice_submitted(void *ctx, const Legalaid__Reply *reply)
{
    gateway_notice_work_t *w = ctx;
    gateway_req_t *r = w->r;
    gateway_notice_land(w->agency, w->reference);
    if (!reply) {
        gateway_notice_unavailable(r, "intake", "nothing was received twice");
    } else if (reply->code != LEGALAID__CODE__OK || !reply->application_accepted) {
        const char *type;
        unsigned status = gateway_notice_status(reply->code, &type);
        gateway_http_problem(r, status, type, gateway_notice_field(reply->field), _("%s"),
                             reply->error ? reply->error : "refused by intake");
        if (status == 503) gateway_http_header(r, "Retry-After", "5");
    } else {
        const Legalaid__ApplicationAccepted *acc = reply->application_accepted;
        Legalaid__GatewayNotice n = LEGALAID__GATEWAY_NOTICE__INIT;
        n.agency = (char *)w->agency;
        n.reference = (char *)w->reference;
        n.request_id = w->request_id;
        n.content.data = w->content.data;
        n.content.len = w->content.len;
        n.has_content = 1;
        n.case_id = acc->case_id;
        n.linked = acc->linked;
        n.has_linked = 1;
        n.received_at = acc->received_at;
        n.has_received_at = acc->has_received_at;
        n.first_at = clock_now_ms();
        n.has_first_at = 1;
        n.n_materials_received = acc->n_materials_received;
        n.materials_received = acc->materials_received;
        /* A heap copy that outlives the reply, for the write. */
        Legalaid__GatewayNotice *copy = gateway_notice_copy(&n);
        r->work = gateway_notice_answer(copy);
        if (copy->linked)
            log_info("notice agency=%s case=%s, linked to an open case", w->agency, copy->case_id);
        else
            log_info("notice agency=%s case=%s", w->agency, copy->case_id);
        gateway_store_queue(w->d, r, copy);
    }
    buf_free(&w->content);
}

void gateway_notice_post(daemon_t *d, gateway_req_t *r)
{
    const gateway_agency_t *ag = r->agency;
    Legalaid__Application *a =
        (Legalaid__Application *)gateway_notice_body(r, &legalaid__application__descriptor);
    if (!a) return;
    if (!a->authority || !a->authority->reference || !a->authority->reference[0]) {
        gateway_http_problem(r, 422, "invalid-field", "authority.reference",
                             _("文号必填 (authority.reference, the notice's reference number, is "
                             "required: it identifies the notice, and a resend with the same "
                             "reference returns the first answer)"));
        return;
    }
    if (a->authority->name && a->authority->name[0] && strcmp(a->authority->name, ag->authority)) {
        gateway_http_problem(r, 403, "forbidden", "authority.name",
                             _("办案机关只能发送本机关的通知 (agency %s posts only for %s, not for "
                             "%s)"),
                             ag->name, ag->authority, a->authority->name);
        return;
    }
    if (a->authority->has_kind && a->authority->kind != LEGALAID__AUTHORITY_KIND__AUTHORITY_UNSPECIFIED &&
        a->authority->kind != ag->kind) {
        gateway_http_problem(r, 403, "forbidden", "authority.kind",
                             _("agency %s is a %s, not the kind the notice names"), ag->name,
                             ag->kind == LEGALAID__AUTHORITY_KIND__COURT           ? "court"
                             : ag->kind == LEGALAID__AUTHORITY_KIND__PROCURATORATE ? "procuratorate"
                                                                                   : "police");
        return;
    }
    if (a->case_id) {
        gateway_http_problem(r, 422, "invalid-field", "case_id",
                             _("case_id is given by intake, not by the notice"));
        return;
    }
    if (!a->has_channel || a->channel == LEGALAID__CHANNEL__CHANNEL_UNSPECIFIED) {
        a->channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
        a->has_channel = 1;
    } else if (a->channel != LEGALAID__CHANNEL__AUTHORITY_NOTICE &&
               a->channel != LEGALAID__CHANNEL__CUSTODY_FORWARD) {
        gateway_http_problem(r, 422, "invalid-field", "channel",
                             _("an agency's notice comes as authority_notice (art. 25, 28, 35, 36) "
                             "or custody_forward (art. 39)"));
        return;
    }
    a->authority->kind = ag->kind;
    a->authority->has_kind = 1;
    a->authority->name = (char *)ag->authority;

    gateway_notice_work_t *w = arena_alloc(&r->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    w->d = d;
    w->r = r;
    w->agency = ag->name;
    w->reference = a->authority->reference;
    buf_reserve(&w->content, legalaid__application__get_packed_size(a));
    w->content.len = legalaid__application__pack(a, (uint8_t *)w->content.data);

    /* A resend, or the same reference with something else? */
    Legalaid__GatewayNotice *rec = NULL;
    int rc = gateway_store_get(daemon_env(d), 0, ag->name, w->reference, &rec);
    if (rc == 0) {
        if (rec->content.len == w->content.len &&
            memcmp(rec->content.data, w->content.data, w->content.len) == 0) {
            gateway_http_json(r, 200, gateway_notice_answer(rec));
        } else {
            Legalaid__Application *first =
                legalaid__application__unpack(&r->arena.pb, rec->content.len, rec->content.data);
            gateway_notice_conflict(r, first ? &first->base : NULL, &a->base, w->reference,
                                    rec->case_id);
        }
        legalaid__gateway_notice__free_unpacked(rec, NULL);
        buf_free(&w->content);
        return;
    }
    if (rc != MDB_NOTFOUND) {
        log_error("notices table unreadable: %s", store_strerror(rc));
        gateway_http_problem(r, 503, "unavailable", NULL, _("the gateway cannot read its records now"));
        gateway_http_header(r, "Retry-After", "5");
        buf_free(&w->content);
        return;
    }
    if (!gateway_notice_fly(ag->name, w->reference)) {
        gateway_http_problem(r, 503, "in-progress", "authority.reference",
                             _("文号 %s 的通知正在办理 (a notice with reference %s is being taken "
                             "now; resend in a second for its answer)"),
                             w->reference, w->reference);
        gateway_http_header(r, "Retry-After", "1");
        buf_free(&w->content);
        return;
    }

    /* The request_id: the same notice always asks intake the same thing. */
    gateway_notice_request_id(NULL, ag->name, w->reference, &w->content, w->request_id);

    Legalaid__SubmitApplication sub = LEGALAID__SUBMIT_APPLICATION__INIT;
    sub.application = a;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION;
    req.submit_application = &sub;
    gateway_notice_ask(r, GW_INTAKE, &req, w->request_id, gateway_notice_submitted, w);
}

/* --- GET /v1/notices/{reference} -------------------------------------------- */

typedef struct gateway_status_work {
    gateway_req_t *r;
    json_t *answer;
    json_t *unavailable;
    int waiting;
    int64_t assign_due, agreement_due; /* 0: none (or met) */
    int assigned;
} gateway_status_work_t;

static json_t *gateway_notice_enum(const ProtobufCEnumDescriptor *desc, int value)
{
    char buf[PBJSON_ENUM_MAX];
    return json_string(pbjson_enum_text(desc, value, buf));
}

static void gateway_notice_deadline(json_t *list, const char *what, const char *article,
                                    int64_t due)
{
    if (!due) return;
    json_t *j = json_object();
    json_object_set_new(j, "what", json_string(what));
    json_object_set_new(j, "due_at", gateway_notice_time(due));
    json_object_set_new(j, "article", json_string(article));
    json_array_append_new(list, j);
}

static void gateway_notice_status_done(gateway_status_work_t *w)
{
    if (--w->waiting > 0) return;
    json_t *deadlines = json_object_get(w->answer, "deadlines");
    if (!w->assigned)
        gateway_notice_deadline(deadlines, "assign_lawyer", regulation_cite_in(REG_LEGAL_AID_LAW, "36, 43", 1), w->assign_due);
    else
        gateway_notice_deadline(deadlines, "agreement_signed", regulation_cite_in(REG_LEGAL_AID_PROCEDURE, "27", 1),
                                w->agreement_due);
    json_object_set_new(w->answer, "unavailable", w->unavailable);
    gateway_http_json(w->r, 200, w->answer);
}

static void gateway_notice_decision(void *ctx, const Legalaid__Reply *reply)
{
    gateway_status_work_t *w = ctx;
    if (!reply || (reply->code != LEGALAID__CODE__OK && reply->code != LEGALAID__CODE__NOT_FOUND)) {
        json_array_append_new(w->unavailable, json_string("eligibility"));
    } else if (reply->code == LEGALAID__CODE__OK && reply->decision) {
        const Legalaid__Decision *d = reply->decision;
        json_t *j = json_object();
        json_object_set_new(j, "outcome", gateway_notice_enum(&legalaid__outcome__descriptor,
                                                              (int)d->outcome));
        json_object_set_new(j, "decided_at", gateway_notice_time(d->decided_at));
        json_t *arts = json_array();
        for (size_t i = 0; i < d->n_articles; i++)
            json_array_append_new(arts, json_string(d->articles[i]));
        json_object_set_new(j, "articles", arts);
        if (d->reason) json_object_set_new(j, "reason", json_string(d->reason));
        json_object_set_new(w->answer, "decision", j);
        json_object_set_new(w->answer, "status", json_string("decided"));
        if (d->outcome == LEGALAID__OUTCOME__APPROVED && !w->assign_due)
            w->assign_due = d->assign_due_at;
    }
    gateway_notice_status_done(w);
}

static void gateway_notice_assignment(void *ctx, const Legalaid__Reply *reply)
{
    gateway_status_work_t *w = ctx;
    if (!reply || (reply->code != LEGALAID__CODE__OK && reply->code != LEGALAID__CODE__NOT_FOUND)) {
        json_array_append_new(w->unavailable, json_string("dispatch"));
    } else if (reply->code == LEGALAID__CODE__OK && reply->assignment) {
        const Legalaid__Assignment *a = reply->assignment;
        json_t *j = json_object();
        json_object_set_new(j, "state", gateway_notice_enum(&legalaid__assignment_state__descriptor,
                                                            (int)a->state));
        json_object_set_new(j, "assigned_at", gateway_notice_time(a->assigned_at));
        /* What the agency told later (POST /v1/events), as the case keeps it. */
        if (a->hearing_at) {
            json_t *h = json_object();
            json_object_set_new(h, "at", gateway_notice_time(a->hearing_at));
            json_object_set_new(h, "place", a->hearing_place ? json_string(a->hearing_place)
                                                             : json_null());
            json_object_set_new(j, "hearing", h);
        }
        if (a->released_at) json_object_set_new(j, "released_at", gateway_notice_time(a->released_at));
        if (a->transferred_to) json_object_set_new(j, "transferred_to", json_string(a->transferred_to));
        if (a->concluded_at) {
            json_object_set_new(j, "concluded_at", gateway_notice_time(a->concluded_at));
            json_object_set_new(j, "result", json_string(a->result ? a->result : ""));
        }
        json_object_set_new(w->answer, "assignment", j);
        if (a->lawyer && a->assigned_at) {
            json_t *l = json_object();
            json_object_set_new(l, "name", json_string(a->lawyer->name ? a->lawyer->name : ""));
            json_object_set_new(l, "firm", json_string(a->lawyer->firm ? a->lawyer->firm : ""));
            json_object_set_new(l, "phone", json_string(a->lawyer->phone ? a->lawyer->phone : ""));
            json_object_set_new(w->answer, "lawyer", l);
            json_object_set_new(w->answer, "status", json_string("lawyer_appointed"));
            w->assigned = 1;
            w->agreement_due = a->signed_at ? 0 : a->agreement_due_at;
        } else if (a->assign_due_at) {
            w->assign_due = a->assign_due_at;
        }
    }
    gateway_notice_status_done(w);
}

void gateway_notice_get(daemon_t *d, gateway_req_t *r, const char *reference)
{
    Legalaid__GatewayNotice *rec = NULL;
    int rc = gateway_store_get(daemon_env(d), 0, r->agency->name, reference, &rec);
    if (rc == MDB_NOTFOUND) {
        gateway_http_problem(r, 404, "not-found", "reference",
                             _("本机关没有文号为 %s 的通知 (agency %s sent no notice with reference "
                             "%s)"),
                             reference, r->agency->name, reference);
        return;
    }
    if (rc) {
        gateway_http_problem(r, 503, "unavailable", NULL, _("the gateway cannot read its records now"));
        gateway_http_header(r, "Retry-After", "5");
        return;
    }
    gateway_status_work_t *w = arena_alloc(&r->arena, sizeof *w);
    memset(w, 0, sizeof *w);
    w->r = r;
    w->answer = gateway_notice_answer(rec);
    w->unavailable = json_array();
    json_object_set_new(w->answer, "decision", json_null());
    json_object_set_new(w->answer, "assignment", json_null());
    json_object_set_new(w->answer, "lawyer", json_null());
    json_object_set_new(w->answer, "deadlines", json_array());
    char *case_id = arena_strdup(&r->arena, rec->case_id ? rec->case_id : "");
    legalaid__gateway_notice__free_unpacked(rec, NULL);

    int timeout = (int)gateway_config.daemon_timeout_ms;
    w->waiting = 2;
    Legalaid__GetDecision gd = LEGALAID__GET_DECISION__INIT;
    gd.case_id = case_id;
    Legalaid__Request q1 = LEGALAID__REQUEST__INIT;
    q1.body_case = LEGALAID__REQUEST__BODY_GET_DECISION;
    q1.get_decision = &gd;
    Legalaid__GetAssignment ga = LEGALAID__GET_ASSIGNMENT__INIT;
    ga.case_id = case_id;
    Legalaid__Request q2 = LEGALAID__REQUEST__INIT;
    q2.body_case = LEGALAID__REQUEST__BODY_GET_ASSIGNMENT;
    q2.get_assignment = &ga;
    q2.unmask = 1; /* the lawyer's phone: how the authority reaches them (art. 36) */
    gateway_link_call(GW_ELIGIBILITY, &q1, timeout, 0, gateway_notice_decision, w);
    gateway_link_call(GW_DISPATCH, &q2, timeout, 0, gateway_notice_assignment, w);
    gateway_http_suspend(r);
}
