/*
 * commit.c - the group-commit engine: one loop turn applies everything that
 * is ready in one LMDB write transaction, commits once, then replies (see
 * daemon.h for the contract). The handlers' helpers are turn.c.
 *
 *   collect (zwatch callbacks)  ->  apply (one write txn)  ->  commit
 *   (fsync)  ->  send replies, answer parked fetches, send upstream
 *   fetches  ->  re-read ZMQ_EVENTS (zwatch_kick).
 *
 * Every request and event is applied in the turn's own transaction. One
 * that is refused or fails having written nothing (store_calls.h counts the
 * LMDB write calls) leaves nothing to undo. One that fails after it wrote
 * (COMMIT_REDO), or a transaction LMDB found broken at the commit, undoes
 * the whole turn, which runs again with a child transaction per message
 * (d->isolate), so that the failure undoes that message alone, as before
 * session 29. A child per message cost the daemons a fifth of their CPU on
 * a burst of 20,000 applications (LMDB copies, in each child, every page
 * the child touches), for failures that are rare and mostly write nothing.
 *
 * MDB_MAP_FULL anywhere aborts the whole transaction, grows the map and
 * applies the same messages again: they are still in memory, nothing was
 * sent. Any other storage failure answers every request UNAVAILABLE (the
 * client retries with the same request_id) and re-fetches upstream batches
 * from the committed offset.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "client.h"
#include "clock.h"
#include "access.h"
#include "daemon_int.h"
#include "stream_trim.h"
#include "fieldtext.h"
#include "framescan.h"
#include "la_limits.h"
#include "log.h"
#include "mask.h"
#include "replies.h"
#include "store_calls.h"
#include "xalloc.h"
#include "i18n.h"

static int commit_reply_is_final(const Legalaid__Reply *r)
{
    /* A refusal that depends on the state (CONFLICT: not in this state;
     * NOT_FOUND: not there yet) changed nothing, and the state may change:
     * a retry with the same request_id runs again (the gateway resends an
     * agency's event with the same id until the case is ready for it). */
    return !r->has_code ||
           (r->code != LEGALAID__CODE__UNAVAILABLE && r->code != LEGALAID__CODE__INTERNAL &&
            r->code != LEGALAID__CODE__CONFLICT && r->code != LEGALAID__CODE__NOT_FOUND);
}

/* A reply saying the request changed nothing, because nothing could be
 * written (issue 18, item 5): UNAVAILABLE, nothing_written set, "disk
 * full" named when it is. The client retries with the same request_id and,
 * if it gives up, says that nothing was written. */
static void commit_fail_unwritten(turn_t *t, Legalaid__Reply *reply, int rc)
{
    daemon_t *d = t->d;
    if (rc == 0 || store_disk_full(&d->store, rc))
        turn_fail(t, reply, LEGALAID__CODE__UNAVAILABLE, NULL,
                  _("disk full at %s, nothing was written; retry with the same request_id once "
                    "space is freed"),
                  d->svc->name);
    else
        turn_fail(t, reply, LEGALAID__CODE__UNAVAILABLE, NULL,
                  _("storage failure (%s), nothing was written; retry with the same request_id"),
                  store_strerror(rc));
    reply->has_nothing_written = reply->nothing_written = 1;
}

static int commit_request_id_valid(const char *id)
{
    return check_key_text(id, LA_REQUEST_ID_MAX) == NULL;
}

/* Reads field 1 (request_id) from the front of a frame that will not be
 * decoded (too large, or malformed) so the error reply still reaches the
 * right waiting request. protobuf-c packs fields in number order, so a
 * request_id, when present, comes first. Bounded: looks at most at 140 bytes. */
static char *commit_peek_request_id(arena_t *a, const unsigned char *p, size_t len)
{
    if (len < 2 || p[0] != 0x0a) return NULL;
    size_t n = p[1];
    if (n == 0 || n > LA_REQUEST_ID_MAX || n + 2 > len) return NULL;
    for (size_t i = 0; i < n; i++)
        if (p[2 + i] < 0x21 || p[2 + i] > 0x7e) return NULL;
    char *id = arena_alloc(a, n + 1);
    memcpy(id, p + 2, n);
    return id;
}

/* Every text of the request's body is UTF-8 and within LA_FIELD_MAX
 * (protobuf-c checks neither): else the reply names the field, as the
 * body's own checks do ("application.matter"). Returns 1 when refused. */
