/*
 * gateway_page.c - what every page of the gateway shares: the layout (one
 * style sheet, the signed-in person and the way out), HTML escaping, the
 * form fields of a POST (application/x-www-form-urlencoded), cookies, a
 * redirect, and the embedded files under /static/. Pages carry a strict
 * Content-Security-Policy: no inline script, nothing from another origin,
 * never framed.
 */
#include <stdio.h>
#include <string.h>

#include "gateway_int.h"
#include "i18n.h"

#define GATEWAY_PAGE_CSP                                                                  \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "   \
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

void gateway_page_esc(buf_t *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': buf_printf(b, "&lt;"); break;
        case '>': buf_printf(b, "&gt;"); break;
        case '&': buf_printf(b, "&amp;"); break;
        case '"': buf_printf(b, "&quot;"); break;
        case '\'': buf_printf(b, "&#39;"); break;
        default: buf_append(b, s, 1);
        }
    }
}

/* The pages a person's roles open, in the header's order. */
static const struct {
    unsigned roles;
    const char *href, *label;
} gateway_page_nav[] = {
    {ROLE_STAFF | ROLE_OFFICER | ROLE_OPERATIONS | ROLE_ADMIN, "/board", "运行看板"},
    {ROLE_STAFF | ROLE_OFFICER | ROLE_OPERATIONS | ROLE_ADMIN | ROLE_STATION, "/duty", "值班一览"},
    {ROLE_STATION, "/desk", "本站值班"},
    {ROLE_LAWYER, "/lawyer", "我的案件"},
};

void gateway_page_begin(buf_t *b, const char *title, const char *who, unsigned roles,
                        const char *csrf)
{
    buf_printf(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                  "<title>");
    gateway_page_esc(b, title);
    buf_printf(b, " · 法律援助</title><link rel=\"stylesheet\" href=\"/static/style.css\">"
                  "</head><body><header><span class=\"brand\">法律援助</span>");
    if (who) {
        buf_printf(b, "<nav>");
        for (size_t i = 0; i < sizeof gateway_page_nav / sizeof gateway_page_nav[0]; i++)
            if (roles & gateway_page_nav[i].roles)
                buf_printf(b, "<a href=\"%s\">%s</a>", gateway_page_nav[i].href,
                           gateway_page_nav[i].label);
        buf_printf(b, "</nav><form class=\"out\" method=\"post\" action=\"/logout\">"
                      "<span class=\"who\">");
        gateway_page_esc(b, who);
        buf_printf(b, "</span><input type=\"hidden\" name=\"csrf\" value=\"");
        gateway_page_esc(b, csrf);
        buf_printf(b, "\"><button type=\"submit\">退出</button></form>");
    }
    buf_printf(b, "</header><main>\n<h1>");
    gateway_page_esc(b, title);
    buf_printf(b, "</h1>\n");
}

void gateway_page_end(buf_t *b, const char *script)
{
    buf_printf(b, "</main>");
    if (script) buf_printf(b, "<script src=\"/static/page.js\"></script>");
    /* Several scripts, separated by spaces, load in that order. */
    for (const char *p = script; p && *p;) {
        size_t n = strcspn(p, " ");
        if (n) buf_printf(b, "<script src=\"/static/%.*s\"></script>", (int)n, p);
        p += n;
        while (*p == ' ') p++;
    }
    buf_printf(b, "</body></html>\n");
}

static void gateway_page_headers(gateway_req_t *r)
{
    gateway_http_header(r, "Content-Security-Policy", GATEWAY_PAGE_CSP);
    gateway_http_header(r, "X-Frame-Options", "DENY");
    gateway_http_header(r, "Referrer-Policy", "no-referrer");
}

void gateway_page_send(gateway_req_t *r, unsigned status, buf_t *b)
{
    gateway_http_answer(r, status, "text/html; charset=utf-8", (const char *)b->data, b->len);
    gateway_page_headers(r);
    buf_free(b);
}

void gateway_page_message(gateway_req_t *r, unsigned status, const char *title, const char *text,
                          const char *code)
{
    buf_t b = {0};
    gateway_page_begin(&b, title, NULL, 0, NULL);
    buf_printf(&b, "<p class=\"message\" data-code=\"%s\">", code);
    gateway_page_esc(&b, text);
    buf_printf(&b, "</p>");
    gateway_page_end(&b, NULL);
    gateway_page_send(r, status, &b);
}

void gateway_page_redirect(gateway_req_t *r, const char *to)
{
    gateway_http_answer(r, 303, "text/plain; charset=utf-8", "", 0);
    gateway_http_header(r, "Location", to);
    gateway_page_headers(r);
}

static int gateway_page_hex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes n bytes of s (%XX, '+') into a string in r's arena. */
static char *gateway_page_decode(gateway_req_t *r, const char *s, size_t n)
{
    char *out = arena_alloc(&r->arena, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '+')
            *o++ = ' ';
        else if (s[i] == '%' && i + 2 < n && (h = gateway_page_hex(s[i + 1])) >= 0 &&
                 (l = gateway_page_hex(s[i + 2])) >= 0) {
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else
            *o++ = s[i];
    }
    *o = 0;
    return out;
}

const char *gateway_page_form(gateway_req_t *r, const char *name)
{
    const char *ct = gateway_http_get_header(r, "Content-Type");
    if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) != 0) return NULL;
    const char *p = (const char *)r->body.data, *end = p ? p + r->body.len : NULL;
    size_t nl = strlen(name);
    while (p && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        if (!amp) amp = end;
        const char *eq = memchr(p, '=', (size_t)(amp - p));
        if (eq && (size_t)(eq - p) == nl && memcmp(p, name, nl) == 0)
            return gateway_page_decode(r, eq + 1, (size_t)(amp - eq - 1));
        p = amp + 1;
    }
    return NULL;
}

const gateway_asset_t *gateway_page_asset(const char *name)
{
    for (const gateway_asset_t *a = gateway_assets; a->name; a++)
        if (strcmp(a->name, name) == 0) return a;
    return NULL;
}

void gateway_page_static(gateway_req_t *r, const char *name)
{
    const gateway_asset_t *a = gateway_page_asset(name);
    if (!a || strcmp(name, "openapi.yaml") == 0) {
        gateway_http_problem(r, 404, "not-found", NULL, _("no such file: %s"), name);
        return;
    }
    gateway_http_answer(r, 200, a->type, (const char *)a->data, a->len);
    gateway_page_headers(r);
}
