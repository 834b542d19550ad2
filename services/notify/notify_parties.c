/*
 * notify_parties.c - what notify learns of the people it writes to (layout
 * in notify_store.h): each case's parties (names and phones, from intake),
 * and lawyers' and internship candidates' contacts.
 */
#include <string.h>

#include "notify_store.h"

static MDB_dbi notify_parties, notify_contacts;

int notify_parties_open(MDB_txn *txn)
{
    int rc = store_table_sealed(txn, "parties", &notify_parties);
    if (!rc) rc = store_table_sealed(txn, "contacts", &notify_contacts);
    return rc;
}

int notify_parties_contact_learn(turn_t *t, const char *id, const char *name, const char *phone)
{
    if (!id || !id[0] || strlen(id) > LA_CASE_ID_MAX) return 0;
    Legalaid__LawyerContact *c;
    int rc = notify_parties_contact_get(t, id, &c);
    if (rc) return rc;
    if (!c) {
        c = ARENA_NEW(t->arena, Legalaid__LawyerContact, legalaid__lawyer_contact__init);
        c->id = (char *)id;
    }
    int changed = 0;
    if (name && name[0] && (!c->name || strcmp(c->name, name) != 0)) {
        c->name = (char *)name;
        changed = 1;
    }
    if (phone && phone[0] && (!c->phone || strcmp(c->phone, phone) != 0)) {
        c->phone = (char *)phone;
        changed = 1;
    }
    if (!changed) return 0;
    return store_put_pb(t->txn, notify_contacts, id, strlen(id), &c->base, 0);
}

int notify_parties_contact_get(turn_t *t, const char *id, Legalaid__LawyerContact **c)
{
    *c = NULL;
    if (!id || !id[0] || strlen(id) > LA_CASE_ID_MAX) return 0;
    int rc =
        store_get_pb(t->txn, notify_contacts, id, strlen(id), &legalaid__lawyer_contact__descriptor,
                     &t->arena->pb, (ProtobufCMessage **)c);
    if (rc == MDB_NOTFOUND) {
        *c = NULL;
        return 0;
    }
    return rc;
}

int notify_parties_get(turn_t *t, const char *case_id, Legalaid__CaseParties **p)
{
    *p = NULL;
    int rc =
        store_get_pb(t->txn, notify_parties, case_id, strlen(case_id),
                     &legalaid__case_parties__descriptor, &t->arena->pb, (ProtobufCMessage **)p);
    if (rc == MDB_NOTFOUND) {
        *p = NULL;
        return 0;
    }
    return rc;
}

int notify_parties_memo_get(turn_t *t, const char *case_id, notify_parties_memo_t *m,
                            Legalaid__CaseParties **p)
{
    if (!m->known) {
        int rc = case_id[0] ? notify_parties_get(t, case_id, &m->p) : 0;
        if (rc) return rc;
        m->known = 1;
    }
    *p = m->p;
    return 0;
}

static void notify_parties_merge(char **into, const char *from)
{
    if (from && from[0]) *into = (char *)from;
}

int notify_parties_learn(turn_t *t, const Legalaid__CaseParties *learned,
                         Legalaid__CaseParties **merged)
{
    Legalaid__CaseParties *p;
    int rc = notify_parties_get(t, learned->case_id, &p);
    if (rc) return rc;
    if (!p) {
        p = ARENA_NEW(t->arena, Legalaid__CaseParties, legalaid__case_parties__init);
        p->case_id = learned->case_id;
    }
    notify_parties_merge(&p->applicant_name, learned->applicant_name);
    notify_parties_merge(&p->applicant_phone, learned->applicant_phone);
    notify_parties_merge(&p->authority_name, learned->authority_name);
    notify_parties_merge(&p->authority_phone, learned->authority_phone);
    if (learned->urgent) {
        p->urgent = 1;
        p->has_urgent = 1;
    }
    if (learned->has_authority_kind && learned->authority_kind) {
        p->authority_kind = learned->authority_kind;
        p->has_authority_kind = 1;
    }
    *merged = p;
    return store_put_pb(t->txn, notify_parties, p->case_id, strlen(p->case_id), &p->base, 0);
}