static int commit_texts_refused(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
        &legalaid__request__descriptor, (unsigned)req->body_case);
    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE) return 0;
    const ProtobufCMessage *body = *(ProtobufCMessage *const *)((const char *)req + f->offset);
    char field[256], msg[400];
    if (fieldtext_check(body, "", NULL, field, sizeof field, msg, sizeof msg) == 0) return 0;
    turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, field, _("%s"), msg);
    return 1;
}

static int commit_is_query(daemon_t *d, const Legalaid__Request *req)
{
    if (core_is_query(d, req)) return 1;
    for (const int *q = d->svc->queries; q && *q; q++)
        if ((int)req->body_case == *q) return 1;
    return 0;
}

/* What the audit needs of a request once it is handled. */
typedef struct commit_audit {
    const principal_t *who;
    principal_t who_copy; /* a ReloadKeys in the turn frees the allow-list it came from */
    const char *action; /* when there is no decoded request */
    const Legalaid__Request *req;
    const Legalaid__Reply *reply;
    const turn_t *t;
    int replayed;
    int unmasked; /* a person's record read whole (Request.unmask) */
} commit_audit_t;

/* Request.on_behalf for a person signed in to the gateway's pages: the
 * roles the gateway may delegate (its delegate=), bound as the allow-list
 * binds them, named "PERSON@GATEWAY". 0, or -1 after a refusal. */
static int commit_on_behalf_person(turn_t *t, const Legalaid__OnBehalf *ob, principal_t *p,
                                   Legalaid__Reply *reply)
{
    char err[300];
    unsigned roles = 0;
    if (!ob->roles || principal_roles_parse(ob->roles, &roles, err, sizeof err) < 0 || !roles) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "on_behalf.roles",
                  _("on_behalf.roles: %s"), ob->roles ? err : "required with on_behalf.person");
        return -1;
    }
    if (roles & ~t->who->delegate) {
        char have[200], want[200];
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "on_behalf.roles",
                  _("网关无权代理这些角色 (the gateway %s may act for %s only, not %s)"),
                  t->who->name,
                  t->who->delegate ? principal_roles_text(t->who->delegate, have, sizeof have)
                                   : "(no one: no delegate= on its allow-list line)",
                  principal_roles_text(roles, want, sizeof want));
        return -1;
    }
    const char *station = ob->station ? ob->station : "", *lawyer = ob->lawyer ? ob->lawyer : "";
    const char *bad = !(roles & ROLE_STATION) != !station[0] ? "on_behalf.station"
                      : !(roles & ROLE_LAWYER) != !lawyer[0] ? "on_behalf.lawyer"
                                                             : NULL;
    if (bad || strlen(station) >= sizeof p->station || strlen(lawyer) >= sizeof p->lawyer) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, bad ? bad : "on_behalf",
                  _("%s goes with the role of the same name, and only with it"),
                  bad ? bad : "on_behalf.station or .lawyer");
        return -1;
    }
    snprintf(p->name, sizeof p->name, "%.30s@%.30s", ob->person, t->who->name);
    snprintf(p->station, sizeof p->station, "%s", station);
    snprintf(p->lawyer, sizeof p->lawyer, "%s", lawyer);
    p->roles = roles;
    return 0;
}

/* Request.on_behalf: the gateway (role edge) acts for an agency it
 * authenticated, as that agency bound to its authority, named
 * "AGENCY@GATEWAY" in the event and the audit; or for a person signed in
 * to its pages (commit_on_behalf_person). 1 after a refusal. */
static int commit_on_behalf(turn_t *t, commit_audit_t *au, const Legalaid__Request *req,
                            Legalaid__Reply *reply)
{
    const Legalaid__OnBehalf *ob = req->on_behalf;
    if (!ob) return 0;
    if (!(t->who->roles & ROLE_EDGE)) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "on_behalf",
                  _("只有对外网关可以代办案机关或登录用户提出请求 (only the gateway, role edge, may "
                  "act on behalf of an agency or a signed-in person): %s has no such role"),
                  t->who->name);
        return 1;
    }
    principal_t p;
    memset(&p, 0, sizeof p);
    memcpy(p.key, t->who->key, sizeof p.key);
    if (ob->person && ob->person[0] && !(ob->agency && ob->agency[0])) {
        if (commit_on_behalf_person(t, ob, &p, reply)) return 1;
    } else {
        const char *missing = !ob->agency || !ob->agency[0]         ? "on_behalf.agency"
                              : !ob->authority || !ob->authority[0] ? "on_behalf.authority"
                                                                    : NULL;
        if (missing) {
            turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, missing,
                      _("%s is required (or on_behalf.person with roles)"), missing);
            return 1;
        }
        snprintf(p.name, sizeof p.name, "%.30s@%.30s", ob->agency, t->who->name);
        snprintf(p.authority, sizeof p.authority, "%s", ob->authority);
        p.roles = ROLE_AGENCY;
    }
    au->who_copy = p;
    t->who = au->who = &au->who_copy;
    return 0;
}

