/*
 * flood-import.c - the hostile import of issue 18 (finding 1), for
 * tests/system/limits.sh: COPIES requests sent at once to dispatch, each
 * one frame under 1 MiB holding ENTRIES empty lawyers (ImportLawyers,
 * two bytes each on the wire), as the client whose key the configuration
 * names. Prints one line per reply ("reply N CODE error") and exits 0 when
 * every request was answered.
 *
 *   flood-import CONFIG COPIES ENTRIES
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "config.h"
#include "keyfile.h"
#include "security.h"

static void flood_reply(void *ctx, size_t index, const Legalaid__Reply *r)
{
    (void)ctx;
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
        &legalaid__code__descriptor, r->has_code ? (int)r->code : 0);
    printf("reply %zu %s %s\n", index, v ? v->name : "?", r->error ? r->error : "");
}

/* Request{request_id = id, import_lawyers(40) = {lawyers(1) = {} x entries}}. */
static void flood_frame(const char *id, size_t entries, buf_t *out)
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

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: flood-import CONFIG COPIES ENTRIES\n");
        return 2;
    }
    size_t copies = strtoul(argv[2], NULL, 10), entries = strtoul(argv[3], NULL, 10);
    security_t sec;
    memset(&sec, 0, sizeof sec);
    char err[800], ep[512];
    if (security_load(&sec, argv[1], NULL, NULL, err, sizeof err) < 0 ||
        config_lookup(argv[1], "dispatch", "endpoint", ep, sizeof ep) != 0) {
        fprintf(stderr, "flood-import: %s\n", err);
        return 2;
    }
    const char *key = security_client_key_path(&sec, NULL);
    if (sec.on && (!key || keyfile_read(key, &sec.self, err, sizeof err) < 0)) {
        fprintf(stderr, "flood-import: no client key: %s\n", key ? err : "(none)");
        return 2;
    }
    client_t *c = security_client_new(&sec, "dispatch", ep, 5000, 120000, err, sizeof err);
    if (!c) {
        fprintf(stderr, "flood-import: %s\n", err);
        return 2;
    }
    buf_t *frames = calloc(copies, sizeof *frames);
    char **ids = calloc(copies, sizeof *ids);
    for (size_t i = 0; i < copies; i++) {
        ids[i] = malloc(33);
        client_request_id(ids[i]);
        flood_frame(ids[i], entries, &frames[i]);
    }
    printf("sending %zu frames of %zu bytes\n", copies, frames[0].len);
    fflush(stdout);
    int rc = client_pipeline(c, frames, ids, copies, copies, flood_reply, NULL);
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
