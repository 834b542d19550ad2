/*
 * hostile-peer.c - what a hostile peer of issue 18 sends, for
 * tests/system/limits.sh, as the client whose key the configuration names:
 *
 *   hostile-peer CONFIG import COPIES ENTRIES
 *       COPIES requests at once to dispatch, each one frame under 1 MiB
 *       holding ENTRIES empty lawyers (ImportLawyers, two bytes each on the
 *       wire: finding 1);
 *   hostile-peer CONFIG fetch DAEMON NAME N
 *       N fetches of DAEMON's stream as the consumers NAME-1 ... NAME-N, or
 *       one as NAME when N is 0 (finding 2: fake consumers).
 *
 * Prints one line per reply ("reply N CODE error") and exits 0 when every
 * request was answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "config.h"
#include "keyfile.h"
#include "security.h"

static void hostile_reply(void *ctx, size_t index, const Legalaid__Reply *r)
{
    (void)ctx;
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
        &legalaid__code__descriptor, r->has_code ? (int)r->code : 0);
    printf("reply %zu %s %s\n", index, v ? v->name : "?", r->error ? r->error : "");
}

/* Request{request_id = id, import_lawyers(40) = {lawyers(1) = {} x entries}}. */
static void hostile_import_frame(const char *id, size_t entries, buf_t *out)
{
    unsigned char head[16], *p = head;
    size_t body = entries * 2;
    *p++ = 0xc2; /* the tag of field 40, length-delimited: 322 as a varint */
    *p++ = 0x02;
    for (size_t v = body; ; v >>= 7) {
        *p++ = (unsigned char)(v >= 0x80 ? (v & 0x7f) | 0x80 : v);
        if (v < 0x80) break;
    }
    char idf[40];
    idf[0] = 0x0a;
    idf[1] = (char)strlen(id);
    memcpy(idf + 2, id, strlen(id));
    buf_append(out, idf, 2 + strlen(id));
    buf_append(out, head, (size_t)(p - head));
    for (size_t i = 0; i < entries; i++) buf_append(out, "\x0a\x00", 2);
}

/* Fetch{stream daemon, consumer name, after 0, no wait}. */
static void hostile_fetch_frame(const char *daemon, const char *name, char *id, buf_t *out)
{
    Legalaid__Fetch f = LEGALAID__FETCH__INIT;
    f.stream = (char *)daemon;
    f.consumer = (char *)name;
    f.has_after_seq = f.has_wait_ms = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = id;
    req.body_case = LEGALAID__REQUEST__BODY_FETCH;
    req.fetch = &f;
    client_pack(&req, out);
}

int main(int argc, char **argv)
{
    int fetch = argc == 6 && strcmp(argv[2], "fetch") == 0;
    if (!fetch && (argc != 5 || strcmp(argv[2], "import") != 0)) {
        fprintf(stderr, "usage: hostile-peer CONFIG import COPIES ENTRIES\n"
                        "       hostile-peer CONFIG fetch DAEMON NAME N\n");
        return 2;
    }
    const char *daemon = fetch ? argv[3] : "dispatch";
    size_t copies = strtoul(argv[fetch ? 5 : 3], NULL, 10);
    size_t entries = fetch ? 0 : strtoul(argv[4], NULL, 10);
    int one = fetch && copies == 0;
    if (one) copies = 1;
    security_t sec;
    memset(&sec, 0, sizeof sec);
    char err[800], ep[512];
    if (security_load(&sec, argv[1], NULL, NULL, err, sizeof err) < 0 ||
        config_lookup(argv[1], daemon, "endpoint", ep, sizeof ep) != 0) {
        fprintf(stderr, "hostile-peer: %s\n", err);
        return 2;
    }
    const char *key = security_client_key_path(&sec, NULL);
    if (sec.on && (!key || keyfile_read(key, &sec.self, err, sizeof err) < 0)) {
        fprintf(stderr, "hostile-peer: no client key: %s\n", key ? err : "(none)");
        return 2;
    }
    client_t *c = security_client_new(&sec, daemon, ep, 5000, 120000, err, sizeof err);
    if (!c) {
        fprintf(stderr, "hostile-peer: %s\n", err);
        return 2;
    }
    buf_t *frames = calloc(copies, sizeof *frames);
    char **ids = calloc(copies, sizeof *ids);
    for (size_t i = 0; i < copies; i++) {
        ids[i] = malloc(33);
        client_request_id(ids[i]);
        char name[100];
        snprintf(name, sizeof name, one ? "%s" : "%s-%zu", fetch ? argv[4] : "", i + 1);
        if (fetch)
            hostile_fetch_frame(daemon, name, ids[i], &frames[i]);
        else
            hostile_import_frame(ids[i], entries, &frames[i]);
    }
    printf("sending %zu frames of %zu bytes\n", copies, frames[0].len);
    fflush(stdout);
    int rc = client_pipeline(c, frames, ids, copies, copies, hostile_reply, NULL);
    for (size_t i = 0; i < copies; i++) {
        buf_free(&frames[i]);
        free(ids[i]);
    }
    free(frames);
    free(ids);
    client_destroy(&c);
    security_free(&sec);
    return rc == 0 ? 0 : 1;
}