/* The principal of the key the request came with: NULL (why says it) when
 * the key is no longer admitted, as after a reload that revoked it. Tests
 * act as daemon_test_act_as() says; with security off, every peer is the
 * principal "local" with every role. */
static const principal_t *commit_principal(daemon_t *d, const inbound_t *in, char *why, size_t n)
{
    if (d->test_mode) return d->test_principal;
    if (!d->sec.on) return &d->anyone;
    const principal_t *p = in->key[0] ? principal_find_key(&d->sec.allow, in->key) : NULL;
    if (!p)
        snprintf(why, n, "拒绝: 密钥不在允许名单中 (the key %s is not on the allow-list)",
                 in->key[0] ? in->key : "(none)");
    else if (p->revoked)
        snprintf(why, n, "拒绝: 密钥已被吊销 (the key of %s was revoked)", p->name);
    return p && !p->revoked ? p : NULL;
}

/* The role check (access.c): 1 after a FORBIDDEN reply naming the roles
 * that may make the request. */
static int commit_access_refused(turn_t *t, const Legalaid__Request *req, Legalaid__Reply *reply)
{
    unsigned need = access_roles((int)req->body_case);
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
        &legalaid__request__descriptor, (unsigned)req->body_case);
    /* The gateway may read an assignment whole: it holds no applicant, and
     * the notifying authority is told how to reach the lawyer (art. 36). */
    int edge_reads_lawyer = (t->who->roles & ROLE_EDGE) &&
                            req->body_case == LEGALAID__REQUEST__BODY_GET_ASSIGNMENT;
    if ((t->who->roles & need) && req->unmask && f && access_reads_person((int)req->body_case) &&
        !(t->who->roles & (ROLE_UNMASK | ROLE_LAWYER)) && !edge_reads_lawyer) {
        turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "unmask",
                  _("无权查看完整个人信息: 需要可查看完整个人信息的工作人员 (unmask requires the "
                  "right unmask; %s has not: ID numbers and phones are shown masked)"),
                  t->who->name);
        reply->request_id = req->request_id;
        return 1;
    }
    if (t->who->roles & need) return 0;
    /* A body no daemon knows is answered UNKNOWN_TYPE; a known one missing
     * from the table is refused to everyone (the table fails closed). */
    if (!f) return 0;
    char zh[300], en[200], have[200];
    principal_roles_zh(need, zh, sizeof zh);
    principal_roles_text(need, en, sizeof en);
    principal_roles_text(t->who->roles, have, sizeof have);
    turn_fail(t, reply, LEGALAID__CODE__FORBIDDEN, "body",
              _("无权操作: %s 需要%s角色 (%s requires role %s; %s has %s)"),
              f ? f->name : "this request", zh[0] ? zh : "(无)", f ? f->name : "this request",
              en[0] ? en : "(none: unknown request)", t->who->name, have);
    reply->request_id = req->request_id;
    return 1;
}

/* The case a request names: its body's case_id (or id) when it has one. */
static const char *commit_case_of(const Legalaid__Request *req)
{
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field(
        &legalaid__request__descriptor, (unsigned)req->body_case);
    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE) return NULL;
    const ProtobufCMessage *body = *(ProtobufCMessage *const *)((const char *)req + f->offset);
    if (!body) return NULL;
    static const char *const names[] = {"case_id", "application_id", "id"};
    for (int i = 0; i < 3; i++) {
        const ProtobufCFieldDescriptor *cf =
            protobuf_c_message_descriptor_get_field_by_name(body->descriptor, names[i]);
        if (cf && cf->type == PROTOBUF_C_TYPE_STRING && cf->label != PROTOBUF_C_LABEL_REPEATED) {
            const char *v = *(char *const *)((const char *)body + cf->offset);
            if (v && *v) return v;
        }
    }
    return NULL;
}

