/*
 * offerlink.c - see offerlink.h.
 */
#include "offerlink.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define OFFERLINK_MAC_BYTES 12

/* The MAC of (case, lawyer, time) as 16 base64url characters. */
static void offerlink_mac(const seal_ring_t *ring, const char *case_id, const char *lawyer_id,
                          int64_t offered_at, char out[OFFERLINK_MAC_CHARS + 1])
{
    char data[2 * OFFERLINK_ID_MAX + 32];
    int n = snprintf(data, sizeof data, "%s\n%s\n%lld", case_id, lawyer_id, (long long)offered_at);
    unsigned char h[SEAL_HASH_LEN];
    seal_hash(ring, "offer-link", data, (size_t)n, h);
    sodium_bin2base64(out, OFFERLINK_MAC_CHARS + 1, h, OFFERLINK_MAC_BYTES,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* An id may stand in a path as it is: letters, digits, '-', '_', '.'. */
static int offerlink_id_ok(const char *s, size_t len)
{
    if (!len || len >= OFFERLINK_ID_MAX) return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
            return 0;
    return 1;
}

int offerlink_path(const seal_ring_t *ring, const char *case_id, const char *lawyer_id,
                   int64_t offered_at, char *buf, size_t size)
{
    if (!ring || !case_id || !lawyer_id || offered_at <= 0 ||
        !offerlink_id_ok(case_id, strlen(case_id)) ||
        !offerlink_id_ok(lawyer_id, strlen(lawyer_id)))
        return -1;
    char t[16], mac[OFFERLINK_MAC_CHARS + 1];
    int i = (int)sizeof t - 1;
    t[i] = 0;
    for (uint64_t v = (uint64_t)offered_at; v && i > 0; v /= 36)
        t[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
    offerlink_mac(ring, case_id, lawyer_id, offered_at, mac);
    int n = snprintf(buf, size, "/o/%s/%s/%s.%s", case_id, lawyer_id, t + i, mac);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

int offerlink_parse(const char *rest, offerlink_t *l)
{
    memset(l, 0, sizeof *l);
    const char *s1 = strchr(rest, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
    const char *dot = s2 ? strchr(s2 + 1, '.') : NULL;
    if (!dot || !offerlink_id_ok(rest, (size_t)(s1 - rest)) ||
        !offerlink_id_ok(s1 + 1, (size_t)(s2 - s1 - 1)) || dot == s2 + 1 || dot - s2 - 1 > 12 ||
        strlen(dot + 1) != OFFERLINK_MAC_CHARS)
        return -1;
    memcpy(l->case_id, rest, (size_t)(s1 - rest));
    memcpy(l->lawyer_id, s1 + 1, (size_t)(s2 - s1 - 1));
    uint64_t v = 0;
    for (const char *p = s2 + 1; p < dot; p++) {
        int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'z' ? *p - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v * 36 + (uint64_t)d;
    }
    if (!v || v > (uint64_t)INT64_MAX) return -1;
    l->offered_at = (int64_t)v;
    for (const char *p = dot + 1; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_'))
            return -1;
    memcpy(l->mac, dot + 1, OFFERLINK_MAC_CHARS);
    return 0;
}

int offerlink_valid(const seal_ring_t *ring, const offerlink_t *l)
{
    if (!ring) return 0;
    char mac[OFFERLINK_MAC_CHARS + 1];
    offerlink_mac(ring, l->case_id, l->lawyer_id, l->offered_at, mac);
    return sodium_memcmp(mac, l->mac, OFFERLINK_MAC_CHARS) == 0;
}
