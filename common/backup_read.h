/*
 * backup_read.h - what a copy of a daemon's environment holds, read back
 * without the daemon: the Backup request checks its own copy with it, and
 * legalaidctl restore shows what a restore brings back and stamps the new
 * generation (README "Backup and restore").
 *
 * The generation of a stream ("epoch"): meta "stream.epoch" (absent: 1)
 * and "stream.restored_seq", the head of the copy it was restored from
 * (absent: never restored). A consumer keeps, per upstream, meta
 * "upstream.<name>.epoch", ".seen" (the highest head announced),
 * ".lost_from" and ".lost_to" (epoch.c). "stream.lost_from" and
 * ".lost_to": the seqs of the data a restore replaced that the copy lacked.
 */
#ifndef LA_BACKUP_READ_H
#define LA_BACKUP_READ_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#define BACKUP_READ_ENTRIES 32
#define BACKUP_READ_NAME 64

#define BACKUP_READ_EPOCH "stream.epoch"
#define BACKUP_READ_RESTORED "stream.restored_seq"
#define BACKUP_READ_LOST_FROM "stream.lost_from"
#define BACKUP_READ_LOST_TO "stream.lost_to"

typedef struct backup_read_position {
    char name[BACKUP_READ_NAME];
    uint64_t seq;
} backup_read_position_t;

/* Seq from..to of stream name, seen or applied, lost in a restore. */
typedef struct backup_read_lost {
    char name[BACKUP_READ_NAME];
    uint64_t from, to;
} backup_read_lost_t;

typedef struct backup_summary {
    uint64_t head;         /* the last seq of the stream's log */
    uint64_t epoch;        /* 1 when never restored */
    uint64_t restored_seq; /* 0 when never restored */
    size_t n_consumers;    /* each consumer's acknowledged position */
    backup_read_position_t consumers[BACKUP_READ_ENTRIES];
    size_t n_upstreams; /* each upstream's applied offset */
    backup_read_position_t upstreams[BACKUP_READ_ENTRIES];
    uint64_t lost_from, lost_to; /* of this stream, in an earlier restore; 0: none */
    size_t n_lost;               /* of each upstream (meta upstream.<name>.lost_*) */
    backup_read_lost_t lost[BACKUP_READ_ENTRIES];
    int truncated; /* more consumers or upstreams than the arrays hold */
} backup_summary_t;

/* Reads the summary of the environment at path, opened read-only without
 * a lock file: a single file (a copy, single_file = 1) or a data
 * directory. Returns 0, or an LMDB/errno code (store_strerror). */
int backup_read_summary(const char *path, int single_file, backup_summary_t *out);

/* The same from an open transaction of that environment. */
int backup_read_txn(MDB_txn *txn, backup_summary_t *out);

#endif
