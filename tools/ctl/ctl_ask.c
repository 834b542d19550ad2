/*
 * ctl_ask.c - legalaidctl's side of the wire: requests to several daemons
 * at once (one thread and one connection each), so that a daemon that is
 * down costs one timeout, not one per daemon, and never stops the others'
 * answers from printing; and how a refusal or a silence is told.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

void ctl_ask_init(ctl_ask_t *a, ctl_daemon_t daemon)
{
    memset(a, 0, sizeof *a);
    a->daemon = daemon;
    legalaid__request__init(&a->req);
}

void ctl_ask_body(ctl_ask_t *a, ctl_daemon_t daemon, Legalaid__Request__BodyCase body_case,
                  ProtobufCMessage *body)
{
    ctl_ask_init(a, daemon);
    /* The oneof member numbered body_case: a pointer to body's type. */
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(&legalaid__request__descriptor, body_case);
    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE || f->descriptor != body->descriptor) {
        fprintf(stderr, "legalaidctl: request body %d is not a %s\n", (int)body_case,
                body->descriptor->name);
        abort();
    }
    a->req.body_case = body_case;
    memcpy((char *)&a->req + f->offset, &body, sizeof body);
}

typedef struct ctl_ask_job {
    const ctl_t *ctl;
    ctl_ask_t *ask;
    char request_id[33];
} ctl_ask_job_t;

static void *ctl_ask_thread(void *arg)
{
    ctl_ask_job_t *job = arg;
    ctl_ask_t *a = job->ask;
    const char *endpoint = job->ctl->endpoints[a->daemon];
    if (!endpoint[0]) {
        a->rc = -ENOENT;
        return NULL;
    }
    client_t *c =
        ctl_config_client(job->ctl, a->daemon, job->ctl->timeout_ms, a->why, sizeof a->why);
    if (!c) {
        a->rc = -ECONNREFUSED;
        return NULL;
    }
    client_request_id(job->request_id);
    a->req.request_id = job->request_id;
    a->req.unmask = job->ctl->unmask;
    a->req.has_unmask = job->ctl->unmask;
    a->rc = client_call(c, &a->req, &a->reply);
    a->req.request_id = NULL;
    client_destroy(&c);
    return NULL;
}

void ctl_ask_all(const ctl_t *ctl, ctl_ask_t *asks, size_t n)
{
    ctl_ask_job_t *jobs = calloc(n ? n : 1, sizeof *jobs);
    pthread_t *threads = calloc(n ? n : 1, sizeof *threads);
    int *started = calloc(n ? n : 1, sizeof *started);
    if (!jobs || !threads || !started) abort();
    for (size_t i = 0; i < n; i++) {
        jobs[i].ctl = ctl;
        jobs[i].ask = &asks[i];
        started[i] = pthread_create(&threads[i], NULL, ctl_ask_thread, &jobs[i]) == 0;
        if (!started[i]) ctl_ask_thread(&jobs[i]); /* no thread left: ask in turn */
    }
    for (size_t i = 0; i < n; i++)
        if (started[i]) pthread_join(threads[i], NULL);
    free(jobs);
    free(threads);
    free(started);
}

void ctl_ask_free(ctl_ask_t *asks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (asks[i].reply) legalaid__reply__free_unpacked(asks[i].reply, NULL);
        asks[i].reply = NULL;
    }
}

int ctl_ask_ok(const ctl_ask_t *a)
{
    return a->rc == 0 && a->reply && a->reply->code == LEGALAID__CODE__OK;
}

const Legalaid__Reply *ctl_ask_reply(const ctl_ask_t *a, Legalaid__Reply__BodyCase body)
{
    return ctl_ask_ok(a) && a->reply->body_case == body ? a->reply : NULL;
}

int ctl_ask_not_found(const ctl_ask_t *a)
{
    return a->rc == 0 && a->reply && a->reply->code == LEGALAID__CODE__NOT_FOUND;
}

const char *ctl_ask_reply_problem(const Legalaid__Reply *r, char *buf, size_t size)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&legalaid__code__descriptor, r->code);
    if (r->field && r->field[0])
        snprintf(buf, size, _("%s: %s (field %s)"), v ? v->name : "ERROR", ctl_fmt_str(r->error),
                 r->field);
    else
        snprintf(buf, size, "%s: %s", v ? v->name : "ERROR", ctl_fmt_str(r->error));
    /* Refused for its size, the request was not decoded: say so plainly. */
    if (r->code == LEGALAID__CODE__TOO_LARGE && !strstr(buf, "未生效")) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s",
                 _("; refused whole, nothing was applied (请求过大, 未生效)"));
    }
    return buf;
}

const char *ctl_ask_problem(const ctl_t *ctl, const ctl_ask_t *a, char *buf, size_t size)
{
    const char *name = ctl_daemon_names[a->daemon];
    if (a->rc == -ENOENT)
        snprintf(buf, size, _("%s has no endpoint in [%s] of %s"), name, name, ctl->config);
    else if (a->rc == -ECONNREFUSED)
        snprintf(buf, size, _("cannot connect to %s at %s: %s"), name, ctl->endpoints[a->daemon],
                 a->why[0] ? a->why : _("is the endpoint well-formed?"));
    else if (a->rc == -EACCES)
        snprintf(buf, size,
                 _("%s 拒绝了本机密钥 (refused the key %s: not on its allow-list, or revoked; ask "
                   "the administrator)"),
                 name, ctl->key_path ? ctl->key_path : "");
    else if (a->rc != 0 || !a->reply)
        snprintf(buf, size, _("no answer from %s at %s within %d ms (is it running?)"), name,
                 ctl->endpoints[a->daemon], ctl->timeout_ms);
    else {
        char why[600];
        snprintf(buf, size, "%s: %s", name, ctl_ask_reply_problem(a->reply, why, sizeof why));
    }
    return buf;
}

int ctl_ask_answer(const ctl_t *ctl, ctl_ask_t *a)
{
    char why[1024];
    ctl_ask_all(ctl, a, 1);
    if (a->rc != 0 || !a->reply) {
        fprintf(stderr, "legalaidctl: %s\n", ctl_ask_problem(ctl, a, why, sizeof why));
        return CTL_EXIT_FAILURE;
    }
    return CTL_EXIT_OK;
}

int ctl_ask_one(const ctl_t *ctl, ctl_ask_t *a)
{
    char why[1024];
    int status = ctl_ask_answer(ctl, a);
    if (status != CTL_EXIT_OK) return status;
    if (a->reply->code == LEGALAID__CODE__OK) return CTL_EXIT_OK;
    if (ctl->json) {
        const ProtobufCEnumValue *v =
            protobuf_c_enum_descriptor_get_value(&legalaid__code__descriptor, a->reply->code);
        json_t *j = json_object();
        json_object_set_new(j, "daemon", json_string(ctl_daemon_names[a->daemon]));
        json_object_set_new(j, "code", json_string(v ? v->name : "ERROR"));
        json_t *e = json_string(ctl_fmt_str(a->reply->error));
        json_object_set_new(j, "error", e ? e : json_string("(not UTF-8)"));
        if (a->reply->field && a->reply->field[0])
            json_object_set_new(j, "field", json_string(a->reply->field));
        ctl_json_print(j);
    } else {
        fprintf(stderr, "legalaidctl: %s\n", ctl_ask_problem(ctl, a, why, sizeof why));
    }
    return CTL_EXIT_REJECTED;
}
