/*
 * replies.h - the final replies a daemon keeps, so that a request sent
 * again with its request_id is answered with its first reply and changes
 * nothing twice (DESIGN: requests), for reply_keep_days.
 *
 * "replies" (sealed): request_id -> [stored at: ms, 8 bytes big-endian]
 * [0][BLAKE2b of the request's frame: REPLIES_HASH_BYTES][the reply's
 * frame]. The hash says whether a later frame under the same request_id
 * is a retry or a mistake. It used to be kept in a tree of its own
 * ("reply_hashes"): a second insert under a random key for every request,
 * each dirtying, copying and writing a page of its own once the tree has
 * more pages than a turn has requests (issue 16). A value kept before is
 * [at][the reply's frame], its hash in "reply_hashes" until pruned: a
 * reply's frame never begins with a 0 byte (a protobuf tag names a field
 * numbered 1 or more), so the 0 tells the two apart.
 *
 * "replies_by_time": [at][request_id] -> "", for pruning.
 */
#ifndef LA_REPLIES_H
#define LA_REPLIES_H

#include <lmdb.h>
#include <stdint.h>

#include "buf.h"

#define REPLIES_HASH_BYTES 32

struct daemon;

/* The hash a kept reply remembers of the frame it answers. */
void replies_hash(const void *frame, size_t len, unsigned char hash[REPLIES_HASH_BYTES]);

/* Keeps reply, the final answer to request_id (a frame of the given
 * hash), stored at now. 0 or an LMDB code. */
int replies_keep(struct daemon *d, MDB_txn *txn, const char *request_id, int64_t now,
                 const unsigned char *hash, const buf_t *reply);

/* The reply kept for request_id: MDB_NOTFOUND when none is; 0 with *differs
 * set when it answers a frame of another hash than hash (nothing copied);
 * 0 with the reply in out (replacing what out held) when it answers this
 * frame, or hash is NULL, or it was kept without a hash. Else an LMDB code. */
int replies_find(struct daemon *d, MDB_txn *txn, const char *request_id,
                 const unsigned char *hash, int *differs, buf_t *out);

/* Forgets the replies kept longer than reply_keep_days before now, at most
 * max of them. 0 or an LMDB code. */
int replies_prune(struct daemon *d, MDB_txn *txn, int64_t now, int max);

#endif
