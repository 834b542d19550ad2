/*
 * NAME
 *      legalaid-gateway - the HTTP edge: the agency API for courts',
 *      procuratorates' and police systems, and Prometheus metrics
 *
 * SYNOPSIS
 *      legalaid-gateway [-c CONFIG] [-t]
 *
 * DESCRIPTION
 *      Listens on [gateway] listen (HTTPS with tls_cert and tls_key; plain
 *      HTTP only on loopback). POST /v1/notices takes an agency's notice
 *      that a person needs a lawyer (Legal Aid Law art. 25, 28, 35, 36, 39)
 *      and answers 201 only after intake's durable reply; the agency's
 *      reference is the idempotency key (a resend returns the first answer,
 *      other content under it is 409). GET /v1/notices/{reference} tells
 *      the agency what became of it: the decision, the lawyer and how to
 *      reach them, the deadlines. Agencies authenticate with bearer tokens
 *      (stored hashed in [gateway] agencies) and are rate-limited. GET
 *      /metrics asks every daemon for its figures and answers in the
 *      Prometheus text format within [gateway] metrics_timeout_ms. GET
 *      /v1/openapi.yaml describes the API. It talks to the daemons under
 *      its own key (role edge) and keeps only the agencies' notice records.
 *
 * EXIT STATUS
 *      0 after SIGTERM; 78 on a configuration error (a listen address that
 *      is not loopback without TLS, an unreadable certificate or agencies
 *      file); 75 on a temporary failure (cannot bind, cannot open LMDB;
 *      restarted); 76 for damaged data (an LMDB environment that is corrupt
 *      or of another LMDB version: restore it from a backup; do not restart).
 */
#include "gateway.h"
#include "sections.h"

int main(int argc, char **argv)
{
    return daemon_main(&gateway_service, sections_check, argc, argv);
}
