/*
 * principal.h - who may talk to a daemon: the allow-list of public keys,
 * each mapped to a principal with its roles (DESIGN.md "Security").
 *
 * The allow-list is a text file, one principal per line:
 *
 *   # public key (Z85)                       name       roles          binding
 *   rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7 court-03   station        station=C03
 *   Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID wang-li    staff,unmask
 *   JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6 intake     peer
 *   revoked Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID wang-li
 *
 * A station desk is bound to one station (station=CODE), a lawyer to one
 * lawyer (lawyer=ID), an agency system to one authority (authority=NAME).
 * A "revoked" line keeps a withdrawn key known, so that its use is refused
 * and audited as revoked rather than as unknown. A peer named after a
 * daemon (intake, eligibility, dispatch, roster, notify) is that daemon's
 * own key: its clients find the daemon's server key there.
 */
#ifndef LA_PRINCIPAL_H
#define LA_PRINCIPAL_H

#include <stddef.h>

#include "keyfile.h"

/* Roles, as bits of a mask. UNMASK is a right added to staff: it may see
 * personal data unmasked (each such read is audited). */
enum {
    ROLE_STAFF = 1u << 0,      /* centre staff: applications, queues, assignment by hand */
    ROLE_OFFICER = 1u << 1,    /* bureau officer: decisions, objections, verification */
    ROLE_STATION = 1u << 2,    /* a station desk: its own station only */
    ROLE_LAWYER = 1u << 3,     /* a lawyer: its own offers and cases */
    ROLE_AGENCY = 1u << 4,     /* an agency's system: notices of its own authority */
    ROLE_OPERATIONS = 1u << 5, /* operations: read-only (queues, status, reports) */
    ROLE_ADMIN = 1u << 6,      /* administrator: imports, keys, re-drives */
    ROLE_PEER = 1u << 7,       /* a peer daemon: stream fetch only */
    ROLE_UNMASK = 1u << 8,     /* with staff: may read personal data unmasked */
    ROLE_EDGE = 1u << 9,       /* the gateway: metrics, status reads, and requests
                                  on behalf of an agency it authenticated */
    ROLE_ALL = (1u << 10) - 1,
};

#define PRINCIPAL_NAME_MAX 64
#define PRINCIPAL_BINDING_MAX 128

typedef struct principal {
    char key[KEYFILE_Z85_LEN + 1];
    char name[PRINCIPAL_NAME_MAX];
    unsigned roles;
    char station[PRINCIPAL_BINDING_MAX];   /* station desk: the one station */
    char lawyer[PRINCIPAL_BINDING_MAX];    /* lawyer: the one lawyer */
    char authority[PRINCIPAL_BINDING_MAX]; /* agency: the one authority */
    unsigned delegate; /* edge: the roles of the people it signs in and may act
                          for (Request.on_behalf.person); "delegate=staff,..." */
    int revoked;
} principal_t;

typedef struct allowlist {
    principal_t *entries;
    size_t n;
} allowlist_t;

/* Parses a comma-separated role list ("staff,unmask") into *mask. 0, or -1
 * naming the unknown role in err. */
int principal_roles_parse(const char *text, unsigned *mask, char *err, size_t errlen);
/* Writes the roles of mask as "staff,unmask" into buf. Returns buf. */
char *principal_roles_text(unsigned mask, char *buf, size_t size);
/* The name of one role bit ("station"), or "?" */
const char *principal_role_name(unsigned bit);
/* The roles of mask in Chinese for people ("中心工作人员或律师"), into buf. */
char *principal_roles_zh(unsigned mask, char *buf, size_t size);
/* The roles an edge may ever act for a signed-in person with: never agency,
 * peer, edge or unmask (a web page shows personal data masked). */
#define PRINCIPAL_DELEGABLE (ROLE_STAFF | ROLE_OFFICER | ROLE_STATION | ROLE_LAWYER | \
                             ROLE_OPERATIONS | ROLE_ADMIN)

/* Loads the allow-list at path into *out (replacing nothing: the caller
 * frees the old one after). A line that does not parse, a key listed
 * twice, a role without its binding (station, lawyer, agency) or a binding
 * without its role is an error naming the line. 0, or -1 with err. */
int principal_list_load(const char *path, allowlist_t *out, char *err, size_t errlen);
void principal_list_free(allowlist_t *a);

/* The entry of a Z85 key (revoked ones too: check ->revoked), or NULL. */
const principal_t *principal_find_key(const allowlist_t *a, const char *z85);
/* The live (not revoked) entry named name with role (a bit), or NULL. */
const principal_t *principal_find_name(const allowlist_t *a, const char *name, unsigned role);

/* Parses one allow-list line (as principal_list_load does) into *p: 0, or -1
 * with what is wrong in err. */
int principal_parse_line(const char *line, principal_t *p, char *err, size_t errlen);

/* Formats the allow-list line of a principal into buf (no newline). */
void principal_line(const principal_t *p, char *buf, size_t size);

#endif