/* Appends the request's audit entry in txn (the turn's own: it commits
 * with the change, and stays when the change was refused) when it changed
 * or tried to change something, read a person's record, or was refused. */
static int commit_audit(daemon_t *d, MDB_txn *txn, const commit_audit_t *au)
{
    const Legalaid__Request *req = au->req;
    const Legalaid__Reply *r = au->reply;
    int code = r->has_code ? (int)r->code : 0;
    int refused = code == LEGALAID__CODE__FORBIDDEN || code == LEGALAID__CODE__BAD_REQUEST ||
                  code == LEGALAID__CODE__TOO_LARGE || code == LEGALAID__CODE__UNKNOWN_TYPE;
    int change = req && !commit_is_query(d, req);
    int person = req && access_reads_person((int)req->body_case);
    if (!refused && !change && !person) return 0;
    Legalaid__AuditEntry e = LEGALAID__AUDIT_ENTRY__INIT;
    char roles[200] = "";
    e.at = au->t->now;
    e.has_at = 1;
    e.principal = au->who ? (char *)au->who->name : "-";
    if (au->who) e.roles = principal_roles_text(au->who->roles, roles, sizeof roles);
    const ProtobufCFieldDescriptor *f =
        req ? protobuf_c_message_descriptor_get_field(&legalaid__request__descriptor,
                                                      (unsigned)req->body_case)
            : NULL;
    e.action = (char *)(f ? f->name : au->action ? au->action : "request");
    e.case_id = (char *)(au->t->audit_case ? au->t->audit_case : req ? commit_case_of(req) : NULL);
    e.code = (Legalaid__Code)code;
    e.has_code = 1;
    e.detail = code              ? r->error
               : au->unmasked    ? "read unmasked (完整信息)"
               : person && !change ? "read"
                                 : NULL;
    return audit_append(d, txn, &e);
}

/* A frame whose body lists more than max_request_entries entries in one
 * list is refused before it is decoded (framescan.h): 1 after filling
 * reply with TOO_LARGE naming the list. */
static int commit_too_many_entries(daemon_t *d, turn_t *t, const unsigned char *frame, size_t len,
                                   Legalaid__Reply *reply)
{
    framescan_t scan;
    if (framescan_entries(frame, len, &scan) < 0 ||
        scan.entries <= (size_t)d->cfg.max_request_entries)
        return 0;
    char field[200];
    snprintf(field, sizeof field, "%s.%s", scan.body, scan.list);
    turn_fail(t, reply, LEGALAID__CODE__TOO_LARGE, field,
              _("%s holds %zu entries; at most %lld in one request (max_request_entries): send "
                "them in several requests"),
              field, scan.entries, d->cfg.max_request_entries);
    reply->request_id = commit_peek_request_id(&d->arena, frame, len);
    return 1;
}

/* A request refused before it was decoded keeps its small reply under the
 * request_id read from the frame, unless that id already has one (never
 * replaced: the first reply stands). 0 or a store error. */
static int commit_refusal_keep(daemon_t *d, MDB_txn *txn, const char *request_id, int64_t now,
                               const unsigned char *hash, const buf_t *reply)
{
    if (!request_id || !commit_request_id_valid(request_id)) return 0;
    MDB_val k = {strlen(request_id), (void *)request_id}, v;
    int rc = mdb_get(txn, d->replies, &k, &v); /* the seal need not be opened */
    if (rc == 0) return 0;
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    return replies_keep(d, txn, request_id, now, hash, reply);
}

