/*
 * fuzz-records.c - a file an office hands to `legalaidctl import` or
 * `apply`, read by the CLI's own readers: the first byte picks the kind of
 * record and JSON Lines or CSV (a header of field paths; the lawyers' CSV
 * by its own reader), the rest is the file. Every line ends accepted or
 * rejected with its line and field; nothing crashes, and every record read
 * is a message that packs.
 */
#include <stdlib.h>

#include "ctl.h"
#include "fuzz.h"

static const ProtobufCMessageDescriptor *const fuzz_records_kinds[] = {
    &legalaid__application__descriptor,  &legalaid__consultation__descriptor,
    &legalaid__lawyer__descriptor,       &legalaid__station__descriptor,
    &legalaid__shift__descriptor,        &legalaid__shift_template__descriptor,
    &legalaid__agreement__descriptor,    &legalaid__calendar_day__descriptor,
    &legalaid__roll_entry__descriptor,
};
#define FUZZ_RECORDS_N (sizeof fuzz_records_kinds / sizeof fuzz_records_kinds[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    const ProtobufCMessageDescriptor *desc = fuzz_records_kinds[(data[0] >> 1) % FUZZ_RECORDS_N];
    const char *name = data[0] & 1 ? "in.csv" : "in.jsonl";
    if (fuzz_write(name, data + 1, size - 1) != 0) abort();
    char path[700];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
    ctl_t ctl = {.utc_offset_min = 480, .timeout_ms = 1000};
    arena_t arena;
    arena_init(&arena);
    ctl_records_t recs = {0};
    ctl_outcomes_t out = {0};
    int rc = desc == &legalaid__lawyer__descriptor
                 ? ctl_dispatch_lawyers_read(&ctl, path, &arena, &recs, &out)
                 : ctl_records_read(&ctl, path, desc, &arena, &recs, &out);
    for (size_t i = 0; rc >= 0 && i < recs.n; i++) {
        size_t len = protobuf_c_message_get_packed_size(recs.items[i].msg);
        uint8_t *packed = malloc(len ? len : 1);
        if (!packed || protobuf_c_message_pack(recs.items[i].msg, packed) != len) abort();
        free(packed);
    }
    ctl_records_free(&recs);
    ctl_outcomes_free(&out);
    arena_destroy(&arena);
    return 0;
}
