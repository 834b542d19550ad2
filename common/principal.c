/*
 * principal.c - see principal.h.
 */
#include "principal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const struct {
    unsigned bit;
    const char *name, *zh;
} principal_roles[] = {
    {ROLE_STAFF, "staff", "中心工作人员"},   {ROLE_OFFICER, "officer", "司法行政机关审查人员"},
    {ROLE_STATION, "station", "工作站"},     {ROLE_LAWYER, "lawyer", "律师"},
    {ROLE_AGENCY, "agency", "办案机关系统"}, {ROLE_OPERATIONS, "operations", "运维人员"},
    {ROLE_ADMIN, "admin", "系统管理员"},     {ROLE_PEER, "peer", "对端服务"},
    {ROLE_UNMASK, "unmask", "可查看完整个人信息的工作人员"},
    {ROLE_EDGE, "edge", "对外网关"},
};
#define N_ROLES (sizeof principal_roles / sizeof principal_roles[0])

const char *principal_role_name(unsigned bit)
{
    for (size_t i = 0; i < N_ROLES; i++)
        if (principal_roles[i].bit == bit) return principal_roles[i].name;
    return "?";
}

int principal_roles_parse(const char *text, unsigned *mask, char *err, size_t errlen)
{
    *mask = 0;
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, ",");
        size_t i;
        for (i = 0; i < N_ROLES; i++)
            if (strlen(principal_roles[i].name) == n && strncmp(principal_roles[i].name, p, n) == 0)
                break;
        if (i == N_ROLES) {
            snprintf(err, errlen,
                     "unknown role '%.*s' (staff, officer, station, lawyer, agency, operations, "
                     "admin, peer, unmask)",
                     (int)n, p);
            return -1;
        }
        *mask |= principal_roles[i].bit;
        p += n;
        if (*p == ',') p++;
    }
    if (!*mask) {
        snprintf(err, errlen, "no role given");
        return -1;
    }
    return 0;
}

static char *principal_roles_join(unsigned mask, int zh, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < N_ROLES; i++) {
        if (!(mask & principal_roles[i].bit)) continue;
        const char *sep = len ? (zh ? "或" : ",") : "";
        int w = snprintf(buf + len, size - len, "%s%s", sep,
                         zh ? principal_roles[i].zh : principal_roles[i].name);
        if (w < 0 || (size_t)w >= size - len) break;
        len += (size_t)w;
    }
    return buf;
}

char *principal_roles_text(unsigned mask, char *buf, size_t size)
{
    return principal_roles_join(mask, 0, buf, size);
}

char *principal_roles_zh(unsigned mask, char *buf, size_t size)
{
    return principal_roles_join(mask, 1, buf, size);
}

/* Parses "station=C03" style bindings into p. 0 or -1 with err. */
static int allowlist_binding(principal_t *p, const char *tok, char *err, size_t errlen)
{
    static const struct {
        const char *prefix;
        size_t off;
    } b[] = {{"station=", offsetof(principal_t, station)},
             {"lawyer=", offsetof(principal_t, lawyer)},
             {"authority=", offsetof(principal_t, authority)}};
    if (strncmp(tok, "delegate=", 9) == 0) {
        if (principal_roles_parse(tok + 9, &p->delegate, err, errlen) < 0) return -1;
        if (p->delegate & ~(unsigned)PRINCIPAL_DELEGABLE) {
            snprintf(err, errlen, "delegate= may name staff, officer, station, lawyer, operations "
                                  "and admin only (never agency, peer, edge or unmask)");
            return -1;
        }
        return 0;
    }
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(b[i].prefix);
        if (strncmp(tok, b[i].prefix, n) != 0) continue;
        if (!tok[n] || strlen(tok + n) >= PRINCIPAL_BINDING_MAX) break;
        strcpy((char *)p + b[i].off, tok + n);
        return 0;
    }
    snprintf(err, errlen, "'%s' is not station=CODE, lawyer=ID, authority=NAME or delegate=ROLES",
             tok);
    return -1;
}

/* The roles that need a binding have one, and bindings have their role. */
static int allowlist_check_bindings(const principal_t *p, char *err, size_t errlen)
{
    static const struct {
        unsigned role;
        size_t off;
        const char *what;
    } need[] = {{ROLE_STATION, offsetof(principal_t, station), "station=CODE"},
                {ROLE_LAWYER, offsetof(principal_t, lawyer), "lawyer=ID"},
                {ROLE_AGENCY, offsetof(principal_t, authority), "authority=NAME"}};
    for (size_t i = 0; i < 3; i++) {
        int has = ((const char *)p + need[i].off)[0] != 0;
        int role = (p->roles & need[i].role) != 0;
        if (has != role) {
            snprintf(err, errlen, role ? "role %s needs %s" : "%s given without role %s",
                     role ? principal_role_name(need[i].role) : need[i].what,
                     role ? need[i].what : principal_role_name(need[i].role));
            return -1;
        }
    }
    if (p->delegate && !(p->roles & ROLE_EDGE)) {
        snprintf(err, errlen, "delegate= is given only with the edge role");
        return -1;
    }
    if ((p->roles & ROLE_UNMASK) && !(p->roles & ROLE_STAFF)) {
        snprintf(err, errlen, "the unmask right is given only with the staff role");
        return -1;
    }
    return 0;
}

