/*
 * offerlink.h - the short link in a lawyer's offer SMS (notify writes it,
 * the gateway checks it): /o/CASE/LAWYER/T.MAC, where T is the offer's
 * offered_at (ms, base 36) and MAC the keyed hash of the three under the
 * data key's index key, domain "offer-link" (16 base64url characters).
 * It names one offer to one lawyer: a later offer of the same case makes a
 * new link, and the link dies with its offer, for dispatch answers each
 * offer once.
 */
#ifndef LA_OFFERLINK_H
#define LA_OFFERLINK_H

#include <stddef.h>
#include <stdint.h>

#include "seal.h"

#define OFFERLINK_MAC_CHARS 16
#define OFFERLINK_ID_MAX 64

typedef struct offerlink {
    char case_id[OFFERLINK_ID_MAX];
    char lawyer_id[OFFERLINK_ID_MAX];
    int64_t offered_at;
    char mac[OFFERLINK_MAC_CHARS + 1];
} offerlink_t;

/* The path of the link into buf ("/o/..."); ring NULL (no data key): no
 * link can be signed, -1. 0, or -1 when the ids do not fit a link. */
int offerlink_path(const seal_ring_t *ring, const char *case_id, const char *lawyer_id,
                   int64_t offered_at, char *buf, size_t size);
/* Parses the part after "/o/" into l: 0, or -1 when it is not a link. */
int offerlink_parse(const char *rest, offerlink_t *l);
/* 1 when l's MAC is the ring's for its case, lawyer and time (constant
 * time); 0 otherwise or without a ring. */
int offerlink_valid(const seal_ring_t *ring, const offerlink_t *l);

#endif
