/*
 * gateway_config.c - the [gateway] keys with their defaults and ranges
 * (the lowest floor: every other file of the gateway reads them).
 */
#include <stddef.h>

#include "gateway_int.h"

gateway_config_t gateway_config;

#define OFF(f) offsetof(gateway_config_t, f)

const cfg_key_t gateway_config_keys[] = {
    {"listen", CFG_STRING, "127.0.0.1:8480", 0, 0, OFF(listen),
     "HOST:PORT of the HTTP(S) listener; plain HTTP only on 127.0.0.1 or [::1]"},
    {"tls_cert", CFG_STRING, "", 0, 0, OFF(tls_cert),
     "PEM certificate (chain) of the HTTPS listener; empty with tls_key: plain HTTP"},
    {"tls_key", CFG_STRING, "", 0, 0, OFF(tls_key), "PEM private key of the certificate (0600)"},
    {"agencies", CFG_STRING, "/etc/legalaid/agencies", 0, 0, OFF(agencies),
     "agencies file: NAME KIND AUTHORITY blake2b:HEX [rate=N] per line"},
    {"body_max_bytes", CFG_INT, "65536", 1024, 16 << 20, OFF(body_max_bytes),
     "largest request body; larger is 413"},
    {"rate_per_minute", CFG_INT, "600", 1, 1000000, OFF(rate_per_minute),
     "requests a minute an agency may make (its own rate= overrides); more is 429"},
    {"rate_burst", CFG_INT, "120", 1, 1000000, OFF(rate_burst),
     "requests an agency may make at once before the rate applies"},
    {"daemon_timeout_ms", CFG_INT, "10000", 100, 600000, OFF(daemon_timeout_ms),
     "how long a request waits for a daemon before 503 (resent every second meanwhile)"},
    {"metrics_timeout_ms", CFG_INT, "800", 50, 5000, OFF(metrics_timeout_ms),
     "how long /metrics waits for each daemon before showing it down"},
    {"connections_max", CFG_INT, "1000", 4, 100000, OFF(connections_max),
     "HTTP connections held at once"},
    {"client_timeout_s", CFG_INT, "10", 1, 3600, OFF(client_timeout_s),
     "a client silent this long is cut off (a body trickled byte by byte)"},
    {"utc_offset_minutes", CFG_INT, "480", -720, 840, OFF(utc_offset_minutes),
     "offset of the times in answers (480: Beijing time)"},
    {"users", CFG_STRING, "", 0, 0, OFF(users),
     "users file of the pages (NAME ROLES $argon2id$... [BINDING]: legalaidctl keys web-user); "
     "empty: no one signs in, the offer links still work"},
    {"session_idle_minutes", CFG_INT, "30", 1, 1440, OFF(session_idle_minutes),
     "a signed-in person idle this long is signed out"},
    {"session_hours", CFG_INT, "12", 1, 168, OFF(session_hours),
     "a session ends this long after the sign-in, however busy"},
    {"sessions_max", CFG_INT, "4096", 16, 1000000, OFF(sessions_max),
     "sessions held at once (more: the longest idle is signed out)"},
    {"signin_failures_max", CFG_INT, "5", 1, 1000, OFF(signin_failures_max),
     "failed sign-ins in a row before the name is locked"},
    {"signin_lock_s", CFG_INT, "300", 1, 86400, OFF(signin_lock_s),
     "how long a name stays locked after too many failed sign-ins"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

