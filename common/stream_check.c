/*
 * stream_check.c - the stream log's head, sequence and positions agree
 * (see stream_check.h).
 */
#include "stream_check.h"

#include <stdio.h>

#include "i18n.h"
#include "store.h"

/* The first and last key of dbi (8 bytes each, big-endian), 0 when empty;
 * -1 when a key is not 8 bytes. */
static int stream_check_ends(MDB_txn *txn, MDB_dbi dbi, uint64_t *first, uint64_t *last,
                             MDB_val *last_val)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, dbi, &c);
    if (rc) return store_rc(rc);
    MDB_val k, v;
    *first = *last = 0;
    rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    if (rc == 0) {
        if (k.mv_size != 8)
            rc = -1;
        else
            *first = store_from_be64(k.mv_data);
    }
    if (rc == 0) rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    if (rc == 0) {
        if (k.mv_size != 8)
            rc = -1;
        else
            *last = store_from_be64(k.mv_data);
        if (last_val) *last_val = v;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc < 0 ? -1 : store_rc(rc);
}

static int stream_check_log(stream_t *s, MDB_txn *txn, char *why, size_t whylen)
{
    uint64_t first, head;
    int rc = stream_check_ends(txn, s->log, &first, &head, NULL);
    if (rc < 0) {
        snprintf(why, whylen, "%s", _("the stream log has a key that is not a sequence number"));
        return -1;
    }
    if (rc) return rc;
    MDB_stat st;
    rc = store_rc(mdb_stat(txn, s->log, &st));
    if (rc) return rc;
    /* A trimmed log (stream_trim.h) starts later, still without a gap. */
    if (head && (first == 0 || first > head || st.ms_entries != head - first + 1)) {
        snprintf(why, whylen, _("the stream log holds %llu events from %llu, but its head is %llu"),
                 (unsigned long long)st.ms_entries, (unsigned long long)first,
                 (unsigned long long)head);
        return -1;
    }
    MDB_cursor *c;
    rc = store_rc(mdb_cursor_open(txn, s->consumers, &c));
    if (rc) return rc;
    MDB_val k, v;
    int bad = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 && !bad;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        uint64_t acked = v.mv_size == 16 ? store_from_be64(v.mv_data) : UINT64_MAX;
        if (acked <= head) continue;
        bad = 1;
        snprintf(why, whylen, _("consumer %.*s of the stream log is at %llu, past its head %llu"),
                 (int)(k.mv_size > 64 ? 64 : k.mv_size), (const char *)k.mv_data,
                 (unsigned long long)(v.mv_size == 16 ? acked : 0), (unsigned long long)head);
    }
    mdb_cursor_close(c);
    if (bad) return -1;
    if (rc != MDB_NOTFOUND) return store_rc(rc);
    uint64_t at_first, at_last;
    MDB_val last_seq = {0, NULL};
    rc = stream_check_ends(txn, s->log_at, &at_first, &at_last, &last_seq);
    if (rc < 0 || (last_seq.mv_data && last_seq.mv_size != 8) ||
        (last_seq.mv_data && store_from_be64(last_seq.mv_data) > head)) {
        snprintf(why, whylen, _("the stream log's time index points past its head %llu"),
                 (unsigned long long)head);
        return -1;
    }
    return rc;
}

int stream_check(stream_t *s, MDB_txn *txn, char *why, size_t whylen)
{
    int rc = stream_check_log(s, txn, why, whylen);
    if (rc < 0) i18n_cut(why); /* a Chinese line cut short stays valid UTF-8 */
    return rc;
}
