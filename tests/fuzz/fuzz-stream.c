/*
 * fuzz-stream.c - a batch of a stream as a consumer (FUZZ_SERVICE) applies
 * it: the first byte picks which of the daemon's upstreams it comes from,
 * the rest is decoded as a Batch (what a producer's fetch reply carries).
 * The events are numbered on from the last batch and the generation kept,
 * so every batch is applied rather than skipped as already seen: each
 * event's body, whatever it holds, goes through the consumer's handler.
 * The turn ends committed or refused, never with a crash or a sanitizer
 * report, and the next batch still applies.
 */
#include <errno.h>
#include <stdlib.h>

#include "daemon.h"
#include "fuzz.h"

extern const service_t FUZZ_SERVICE;

static daemon_t *fuzz_stream_daemon;
static uint64_t fuzz_stream_seq;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *const *ups = FUZZ_SERVICE.upstreams;
    size_t n_ups = 0;
    while (ups && ups[n_ups]) n_ups++;
    if (size < 1 || n_ups == 0) return 0;
    Legalaid__Batch *b = legalaid__batch__unpack(NULL, size - 1, data + 1);
    if (!b) return 0; /* not a batch: the fetch reply's decoding refuses it (fuzz-request) */
    if (!fuzz_stream_daemon) {
        fuzz_stream_daemon = fuzz_daemon_open();
    }
    char *theirs = b->stream;
    b->stream = (char *)ups[data[0] % n_ups];
    b->has_epoch = 1;
    b->epoch = 1;
    b->has_restored_seq = 0;
    for (size_t i = 0; i < b->n_events; i++) {
        b->events[i]->has_seq = 1;
        b->events[i]->seq = ++fuzz_stream_seq;
    }
    b->has_head_seq = 1;
    b->head_seq = fuzz_stream_seq;
    int rc = daemon_feed_batch(fuzz_stream_daemon, b);
    b->stream = theirs;
    legalaid__batch__free_unpacked(b, NULL);
    if (rc == -ENOENT) abort(); /* the upstream is the service's own */
    return 0;
}
