/*
 * gateway_store.c - the gateway's one table, "notices": an agency's notice
 * under the keyed hash of (agency, reference), and an agency's event
 * (POST /v1/events) under another keyed hash of its own (agency, event
 * reference), sealed like every record
 * that holds a person. A notice intake accepted is written in the
 * gateway's next turn (one commit for all that arrived meanwhile, the
 * group commit every daemon does) and only then answered 201, so an agency
 * that was told "received" always finds its notice again by reference.
 */
#include <string.h>

#include "gateway_int.h"
#include "log.h"
#include "seal.h"
#include "store.h"
#include "xalloc.h"
#include "i18n.h"

static MDB_dbi gateway_store_notices;

typedef struct gateway_store_item {
    gateway_req_t *r;
    Legalaid__GatewayNotice *n;
    struct gateway_store_item *next;
} gateway_store_item_t;

/* Waiting for a turn, and written in the turn being committed. */
static gateway_store_item_t *gateway_store_waiting, *gateway_store_written;
static size_t gateway_store_n;

int gateway_store_open(MDB_txn *txn)
{
    return store_table_sealed(txn, "notices", &gateway_store_notices);
}

static size_t gateway_store_key(MDB_txn *txn, int event, const char *agency,
                                const char *reference, unsigned char out[SEAL_HASH_LEN])
{
    size_t a = strlen(agency), n = strlen(reference);
    char *both = xmalloc(a + 1 + n);
    memcpy(both, agency, a);
    both[a] = 0;
    memcpy(both + a + 1, reference, n);
    size_t len = store_hash(txn, event ? "event" : "notice", both, a + 1 + n, out);
    free(both);
    return len;
}

int gateway_store_get(MDB_env *env, int event, const char *agency, const char *reference,
                      Legalaid__GatewayNotice **out)
{
    MDB_txn *txn;
    int rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    if (rc) return store_rc(rc);
    unsigned char key[SEAL_HASH_LEN];
    size_t klen = gateway_store_key(txn, event, agency, reference, key);
    rc = store_get_pb(txn, gateway_store_notices, key, klen, &legalaid__gateway_notice__descriptor,
                      NULL, (ProtobufCMessage **)out);
    store_wipe(txn);
    mdb_txn_abort(txn);
    return rc;
}

void gateway_store_queue(daemon_t *d, gateway_req_t *r, Legalaid__GatewayNotice *n)
{
    gateway_store_item_t *it = xcalloc(1, sizeof *it);
    it->r = r;
    it->n = n;
    it->next = gateway_store_waiting;
    gateway_store_waiting = it;
    gateway_store_n++;
    daemon_tick_soon(d);
}

int gateway_store_write(turn_t *t)
{
    for (gateway_store_item_t *it = gateway_store_waiting; it; it = it->next) {
        unsigned char key[SEAL_HASH_LEN];
        size_t klen = gateway_store_key(t->txn, it->n->event, it->n->agency, it->n->reference, key);
        int rc = store_put_pb(t->txn, gateway_store_notices, key, klen, &it->n->base, 0);
        if (rc) return rc;
    }
    /* Moved only when the whole tick succeeded; a failed one leaves them
     * waiting for the next. */
    gateway_store_item_t **tail = &gateway_store_written;
    while (*tail) tail = &(*tail)->next;
    *tail = gateway_store_waiting;
    gateway_store_waiting = NULL;
    return 0;
}

void gateway_store_committed(daemon_t *d, int ok)
{
    gateway_store_item_t *it = gateway_store_written;
    gateway_store_written = NULL;
    while (it) {
        gateway_store_item_t *next = it->next;
        if (!ok)
            /* Intake has the notice (its reply said so) and a resend finds
             * it again there by the same request_id; only the gateway's own
             * record is missing. The agency is still told the truth. */
            log_error("the gateway's record of %s %s was not written (storage failure); intake "
                      "has case %s",
                      it->n->agency, it->n->reference, it->n->case_id);
        gateway_http_json(it->r, it->n->linked ? 200 : 201, (json_t *)it->r->work);
        it->r->work = NULL;
        legalaid__gateway_notice__free_unpacked(it->n, NULL);
        free(it);
        gateway_store_n--;
        it = next;
    }
    if (gateway_store_waiting) daemon_tick_soon(d);
}

void gateway_store_abandon(void)
{
    gateway_store_item_t *lists[2] = {gateway_store_waiting, gateway_store_written};
    gateway_store_waiting = gateway_store_written = NULL;
    for (int i = 0; i < 2; i++)
        for (gateway_store_item_t *it = lists[i], *next; it; it = next) {
            next = it->next;
            /* The daemon holds the request under its request_id: the same
             * request sent again gets its first answer, and the record. */
            gateway_http_problem(it->r, 503, "unavailable", NULL,
                                 _("网关正在停止, 请以相同文号重发 (the gateway is stopping before "
                                 "its record of %s was written; resend the same request for "
                                 "the first answer)"),
                                 it->n->reference);
            gateway_http_header(it->r, "Retry-After", "5");
            json_decref((json_t *)it->r->work);
            it->r->work = NULL;
            legalaid__gateway_notice__free_unpacked(it->n, NULL);
            free(it);
            gateway_store_n--;
        }
}

size_t gateway_store_queued(void)
{
    return gateway_store_n;
}
