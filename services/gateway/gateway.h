/*
 * gateway.h - legalaid-gateway, the HTTP edge: the agency API (/v1/),
 * Prometheus /metrics for every daemon, and the OpenAPI document.
 */
#ifndef LA_GATEWAY_H
#define LA_GATEWAY_H

#include "daemon.h"

extern const service_t gateway_service;

#endif
