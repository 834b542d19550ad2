/*
 * gateway_signin.c - signing in and out of the pages:
 *
 *   GET  /login    the form (name, password), with a pre-session token:
 *                  a cookie la_pre and the same value in the form, so that
 *                  another site cannot sign a browser in as someone else
 *   POST /login    checks the password (gateway_user.c, off the loop), then
 *                  a session (gateway_session.c) and on to the person's page
 *   POST /logout   ends the session (its CSRF token required)
 *
 * gateway_signin_need is what every page asks first.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "gateway_int.h"
#include "log.h"
#include "i18n.h"

/* Where a person goes after signing in. */
/* Where a person lands after signing in: a desk on its station's page. */
static const char *gateway_signin_home(const webuser_t *u)
{
    if (u->roles & (ROLE_STAFF | ROLE_OFFICER | ROLE_OPERATIONS | ROLE_ADMIN)) return "/board";
    if (u->roles & ROLE_STATION) return "/desk";
    if (u->roles & ROLE_LAWYER) return "/lawyer";
    return "/duty";
}

static void gateway_signin_form(gateway_req_t *r, unsigned status, const char *pre,
                                const char *error, const char *name)
{
    buf_t b = {0};
    gateway_page_begin(&b, "登录", NULL, 0, NULL);
    if (!gateway_user_count())
        buf_printf(&b, "<p class=\"message\" data-code=\"no-users\">本网关未配置登录用户 "
                       "([gateway] users)。</p>");
    if (error) {
        buf_printf(&b, "<p class=\"error\" role=\"alert\">");
        gateway_page_esc(&b, error);
        buf_printf(&b, "</p>");
    }
    buf_printf(&b, "<form class=\"signin\" method=\"post\" action=\"/login\">"
                   "<input type=\"hidden\" name=\"pre\" value=\"%s\">"
                   "<label>用户名<input name=\"name\" autocomplete=\"username\" required value=\"",
               pre);
    gateway_page_esc(&b, name ? name : "");
    buf_printf(&b, "\"></label><label>密码<input name=\"password\" type=\"password\" "
                   "autocomplete=\"current-password\" required></label>"
                   "<button type=\"submit\">登录</button></form>");
    gateway_page_end(&b, NULL);
    gateway_page_send(r, status, &b);
    char c[160];
    snprintf(c, sizeof c, "la_pre=%s; Path=/login; HttpOnly; SameSite=Strict%s", pre,
             gateway_config.tls_cert[0] ? "; Secure" : "");
    gateway_http_header(r, "Set-Cookie", c);
}

/* The pre-session token of the request's cookie, or a new one. */
static const char *gateway_signin_pre(gateway_req_t *r)
{
    const char *pre = gateway_http_get_cookie(r, "la_pre");
    if (pre && strlen(pre) == GATEWAY_SESSION_ID_LEN) return pre;
    unsigned char raw[32];
    char *out = arena_alloc(&r->arena, GATEWAY_SESSION_ID_LEN + 1);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, GATEWAY_SESSION_ID_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

void gateway_signin_page(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_session_of(r);
    if (s) {
        gateway_page_redirect(r, gateway_signin_home(&s->user));
        return;
    }
    gateway_signin_form(r, 200, gateway_signin_pre(r), NULL, NULL);
}

typedef struct gateway_signin_work {
    gateway_req_t *r;
    const char *name, *pre;
} gateway_signin_work_t;

static void gateway_signin_checked(void *ctx, const webuser_t *u, int locked_s)
{
    gateway_signin_work_t *w = ctx;
    char msg[200];
    if (!u) {
        if (locked_s)
            snprintf(msg, sizeof msg, "连续登录失败次数过多，请 %d 秒后再试。", locked_s);
        if (locked_s)
            log_info("gateway: sign-in of %s refused (locked)", w->name);
        else
            log_info("gateway: sign-in of %s refused", w->name);
        gateway_signin_form(w->r, locked_s ? 429 : 401, w->pre,
                            locked_s ? msg : "用户名或密码错误。", w->name);
        return;
    }
    gateway_session_t *s = gateway_session_new(u);
    log_info("gateway: %s signed in", u->name);
    gateway_page_redirect(w->r, gateway_signin_home(u));
    gateway_session_cookie(w->r, s);
}

void gateway_signin_post(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    const char *pre = gateway_http_get_cookie(r, "la_pre"), *form_pre = gateway_page_form(r, "pre");
    const char *name = gateway_page_form(r, "name"), *password = gateway_page_form(r, "password");
    if (!pre || !form_pre || strlen(pre) != GATEWAY_SESSION_ID_LEN ||
        strcmp(pre, form_pre) != 0) {
        gateway_signin_form(r, 403, gateway_signin_pre(r),
                            "登录表单已失效，请重新输入 (the form's token is missing or stale)",
                            name);
        return;
    }
    if (!name || !name[0] || !password || !password[0]) {
        gateway_signin_form(r, 400, pre, "请输入用户名和密码。", name);
        return;
    }
    gateway_signin_work_t *w = arena_alloc(&r->arena, sizeof *w);
    w->r = r;
    w->name = name;
    w->pre = pre;
    gateway_user_check(name, password, gateway_signin_checked, w);
    if (!r->response) gateway_http_suspend(r); /* until the pool has checked it */
}

void gateway_signin_out(daemon_t *d, gateway_req_t *r)
{
    (void)d;
    gateway_session_t *s = gateway_session_of(r);
    if (s && !gateway_session_csrf_ok(r, s)) {
        gateway_page_message(r, 403, "无法退出", "请求缺少有效的表单令牌 (CSRF)。", "csrf");
        return;
    }
    if (s) log_info("gateway: %s signed out", s->user.name);
    gateway_session_end(s);
    gateway_page_redirect(r, "/login");
    gateway_session_cookie(r, NULL);
}

gateway_session_t *gateway_signin_need(gateway_req_t *r, unsigned roles)
{
    gateway_session_t *s = gateway_session_of(r);
    int api = strncmp(r->url, "/api/", 5) == 0;
    if (!s) {
        if (api)
            gateway_http_problem(r, 401, "unauthorized", NULL, _("请先登录 (sign in at /login)"));
        else
            gateway_page_redirect(r, "/login");
        return NULL;
    }
    if (!(s->user.roles & roles)) {
        char need[300];
        principal_roles_zh(roles, need, sizeof need);
        char text[400];
        snprintf(text, sizeof text, "此页面需要%s角色。", need);
        if (api)
            gateway_http_problem(r, 403, "forbidden", NULL, _("%s"), text);
        else
            gateway_page_message(r, 403, "无权查看", text, "forbidden");
        return NULL;
    }
    if (strcmp(r->method, "POST") == 0 && !gateway_session_csrf_ok(r, s)) {
        if (api)
            gateway_http_problem(r, 403, "csrf", NULL,
                                 _("缺少有效的 CSRF 令牌 (send the page's token in X-CSRF-Token)"));
        else
            gateway_page_message(r, 403, "请求被拒绝",
                                 "请求缺少有效的表单令牌 (CSRF)，请刷新页面后重试。", "csrf");
        return NULL;
    }
    return s;
}
