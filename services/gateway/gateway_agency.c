/*
 * gateway_agency.c - the agencies that may call the API, from the file
 * [gateway] agencies names: one a line,
 *
 *     NAME  KIND  AUTHORITY  blake2b:HEX  [rate=N]
 *
 * NAME is the agency's name at the gateway ("court-bt"), KIND court,
 * procuratorate or police, AUTHORITY the authority it acts for, exactly as
 * its notices name it ("包头市中级人民法院"), then its bearer token's BLAKE2b
 * hash (keyfile_token_hash; the token itself is never stored: legalaidctl
 * keys agency-token makes one and prints both), and its own limit of
 * requests a minute.
 */
#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway_int.h"
#include "xalloc.h"

static gateway_agency_t *gateway_agencies;
static size_t gateway_n_agencies;

static int gateway_agency_kind(const char *s, Legalaid__AuthorityKind *k)
{
    if (strcmp(s, "court") == 0)
        *k = LEGALAID__AUTHORITY_KIND__COURT;
    else if (strcmp(s, "procuratorate") == 0)
        *k = LEGALAID__AUTHORITY_KIND__PROCURATORATE;
    else if (strcmp(s, "police") == 0)
        *k = LEGALAID__AUTHORITY_KIND__POLICE;
    else
        return -1;
    return 0;
}

/* One line into a; 0, or -1 with what is wrong in err. */
static int gateway_agency_line(char *line, gateway_agency_t *a, char *err, size_t errlen)
{
    char *f[6];
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save); tok && n < 6;
         tok = strtok_r(NULL, " \t\r\n", &save))
        f[n++] = tok;
    if (n < 4 || n > 5) {
        snprintf(err, errlen, "expected NAME KIND AUTHORITY blake2b:HEX [rate=N], got %d fields",
                 n);
        return -1;
    }
    memset(a, 0, sizeof *a);
    if (strlen(f[0]) >= sizeof a->name || strlen(f[2]) >= sizeof a->authority) {
        snprintf(err, errlen, "the name or the authority is too long");
        return -1;
    }
    snprintf(a->name, sizeof a->name, "%s", f[0]);
    if (gateway_agency_kind(f[1], &a->kind)) {
        snprintf(err, errlen, "kind '%s' is not court, procuratorate or police", f[1]);
        return -1;
    }
    snprintf(a->authority, sizeof a->authority, "%s", f[2]);
    if (strlen(f[3]) != KEYFILE_TOKEN_HASH_LEN || strncmp(f[3], "blake2b:", 8) != 0 ||
        strspn(f[3] + 8, "0123456789abcdef") != KEYFILE_TOKEN_HASH_LEN - 8) {
        snprintf(err, errlen,
                 "the token hash must be blake2b: and 64 lower-case hex digits (legalaidctl keys "
                 "agency-token makes one)");
        return -1;
    }
    memcpy(a->hash, f[3], KEYFILE_TOKEN_HASH_LEN + 1);
    a->rate_per_minute = gateway_config.rate_per_minute;
    if (n == 5) {
        char *end;
        long long r = strncmp(f[4], "rate=", 5) == 0 ? strtoll(f[4] + 5, &end, 10) : -1;
        if (r <= 0 || *end) {
            snprintf(err, errlen, "'%s' is not rate=N (requests a minute, N > 0)", f[4]);
            return -1;
        }
        a->rate_per_minute = r;
    }
    a->tokens = (double)(gateway_config.rate_burst < a->rate_per_minute ? gateway_config.rate_burst
                                                                       : a->rate_per_minute);
    return 0;
}

int gateway_agency_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read the agencies file %s: %s", path, strerror(errno));
        return -1;
    }
    gateway_agency_t *list = NULL;
    size_t n = 0, cap = 0;
    char line[1024], why[300];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        if (!*p || *p == '#') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            list = xrealloc(list, cap * sizeof *list);
        }
        if (gateway_agency_line(p, &list[n], why, sizeof why)) {
            snprintf(err, errlen, "%s line %d: %s", path, lineno, why);
            rc = -1;
            break;
        }
        for (size_t i = 0; i < n && rc == 0; i++)
            if (strcmp(list[i].name, list[n].name) == 0 ||
                strcmp(list[i].hash, list[n].hash) == 0) {
                snprintf(err, errlen, "%s line %d: agency %s or its token is listed twice", path,
                         lineno, list[n].name);
                rc = -1;
            }
        if (rc) break;
        n++;
    }
    fclose(f);
    if (rc) {
        free(list);
        return -1;
    }
    free(gateway_agencies);
    gateway_agencies = list;
    gateway_n_agencies = n;
    return 0;
}

void gateway_agency_free(void)
{
    free(gateway_agencies);
    gateway_agencies = NULL;
    gateway_n_agencies = 0;
}

size_t gateway_agency_count(void)
{
    return gateway_n_agencies;
}

gateway_agency_t *gateway_agency_find(const char *token)
{
    if (!token || !*token) return NULL;
    char h[KEYFILE_TOKEN_HASH_LEN + 1];
    keyfile_token_hash(token, h);
    gateway_agency_t *found = NULL;
    for (size_t i = 0; i < gateway_n_agencies; i++) /* every one: no timing tells which */
        if (sodium_memcmp(h, gateway_agencies[i].hash, KEYFILE_TOKEN_HASH_LEN) == 0)
            found = &gateway_agencies[i];
    return found;
}

int gateway_agency_take(gateway_agency_t *a, int64_t now_mono, int *retry_s)
{
    double per_ms = (double)a->rate_per_minute / 60000.0;
    /* The bucket holds rate_burst, but never more than a minute's rate: an
     * agency allowed one request a minute may not send a hundred at once. */
    double burst = (double)gateway_config.rate_burst;
    if (burst > (double)a->rate_per_minute) burst = (double)a->rate_per_minute;
    if (a->refilled_mono) a->tokens += (double)(now_mono - a->refilled_mono) * per_ms;
    if (a->tokens > burst) a->tokens = burst;
    a->refilled_mono = now_mono;
    if (a->tokens >= 1.0) {
        a->tokens -= 1.0;
        return 1;
    }
    double wait_ms = (1.0 - a->tokens) / per_ms;
    *retry_s = (int)(wait_ms / 1000.0) + 1;
    return 0;
}