/* Applies one request; queues its reply (or parks a fetch) in *park_out. */
static int commit_handle_request(daemon_t *d, MDB_txn *parent, inbound_t *in, buf_t *out,
                                 parked_t *park, commit_audit_t *au, turn_t *t,
                                 Legalaid__Reply *replyp)
{
#define reply (*replyp)
    size_t len = zmq_msg_size(&in->body);
    park->used = 0;
    char why[200];
    const principal_t *p = commit_principal(d, in, why, sizeof why);
    if (p) {
        au->who_copy = *p;
        t->who = au->who = &au->who_copy;
    }
    if (!t->who) {
        au->action = "request";
        turn_fail(t, &reply, LEGALAID__CODE__FORBIDDEN, NULL, _("%s"), why);
        reply.request_id = commit_peek_request_id(&d->arena, zmq_msg_data(&in->body), len);
        client_pack_reply(&reply, out);
        return 0;
    }

    if (in->bad_frames) {
        au->action = "bad_frames";
        turn_fail(t, &reply, LEGALAID__CODE__BAD_REQUEST, NULL,
                  _("expected one frame holding a legalaid.Request, got %d frames"), in->bad_frames);
        client_pack_reply(&reply, out);
        return 0;
    }
    if (len > (size_t)d->cfg.max_frame_bytes) {
        au->action = "too_large";
        turn_fail(t, &reply, LEGALAID__CODE__TOO_LARGE, NULL,
                  _("frame of %zu bytes exceeds max_frame_bytes=%lld"), len, d->cfg.max_frame_bytes);
        reply.request_id = commit_peek_request_id(&d->arena, zmq_msg_data(&in->body), len);
        client_pack_reply(&reply, out);
        return 0;
    }
    const unsigned char *frame = zmq_msg_data(&in->body);
    unsigned char hash[REPLIES_HASH_BYTES];
    replies_hash(frame, len, hash);
    if (commit_too_many_entries(d, t, frame, len, &reply)) {
        au->action = "too_many_entries";
        client_pack_reply(&reply, out);
        return commit_refusal_keep(d, parent, reply.request_id, t->now, hash, out);
    }
    /* What the frame decodes to is bounded too (a small frame can ask for
     * much): the decoder fails cleanly past max_decoded_bytes. */
    arena_limit(&d->req_arena, (size_t)d->cfg.max_decoded_bytes);
    Legalaid__Request *req = legalaid__request__unpack(&d->req_arena.pb, len, frame);
    if (!req && d->req_arena.over_limit) {
        au->action = "too_large_decoded";
        turn_fail(t, &reply, LEGALAID__CODE__TOO_LARGE, NULL,
                  _("frame of %zu bytes decodes to more than max_decoded_bytes=%lld; send it in "
                    "smaller requests"),
                  len, d->cfg.max_decoded_bytes);
        reply.request_id = commit_peek_request_id(&d->arena, frame, len);
        client_pack_reply(&reply, out);
        return commit_refusal_keep(d, parent, reply.request_id, t->now, hash, out);
    }
    if (!req) {
        au->action = "malformed";
        turn_fail(t, &reply, LEGALAID__CODE__BAD_REQUEST, NULL,
                  _("malformed frame: %zu bytes that do not decode as a legalaid.Request"), len);
        reply.request_id = commit_peek_request_id(&d->arena, zmq_msg_data(&in->body), len);
        client_pack_reply(&reply, out);
        return 0;
    }
    d->requests++;
    reply.request_id = req->request_id;
    t->causation = req->request_id;
    au->req = req;
    if (commit_on_behalf(t, au, req, &reply) || commit_access_refused(t, req, &reply)) {
        client_pack_reply(&reply, out);
        return 0;
    }
    if (req->body_case == LEGALAID__REQUEST__BODY__NOT_SET) {
        turn_fail(t, &reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                  _("the request carries no body that %s knows (unknown message type?)"),
                  d->svc->name);
        reply.request_id = req->request_id;
        client_pack_reply(&reply, out);
        return 0;
    }
    if (commit_texts_refused(t, req, &reply)) {
        reply.request_id = req->request_id;
        client_pack_reply(&reply, out);
        return 0;
    }
    int query = commit_is_query(d, req);
    /* The disk is full: what only reads is answered; a change, and a read
     * of a person's record (it must be audited), wait for space. */
    if (d->writes_refused && (!query || access_reads_person((int)req->body_case))) {
        commit_fail_unwritten(t, &reply, 0);
        reply.request_id = req->request_id;
        client_pack_reply(&reply, out);
        return 0;
    }
    if (!query) {
        if (!commit_request_id_valid(req->request_id)) {
            turn_fail(t, &reply, LEGALAID__CODE__BAD_REQUEST, "request_id",
                      _("request_id is required: 1 to %d printable ASCII characters, chosen by "
                      "the client and reused when it retries"),
                      LA_REQUEST_ID_MAX);
            reply.request_id = req->request_id;
            client_pack_reply(&reply, out);
            return 0;
        }
        int differs;
        int rc = replies_find(d, parent, req->request_id, hash, &differs, out);
        if (rc == 0 && differs) {
            log_warn("request_id %s reused for a different request: refused CONFLICT",
                     req->request_id);
            turn_fail(t, &reply, LEGALAID__CODE__CONFLICT, "request_id",
                      _("request_id %s was used before for a different request (another "
                        "body); a retry resends the same request, a new one needs a new "
                        "request_id"),
                      req->request_id);
            reply.request_id = req->request_id;
            client_pack_reply(&reply, out);
            return 0;
        }
        if (rc == 0) {
            /* A retry: the first reply, and nothing changes twice. */
            log_debug("replayed reply request_id=%s", req->request_id);
            au->replayed = 1; /* audited the first time */
            return 0;
        }
        if (rc != MDB_NOTFOUND) return store_rc(rc);
    }

    /* In the turn's own transaction (commit_run), or, once the turn runs
     * again isolated, in a child of it that a refusal undoes. */
    MDB_txn *child = parent;
    uint64_t writes = store_calls_writes();
    int rc = d->isolate ? store_begin(d->store.env, parent, &child) : 0;
    if (rc) return store_rc(rc);
    t->txn = child;
    rc = core_request(t, req, &reply, park);
    if (rc == 0) {
        if (!d->svc->handle)
            turn_fail(t, &reply, LEGALAID__CODE__UNKNOWN_TYPE, "body",
                      _("%s does not take this kind of request"), d->svc->name);
        else
            rc = store_rc(d->svc->handle(t, req, &reply));
    } else if (rc > 0) {
        rc = 0; /* handled by the core */
    }
    reply.request_id = req->request_id;
    int ok = rc == 0 && (!reply.has_code || reply.code == LEGALAID__CODE__OK);
    if (!d->isolate) {
        /* Refused having written nothing: nothing to undo. Refused after a
         * write, or a storage error: the turn runs again, isolated. */
        if (rc == MDB_MAP_FULL) return rc;
        if (rc || (!ok && store_calls_writes() != writes)) return COMMIT_REDO;
    } else if (ok) {
        rc = store_commit(child);
    } else {
        store_undo(child);
    }
    if (rc == MDB_MAP_FULL) return rc; /* the whole turn grows the map and runs again */
    if (rc) {
        /* This request alone fails; the others of the turn go on. Not stored:
         * a retry with the same request_id runs it again. */
        log_error("request failed request_id=%s: %s", req->request_id ? req->request_id : "-",
                  store_strerror(rc));
        park->used = 0;
        turn_fail(t, &reply, LEGALAID__CODE__INTERNAL, NULL,
                  _("%s could not apply this request (%s); nothing was changed, retry with the same "
                  "request_id"),
                  d->svc->name, store_strerror(rc));
        reply.has_nothing_written = reply.nothing_written = 1;
        reply.request_id = req->request_id;
    }
    if (park->used) return 0;
    /* A person's record: ID numbers, phones and addresses masked, unless
     * unmask was asked (and allowed: commit_access_refused). */
    if (access_reads_person((int)req->body_case) &&
        (!reply.has_code || reply.code == LEGALAID__CODE__OK)) {
        if (req->unmask)
            au->unmasked = 1;
        else
            mask_message(&reply.base, t->arena);
    }
    client_pack_reply(&reply, out);
    if (!query && commit_reply_is_final(&reply)) {
        rc = replies_keep(d, parent, req->request_id, t->now, hash, out);
        if (rc) return rc;
    }
    return 0;
}
#undef reply