/* Parses one non-empty, non-comment line. */
static int allowlist_line(char *line, principal_t *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    char *save = NULL, *tok[8] = {0};
    int n = 0;
    for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (n == 8) {
            snprintf(err, errlen, "too many fields");
            return -1;
        }
        tok[n++] = t;
    }
    int at = 0;
    if (n == 0) {
        snprintf(err, errlen, "empty line");
        return -1;
    }
    if (strcmp(tok[0], "revoked") == 0) {
        p->revoked = 1;
        at = 1;
    }
    if (n - at < 2) {
        snprintf(err, errlen, "expected: KEY NAME ROLES [BINDING] (or: revoked KEY NAME)");
        return -1;
    }
    if (!keyfile_z85_valid(tok[at])) {
        snprintf(err, errlen, "'%s' is not a public key (40 Z85 characters)", tok[at]);
        return -1;
    }
    strcpy(p->key, tok[at]);
    if (strlen(tok[at + 1]) >= PRINCIPAL_NAME_MAX) {
        snprintf(err, errlen, "name longer than %d bytes", PRINCIPAL_NAME_MAX - 1);
        return -1;
    }
    strcpy(p->name, tok[at + 1]);
    if (p->revoked) return 0;
    if (n < 3) {
        snprintf(err, errlen, "no roles for %s: expected KEY NAME ROLES [BINDING]", p->name);
        return -1;
    }
    if (principal_roles_parse(tok[2], &p->roles, err, errlen) < 0) return -1;
    for (int i = 3; i < n; i++)
        if (allowlist_binding(p, tok[i], err, errlen) < 0) return -1;
    return allowlist_check_bindings(p, err, errlen);
}

int principal_parse_line(const char *line, principal_t *p, char *err, size_t errlen)
{
    char copy[1024];
    if (strlen(line) >= sizeof copy) {
        snprintf(err, errlen, "line longer than %zu bytes", sizeof copy - 1);
        return -1;
    }
    strcpy(copy, line);
    return allowlist_line(copy, p, err, errlen);
}

int principal_list_load(const char *path, allowlist_t *out, char *err, size_t errlen)
{
    out->entries = NULL;
    out->n = 0;
    FILE *f = fopen(path, "re");
    if (!f) {
        snprintf(err, errlen, "cannot read the allow-list %s: %s", path, strerror(errno));
        return -1;
    }
    char line[1024], why[300];
    size_t cap = 0;
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        char *s = line + strspn(line, " \t");
        if (!*s || *s == '#') continue;
        principal_t p;
        if (allowlist_line(s, &p, why, sizeof why) < 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
            rc = -1;
            break;
        }
        const principal_t *dup = principal_find_key(out, p.key);
        if (dup && !(dup->revoked || p.revoked)) {
            snprintf(err, errlen, "%s:%d: the key of %s is already listed for %s", path, lineno,
                     p.name, dup->name);
            rc = -1;
            break;
        }
        if (dup) { /* a revoked line wins over a live one for the same key */
            if (p.revoked) *(principal_t *)dup = p;
            continue;
        }
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->entries = xrealloc(out->entries, cap * sizeof *out->entries);
        }
        out->entries[out->n++] = p;
    }
    fclose(f);
    if (rc < 0) principal_list_free(out);
    return rc;
}

void principal_list_free(allowlist_t *a)
{
    free(a->entries);
    a->entries = NULL;
    a->n = 0;
}

const principal_t *principal_find_key(const allowlist_t *a, const char *z85)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->entries[i].key, z85) == 0) return &a->entries[i];
    return NULL;
}

const principal_t *principal_find_name(const allowlist_t *a, const char *name, unsigned role)
{
    for (size_t i = 0; i < a->n; i++) {
        const principal_t *p = &a->entries[i];
        if (!p->revoked && (p->roles & role) && strcmp(p->name, name) == 0) return p;
    }
    return NULL;
}

void principal_line(const principal_t *p, char *buf, size_t size)
{
    char roles[200];
    const char *bind = p->station[0] ? "station=" : p->lawyer[0] ? "lawyer=" : p->authority[0] ? "authority=" : "";
    const char *val = p->station[0] ? p->station : p->lawyer[0] ? p->lawyer : p->authority;
    int n = snprintf(buf, size, "%s %s %s%s%s%s", p->key, p->name,
                     principal_roles_text(p->roles, roles, sizeof roles), *bind ? " " : "", bind,
                     val);
    if (p->delegate && n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " delegate=%s",
                 principal_roles_text(p->delegate, roles, sizeof roles));
}
