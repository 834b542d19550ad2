/*
 * gateway_session.c - who is signed in: a session per sign-in, named by a
 * random 256-bit id in the cookie la_session (HttpOnly, SameSite=Strict,
 * Secure under TLS), ended by signing out, by [gateway] session_idle_minutes
 * without a request, or session_hours after the sign-in. Each session has
 * its own CSRF token: every form carries it (field csrf) and every script's
 * POST sends it (header X-CSRF-Token); a POST without it is refused.
 * Sessions live in the gateway's memory: a restart signs everyone out,
 * which is the safe side for a page that can re-drive a dead letter.
 *
 * Whatever a signed-in person asks of a daemon goes as Request.on_behalf
 * with the person's name, roles and binding: the daemon checks the roles
 * (access.c) against the gateway's delegate= and audits PERSON@gateway.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "gateway_int.h"
#include "xalloc.h"

static gateway_session_t *gateway_sessions;
static size_t gateway_n_sessions;

static void gateway_session_random(char out[GATEWAY_SESSION_ID_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, GATEWAY_SESSION_ID_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int gateway_session_live(const gateway_session_t *s, int64_t now)
{
    return s->id[0] && now - s->seen_ms < gateway_config.session_idle_minutes * 60000 &&
           now - s->created_ms < gateway_config.session_hours * 3600000;
}

gateway_session_t *gateway_session_new(const webuser_t *u)
{
    if (!gateway_sessions)
        gateway_sessions = xcalloc((size_t)gateway_config.sessions_max, sizeof *gateway_sessions);
    int64_t now = clock_mono_ms();
    gateway_session_t *slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < (size_t)gateway_config.sessions_max && !slot; i++) {
        gateway_session_t *s = &gateway_sessions[i];
        if (!gateway_session_live(s, now)) slot = s;
        else if (!oldest || s->seen_ms < oldest->seen_ms) oldest = s;
    }
    if (!slot) slot = oldest; /* full: the longest idle is signed out */
    if (!slot->id[0]) gateway_n_sessions++;
    memset(slot, 0, sizeof *slot);
    gateway_session_random(slot->id);
    gateway_session_random(slot->csrf);
    slot->user = *u;
    sodium_memzero(slot->user.hash, sizeof slot->user.hash);
    slot->created_ms = slot->seen_ms = now;
    return slot;
}

gateway_session_t *gateway_session_of(gateway_req_t *r)
{
    const char *id = gateway_http_get_cookie(r, "la_session");
    if (!id || strlen(id) != GATEWAY_SESSION_ID_LEN || !gateway_sessions) return NULL;
    int64_t now = clock_mono_ms();
    for (size_t i = 0; i < (size_t)gateway_config.sessions_max; i++) {
        gateway_session_t *s = &gateway_sessions[i];
        if (!s->id[0] || sodium_memcmp(s->id, id, GATEWAY_SESSION_ID_LEN) != 0) continue;
        if (!gateway_session_live(s, now)) {
            gateway_session_end(s);
            return NULL;
        }
        s->seen_ms = now;
        return s;
    }
    return NULL;
}

void gateway_session_end(gateway_session_t *s)
{
    if (!s || !s->id[0]) return;
    sodium_memzero(s, sizeof *s);
    gateway_n_sessions--;
}

size_t gateway_session_count(void)
{
    return gateway_n_sessions;
}

int gateway_session_csrf_ok(gateway_req_t *r, const gateway_session_t *s)
{
    const char *t = gateway_http_get_header(r, "X-CSRF-Token");
    if (!t) t = gateway_page_form(r, "csrf");
    return s && t && strlen(t) == GATEWAY_SESSION_ID_LEN &&
           sodium_memcmp(t, s->csrf, GATEWAY_SESSION_ID_LEN) == 0;
}

void gateway_session_cookie(gateway_req_t *r, const gateway_session_t *s)
{
    char c[200];
    int tls = gateway_config.tls_cert[0] != 0;
    if (s)
        snprintf(c, sizeof c, "la_session=%s; Path=/; HttpOnly; SameSite=Strict%s", s->id,
                 tls ? "; Secure" : "");
    else
        snprintf(c, sizeof c, "la_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                 tls ? "; Secure" : "");
    gateway_http_header(r, "Set-Cookie", c);
}

void gateway_session_ask(gateway_req_t *r, const gateway_session_t *s, int daemon,
                         Legalaid__Request *req, gateway_link_cb cb, void *ctx)
{
    Legalaid__OnBehalf ob = LEGALAID__ON_BEHALF__INIT;
    char roles[200];
    ob.person = (char *)s->user.name;
    ob.roles = principal_roles_text(s->user.roles, roles, sizeof roles);
    ob.station = s->user.station[0] ? (char *)s->user.station : NULL;
    ob.lawyer = s->user.lawyer[0] ? (char *)s->user.lawyer : NULL;
    req->on_behalf = &ob;
    gateway_link_call(daemon, req, (int)gateway_config.daemon_timeout_ms, 1, cb, ctx);
    req->on_behalf = NULL; /* packed by the call */
    if (r) gateway_http_suspend(r);
}
