/*
 * replies.c - see replies.h.
 */
#include "replies.h"

#include <sodium.h>
#include <string.h>

#include "clock.h"
#include "daemon_int.h"
#include "la_limits.h"
#include "log.h"
#include "store.h"

#define REPLIES_AT 8                                 /* the time it was kept */
#define REPLIES_HEAD (REPLIES_AT + 1 + REPLIES_HASH_BYTES) /* [at][0][hash] */

void replies_hash(const void *frame, size_t len, unsigned char hash[REPLIES_HASH_BYTES])
{
    crypto_generichash(hash, REPLIES_HASH_BYTES, frame, len, NULL, 0);
}

int replies_keep(daemon_t *d, MDB_txn *txn, const char *request_id, int64_t now,
                 const unsigned char *hash, const buf_t *reply)
{
    size_t n = strlen(request_id);
    unsigned char *kept = arena_alloc(&d->arena, REPLIES_HEAD + reply->len);
    store_be64((uint64_t)now, kept);
    kept[REPLIES_AT] = 0;
    memcpy(kept + REPLIES_AT + 1, hash, REPLIES_HASH_BYTES);
    memcpy(kept + REPLIES_HEAD, reply->data, reply->len);
    int rc = store_put_value(txn, d->replies, request_id, n, kept, REPLIES_HEAD + reply->len, 0);
    if (rc) return rc;
    unsigned char tk[8 + LA_REQUEST_ID_MAX];
    store_be64((uint64_t)now, tk);
    memcpy(tk + 8, request_id, n);
    MDB_val ik = {8 + n, tk}, iv = {0, ""};
    return store_rc(mdb_put(txn, d->replies_by_time, &ik, &iv, 0));
}

/* The hash kept for a reply of the earlier layout, in "reply_hashes":
 * 0 with *hash set (NULL: none kept), or an LMDB code. */
static int replies_old_hash(daemon_t *d, MDB_txn *txn, const MDB_val *k, const unsigned char **hash)
{
    MDB_val key = *k, v;
    *hash = NULL;
    int rc = mdb_get(txn, d->reply_hashes, &key, &v);
    if (rc == MDB_NOTFOUND) return 0;
    if (rc == 0) rc = store_value(txn, &key, &v);
    if (rc == 0 && v.mv_size == REPLIES_HASH_BYTES) *hash = v.mv_data;
    return rc;
}

int replies_find(daemon_t *d, MDB_txn *txn, const char *request_id, const unsigned char *hash,
                 int *differs, buf_t *out)
{
    MDB_val k = {strlen(request_id), (void *)request_id}, v;
    *differs = 0;
    int rc = mdb_get(txn, d->replies, &k, &v);
    if (rc == 0) rc = store_value(txn, &k, &v);
    if (rc) return rc;
    if (v.mv_size < REPLIES_AT) return MDB_NOTFOUND; /* never written so */
    const unsigned char *val = v.mv_data, *kept_hash = NULL, *reply;
    size_t len;
    if (v.mv_size >= REPLIES_HEAD && val[REPLIES_AT] == 0) {
        kept_hash = val + REPLIES_AT + 1;
        reply = val + REPLIES_HEAD;
        len = v.mv_size - REPLIES_HEAD;
    } else {
        /* The earlier layout. An unsealed value lasts until the next read:
         * the reply is copied before its hash is read. */
        len = v.mv_size - REPLIES_AT;
        unsigned char *copy = arena_alloc(&d->arena, len ? len : 1);
        memcpy(copy, val + REPLIES_AT, len);
        reply = copy;
        if (hash && (rc = replies_old_hash(d, txn, &k, &kept_hash)) != 0) return rc;
    }
    if (hash && kept_hash && memcmp(kept_hash, hash, REPLIES_HASH_BYTES) != 0) {
        *differs = 1;
        return 0;
    }
    out->len = 0;
    buf_append(out, reply, len);
    return 0;
}

int replies_prune(daemon_t *d, MDB_txn *txn, int64_t now, int max)
{
    int64_t cutoff = now - d->cfg.reply_keep_days * MS_PER_DAY;
    MDB_cursor *c;
    int rc = store_rc(mdb_cursor_open(txn, d->replies_by_time, &c));
    if (rc) return rc;
    MDB_val k, v;
    int pruned = 0;
    while (pruned < max && (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)) == 0) {
        if (k.mv_size < 8 || (int64_t)store_from_be64(k.mv_data) >= cutoff) break;
        MDB_val rk = {k.mv_size - 8, (char *)k.mv_data + 8};
        rc = mdb_del(txn, d->replies, &rk, NULL);
        if (rc && rc != MDB_NOTFOUND) break;
        rc = mdb_del(txn, d->reply_hashes, &rk, NULL); /* the earlier layout's */
        if (rc && rc != MDB_NOTFOUND) break;
        rc = mdb_cursor_del(c, 0);
        if (rc) break;
        pruned++;
    }
    mdb_cursor_close(c);
    if (pruned)
        log_debug("forgot %d stored replies older than %lld days", pruned, d->cfg.reply_keep_days);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_rc(rc);
}