static int commit_apply_request(daemon_t *d, MDB_txn *parent, inbound_t *in, buf_t *out,
                                parked_t *park)
{
    commit_audit_t au = {0};
    Legalaid__Reply reply = LEGALAID__REPLY__INIT;
    turn_t t = {d, parent, &d->arena, clock_now_ms(), NULL, NULL, NULL, NULL};
    au.reply = &reply;
    au.t = &t;
    int rc = commit_handle_request(d, parent, in, out, park, &au, &t, &reply);
    /* (No audit entry while the disk is full: it could not be written;
     * what would need one is refused, see commit_handle_request.) */
    if (rc == 0 && !au.replayed && !d->writes_refused) rc = commit_audit(d, parent, &au);
    if (rc == 0 && !park->used)
        metrics_request(&d->metrics, au.req ? (int)au.req->body_case : 0,
                        reply.has_code ? (int)reply.code : 0);
    /* The decoded request is done with (its reply is packed, its events
     * stored): its memory goes now, not at the end of the turn. */
    arena_reset(&d->req_arena);
    return rc;
}

/* The turn did not commit: nothing it queued goes out, no upstream offset
 * moves. */
static void commit_discard(daemon_t *d)
{
    metrics_discard(&d->metrics);
    outbound_discard(d);
    upstream_discard(d);
}

