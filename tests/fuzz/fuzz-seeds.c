/*
 * fuzz-seeds.c - writes the seed corpora of the request and stream
 * targets (tests/fuzz/corpus/request, corpus/stream): one Request frame per
 * kind of request and one Batch per kind of event, each with an empty body,
 * so the fuzzer starts at every handler. Run once when a kind is added;
 * its output is committed.
 *
 *   fuzz-seeds CORPUS_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

/* Sets the oneof member f of m to a new empty message of its type. */
static void fuzz_seeds_set(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
    const ProtobufCMessageDescriptor *d = f->descriptor;
    ProtobufCMessage *body = calloc(1, d->sizeof_message);
    if (!body) abort();
    protobuf_c_message_init(d, body);
    *(uint32_t *)((char *)m + f->quantifier_offset) = f->id;
    *(ProtobufCMessage **)((char *)m + f->offset) = body;
}

static void fuzz_seeds_write(const char *dir, const char *kind, const char *name,
                             const uint8_t *prefix, size_t np, const uint8_t *data, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", dir, kind, name);
    FILE *f = fopen(path, "wb");
    if (!f || (np && fwrite(prefix, 1, np, f) != np) || (n && fwrite(data, 1, n, f) != n) ||
        fclose(f) != 0) {
        fprintf(stderr, "fuzz-seeds: cannot write %s\n", path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz-seeds CORPUS_DIR\n");
        return 2;
    }
    size_t requests = 0, events = 0;
    const ProtobufCMessageDescriptor *rd = &legalaid__request__descriptor;
    for (unsigned i = 0; i < rd->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &rd->fields[i];
        if (!(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) || f->type != PROTOBUF_C_TYPE_MESSAGE) continue;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = "seed";
        fuzz_seeds_set(&req.base, f);
        buf_t out = {0};
        client_pack(&req, &out);
        fuzz_seeds_write(argv[1], "request", f->name, NULL, 0, out.data, out.len);
        buf_free(&out);
        free(*(ProtobufCMessage **)((char *)&req + f->offset));
        requests++;
    }
    const ProtobufCMessageDescriptor *ed = &legalaid__event__descriptor;
    for (unsigned i = 0; i < ed->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &ed->fields[i];
        if (!(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) || f->type != PROTOBUF_C_TYPE_MESSAGE) continue;
        Legalaid__Event ev = LEGALAID__EVENT__INIT;
        ev.has_seq = 1;
        ev.seq = 1;
        ev.event_id = "seed-1";
        ev.case_id = "BT-2026-000001";
        ev.has_occurred_at = 1;
        ev.occurred_at = 1772409600000; /* 2026-03-02 08:00 +08:00 */
        fuzz_seeds_set(&ev.base, f);
        Legalaid__Event *list[1] = {&ev};
        Legalaid__Batch b = LEGALAID__BATCH__INIT;
        b.stream = "seed";
        b.n_events = 1;
        b.events = list;
        size_t len = legalaid__batch__get_packed_size(&b);
        uint8_t *packed = malloc(len);
        if (!packed) abort();
        legalaid__batch__pack(&b, packed);
        /* The selector byte: which upstream; the target takes it modulo. */
        for (uint8_t up = 0; up < 4; up++) {
            char name[300];
            snprintf(name, sizeof name, "%s.%u", f->name, up);
            fuzz_seeds_write(argv[1], "stream", name, &up, 1, packed, len);
        }
        free(packed);
        free(*(ProtobufCMessage **)((char *)&ev + f->offset));
        events++;
    }
    printf("fuzz-seeds: %zu requests, %zu events (x4 upstreams)\n", requests, events);
    return 0;
}
