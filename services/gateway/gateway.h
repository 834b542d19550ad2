/*
 * gateway.h - legalaid-gateway, the HTTP edge: the agency API (/v1/),
 * Prometheus /metrics for every daemon, the OpenAPI document, and the
 * pages (sign-in, the operations board, a lawyer's offer link).
 */
#ifndef LA_GATEWAY_H
#define LA_GATEWAY_H

#include "daemon.h"

extern const service_t gateway_service;

#endif