/* The service's tick, in a child transaction of the turn. */
static int commit_apply_tick(daemon_t *d, MDB_txn *txn)
{
    MDB_txn *child;
    int rc = store_begin(d->store.env, txn, &child);
    if (rc) return rc;
    turn_t t = {d, child, &d->arena, clock_now_ms(), "tick", NULL, NULL, NULL};
    rc = store_rc(d->svc->tick(&t));
    if (rc == 0) {
        rc = store_commit(child);
    } else {
        store_undo(child);
    }
    if (rc == MDB_MAP_FULL) return rc;
    if (rc) log_error("tick failed, tried again at the next one: %s", store_strerror(rc));
    d->tick_due = 0; /* a failing tick never holds the turn's requests hostage */
    return 0;
}

/* What a turn does besides its messages: the ZAP refusals to audit, the
 * tick with the pruning of old replies and the trim of the stream log
 * (stream_trim.h), a share of a re-seal pass. 0 or a store error. */
static int commit_apply_background(daemon_t *d, MDB_txn *txn)
{
    if (d->n_pending_refusals) {
        int rc = zap_flush(d, txn);
        if (rc) return rc;
    }
    if (d->tick_due) {
        int rc = replies_prune(d, txn, clock_now_ms(), 1000);
        if (rc < 0) return rc;
        if ((rc = stream_trim_tick(d, txn, clock_now_ms(), 1000)) < 0) return rc;
        if (d->svc->tick) {
            rc = commit_apply_tick(d, txn);
            if (rc < 0) return rc;
        }
        d->tick_due = 0;
    }
    if (d->reseal_due) {
        int rc = reseal_step(d, txn);
        if (rc) return rc;
    }
    return 0;
}

static int commit_apply_all(daemon_t *d, MDB_txn *txn, parked_t *parks, int *n_parks)
{
    *n_parks = 0;
    /* While the disk is full only what reads runs: no tick, no re-seal. */
    int rc = d->writes_refused ? 0 : commit_apply_background(d, txn);
    if (rc) return rc;
    for (int i = 0; i < d->n_inbound; i++) {
        inbound_t *in = &d->inbound[i];
        if (in->up && d->writes_refused) {
            upstream_fetch_later(in->up); /* applied once space is freed */
            continue;
        }
        if (in->up) {
            rc =
                upstream_apply_reply(in->up, txn, zmq_msg_data(&in->body), zmq_msg_size(&in->body));
        } else {
            buf_t out = {0};
            parked_t *park = &parks[*n_parks];
            rc = commit_apply_request(d, txn, in, &out, park);
            if (rc == 0) {
                if (park->used) {
                    park->used = i + 1; /* remember which inbound it came from */
                    (*n_parks)++;
                } else {
                    outbound_add(d, &in->identity, in->delimiter, &out);
                }
            }
            buf_free(&out);
        }
        if (rc != 0) return rc < 0 ? rc : -rc;
    }
    return 0;
}

void commit_release_inbound(daemon_t *d)
{
    for (int i = 0; i < d->n_inbound; i++) {
        zmq_msg_close(&d->inbound[i].identity);
        zmq_msg_close(&d->inbound[i].body);
    }
    d->n_inbound = 0;
}

