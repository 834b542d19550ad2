/*
 * fuzz-request.c - a stranger's bytes as a request frame to one daemon
 * (FUZZ_SERVICE, its service_t), through the real handler on a scratch
 * environment (daemon_open_test: the same turn, group commit and store as
 * the running daemon, without the socket). Whatever the bytes, the daemon
 * answers with a reply, OK or an error naming the problem, and its store
 * stays usable for the next.
 */
#include <stdlib.h>

#include "daemon.h"
#include "fuzz.h"

static daemon_t *fuzz_request_daemon;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_request_daemon) {
        fuzz_request_daemon = fuzz_daemon_open();
    }
    Legalaid__Reply *r = NULL;
    if (daemon_call_bytes(fuzz_request_daemon, data, size, &r) != 0 || !r) abort();
    int answered = !r->has_code || r->code == LEGALAID__CODE__OK || (r->error && r->error[0]);
    legalaid__reply__free_unpacked(r, NULL);
    if (!answered) abort(); /* an error without a word of what was wrong */
    return 0;
}