int commit_run(daemon_t *d)
{
    if (d->n_inbound == 0 && !d->tick_due && !d->n_pending_refusals && !d->reseal_due) return 0;
    parked_t *parks = xcalloc((size_t)d->n_inbound + 1, sizeof *parks);
    int n_parks = 0, rc = 0;
    int64_t commit_us = 0;
    for (int attempt = 0;; attempt++) {
        MDB_txn *txn;
        rc = store_begin(d->store.env, NULL, &txn);
        if (rc == 0) {
            rc = commit_apply_all(d, txn, parks, &n_parks);
            if (rc == 0 && d->svc->precommit) rc = store_rc(d->svc->precommit(d, txn));
            if (rc == 0) {
                int64_t begun = clock_mono_us();
                rc = store_commit(txn);
                commit_us = clock_mono_us() - begun;
            } else
                store_undo(txn);
        }
        if (rc == 0) break;
        commit_discard(d);
        /* A request or event failed after it wrote (COMMIT_REDO), or LMDB
         * found the transaction broken at the commit (MDB_BAD_TXN: a message
         * broke it and went on): the same messages again, each in a child
         * transaction that its failure undoes. */
        if ((rc == COMMIT_REDO || rc == MDB_BAD_TXN) && !d->isolate) {
            log_debug("turn of %d messages runs again, a child transaction each", d->n_inbound);
            metrics_redone(&d->metrics);
            d->isolate = 1;
            continue;
        }
        if (rc == MDB_MAP_FULL && attempt < 16 && store_grow(&d->store) == 0) continue;
        /* The disk is full (issue 18, item 5): LMDB aborted the
         * transaction, nothing of the turn is on disk, and nothing of it
         * stays in memory (commit_discard). Once more without writes:
         * what only reads is answered, the rest told nothing was written. */
        if (!d->writes_refused && store_disk_full(&d->store, rc)) {
            if (!d->disk_full)
                log_error(_("disk full, nothing was written: %s cannot commit in %s (%s); changes "
                            "are refused and reads answered until space is freed"),
                          d->svc->name, d->cfg.data_dir, store_strerror(rc));
            MDB_envinfo info;
            if (!d->disk_full && mdb_env_info(d->store.env, &info) == 0)
                d->disk_full_txnid = info.me_last_txnid;
            d->disk_full = 1;
            d->writes_refused = 1;
            n_parks = 0;
            continue;
        }
        break;
    }
    int degraded = d->writes_refused;
    d->writes_refused = 0;
    d->isolate = 0;
    d->turns++;
    metrics_settle(&d->metrics, rc == 0, (size_t)d->n_inbound, (double)commit_us / 1e6);
    if (rc == 0) {
        if (!degraded) d->n_pending_refusals = 0;
        if (degraded)
            log_debug("disk full: a turn of %d messages answered, nothing written", d->n_inbound);
        /* Full until a turn that wrote something commits (a turn that
         * wrote nothing commits without touching the disk). */
        MDB_envinfo info;
        if (d->disk_full && !degraded && mdb_env_info(d->store.env, &info) == 0 &&
            info.me_last_txnid != d->disk_full_txnid) {
            log_info(_("disk space freed: %s writes again"), d->svc->name);
            d->disk_full = 0;
        }
        d->tick_due = 0; /* a tick skipped while the disk is full runs at the next second */
        upstream_after_commit(d);
        for (int i = 0; i < n_parks; i++) fetch_park(d, &d->inbound[parks[i].used - 1], &parks[i]);
        d->answer_parked = 1;
    } else {
        /* A failed write of the meta page leaves LMDB unusable (MDB_PANIC
         * from the next transaction on): found now, not a turn later. */
        MDB_txn *probe;
        int prc = rc == MDB_PANIC ? 0 : mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &probe);
        if (prc == MDB_PANIC)
            rc = MDB_PANIC;
        else if (prc == 0 && rc != MDB_PANIC)
            mdb_txn_abort(probe);
        if (!d->disk_full || !store_disk_full(&d->store, rc))
            log_error("write transaction failed, %d messages answered UNAVAILABLE, nothing was "
                      "written: %s",
                      d->n_inbound, store_strerror(rc));
        for (int i = 0; i < d->n_inbound; i++) {
            inbound_t *in = &d->inbound[i];
            if (in->up) {
                upstream_fetch_later(in->up);
                continue;
            }
            Legalaid__Reply reply = LEGALAID__REPLY__INIT;
            turn_t t = {d, NULL, &d->arena, 0, NULL, NULL, NULL, NULL};
            commit_fail_unwritten(&t, &reply, rc);
            reply.request_id =
                commit_peek_request_id(&d->arena, zmq_msg_data(&in->body), zmq_msg_size(&in->body));
            buf_t out = {0};
            client_pack_reply(&reply, &out);
            outbound_add(d, &in->identity, in->delimiter, &out);
        }
        if (rc == MDB_PANIC && !d->fatal) {
            log_fatal(_("storage failure: LMDB cannot go on after a failed write (%s); %s stops "
                        "and starts again from its last commit (exit %d)"),
                      store_strerror(rc), d->svc->name, EXIT_TEMPFAIL);
            d->fatal = EXIT_TEMPFAIL;
        }
    }
    free(parks);
    commit_release_inbound(d);
    outbound_send_all(d);
    if (d->answer_parked) fetch_answer_parked(d, 0);
    upstream_send_due(d);
    if (d->svc->committed) d->svc->committed(d, rc == 0);
    arena_reset(&d->arena);
    return rc;
}
