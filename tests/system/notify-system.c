/*
 * notify-system.c - legalaid-notify as a process against a real HTTP
 * server on loopback (http-sink), fed by a stand-in dispatch stream.
 *
 *   notify-system --bin BUILD_DIR --fault [--events N]
 *       The gateway fails 30 % of the posts and stalls 10 % past the
 *       client's timeout (accepting them), and notify is SIGKILLed once on
 *       the way: every notification still reaches the gateway exactly once
 *       by its idempotency key, every one is settled delivered, and retries
 *       and repeats did happen. Then a webhook that is down: the appointment
 *       becomes a dead letter (seen in `legalaidctl queues`), staff re-drive
 *       it with `legalaidctl notifications redrive`, and it arrives once.
 *   notify-system --bin BUILD_DIR --timers
 *       A deadline timer across SIGKILL and restart, with the test clock:
 *       the reminder at the lead time and the breach at the due time go to
 *       the lawyer and the staff exactly once each, with DeadlineDue on
 *       notify's stream; nothing fires twice after another restart.
 *
 * Exit status 0 when every check passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "notify-harness.h"

#define CLOCK_HOUR (3600LL * 1000)

static int failures;

#define CHECK(cond, ...)                                  \
    do {                                                  \
        if (!(cond)) {                                    \
            failures++;                                   \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                 \
            fprintf(stderr, "\n");                        \
        }                                                 \
    } while (0)

/* An offer of case i to lawyer i % 20, with its deadline. */
static void append_offer(nh_t *h, int i, int64_t expires)
{
    char case_id[32], lawyer_id[16], phone[16], name[32];
    snprintf(case_id, sizeof case_id, "BT-2026-%06d", i);
    snprintf(lawyer_id, sizeof lawyer_id, "L-%03d", i % 20);
    snprintf(phone, sizeof phone, "139%08d", i % 20);
    snprintf(name, sizeof name, "律师%d", i % 20);
    Legalaid__Lawyer l = LEGALAID__LAWYER__INIT;
    l.id = lawyer_id;
    l.name = name;
    l.phone = phone;
    Legalaid__Offer o = LEGALAID__OFFER__INIT;
    o.lawyer = &l;
    o.expires_at = expires;
    o.has_expires_at = 1;
    Legalaid__LawyerOffered lo = LEGALAID__LAWYER_OFFERED__INIT;
    lo.case_id = case_id;
    lo.offer = &o;
    Legalaid__Deadline dl = LEGALAID__DEADLINE__INIT;
    dl.key = "offer";
    dl.due_at = expires;
    dl.has_due_at = 1;
    dl.owner = LEGALAID__PARTY__LAWYER;
    dl.has_owner = 1;
    dl.owner_id = lawyer_id;
    dl.what = "答复案件指派";
    Legalaid__Deadline *dls[1] = {&dl};
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = case_id;
    ev.body_case = LEGALAID__EVENT__BODY_LAWYER_OFFERED;
    ev.lawyer_offered = &lo;
    ev.deadlines = dls;
    ev.n_deadlines = 1;
    nh_append(h, &ev);
}

static void append_needs_staff(nh_t *h, int i)
{
    char case_id[32];
    snprintf(case_id, sizeof case_id, "BT-2026-%06d", i);
    Legalaid__AssignmentQueued q = LEGALAID__ASSIGNMENT_QUEUED__INIT;
    q.case_id = case_id;
    q.reason = "全部适格律师已谢绝";
    q.state = LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
    q.has_state = 1;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = case_id;
    ev.body_case = LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED;
    ev.assignment_queued = &q;
    nh_append(h, &ev);
}

static void append_court_assignment(nh_t *h, const char *case_id)
{
    Legalaid__Lawyer l = LEGALAID__LAWYER__INIT;
    l.id = "L-900";
    l.name = "王明";
    l.firm = "内蒙古正义律师事务所";
    l.phone = "13900000900";
    Legalaid__Assignment a = LEGALAID__ASSIGNMENT__INIT;
    a.case_id = (char *)case_id;
    a.lawyer = &l;
    Legalaid__Authority au = LEGALAID__AUTHORITY__INIT;
    au.kind = LEGALAID__AUTHORITY_KIND__COURT;
    au.has_kind = 1;
    au.name = "包头市昆都仑区人民法院";
    Legalaid__LawyerAssigned la = LEGALAID__LAWYER_ASSIGNED__INIT;
    la.assignment = &a;
    la.authority = &au;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    ev.body_case = LEGALAID__EVENT__BODY_LAWYER_ASSIGNED;
    ev.lawyer_assigned = &la;
    nh_append(h, &ev);
}

/* Serves until counter reaches want or timeout_s passes; returns its value. */
static uint64_t serve_until(nh_t *h, const char *counter, uint64_t want, int timeout_s)
{
    uint64_t v = 0;
    for (int i = 0; i < timeout_s * 5; i++) {
        nh_serve(h, 200);
        v = nh_counter(h, counter);
        if (v != UINT64_MAX && v >= want) break;
    }
    return v;
}

static int run_ctl(nh_t *h, const char *args, const char *expect)
{
    char cmd[1600], out[8192] = "";
    snprintf(cmd, sizeof cmd, "%s/legalaidctl -c %s -t 2000 %s 2>&1", h->bin, h->config, args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    int rc = pclose(p);
    printf("$ legalaidctl %s\n%s", args, out);
    if (expect && !strstr(out, expect)) {
        fprintf(stderr, "FAIL: legalaidctl %s: no \"%s\" in its output\n", args, expect);
        failures++;
    }
    return rc;
}

static int test_fault(const char *bin, int events)
{
    static const char *const sink_args[] = {"--fail-percent", "30", "--stall-percent", "10",
                                            "--stall-ms", "1500", "--seed", "20261123",
                                            "--token", "sink-token", NULL};
    nh_t h;
    if (nh_setup(&h, bin, sink_args) || nh_write_config(&h,
                                                        "sms_token = sink-token\n"
                                                        "webhook_token = sink-token\n"
                                                        "http_timeout_ms = 500\n"
                                                        "retry_base_ms = 100\nretry_max_ms = 800\n"
                                                        "max_attempts = 60\nmax_inflight = 16\n") ||
        nh_start(&h)) {
        fprintf(stderr, "FAIL: cannot start (see %s)\n", h.dir);
        nh_teardown(&h);
        return 1;
    }
    int64_t now = nh_clock(&h, 0);
    size_t want = 0;
    for (int i = 1; i <= events; i++) {
        append_offer(&h, i, now + 48 * CLOCK_HOUR);
        want++;
        if (i % 10 == 0) {
            append_needs_staff(&h, i);
            want++;
        }
    }
    /* Halfway, SIGKILL: attempts in flight lose their outcome and are made
     * again after the restart, with the same key. */
    uint64_t got = serve_until(&h, "outbox.delivered", want / 2, 60);
    printf("notify-system: %llu of %zu delivered; SIGKILL and restart\n", (unsigned long long)got,
           want);
    nh_kill(&h);
    CHECK(nh_start(&h) == 0, "restart after SIGKILL");
    got = serve_until(&h, "outbox.delivered", want, 180);
    CHECK(got == want, "delivered %llu of %zu", (unsigned long long)got, want);
    CHECK(nh_counter(&h, "outbox.pending") == 0, "nothing left pending");
    CHECK(nh_counter(&h, "outbox.dead") == 0, "no dead letter");
    size_t news = nh_sink_count(&h, "new", NULL), dups = nh_sink_count(&h, "dup", NULL),
           fails = nh_sink_count(&h, "fail", NULL);
    printf("notify-system: gateway saw %zu new, %zu repeated (dropped by key), %zu failed\n", news,
           dups, fails);
    CHECK(news == want, "the gateway accepted %zu distinct keys, expected %zu", news, want);
    CHECK(nh_sink_new_unique(&h), "a key was accepted twice");
    CHECK(nh_sink_count(&h, "new", "/staff") == want - (size_t)events, "staff webhook posts");
    CHECK(fails > 0 && dups > 0, "faults were injected (fails %zu, repeats %zu)", fails, dups);
    CHECK(nh_sink_count(&h, "denied", NULL) == 0 && nh_sink_count(&h, "bad", NULL) == 0,
          "every post had the token and its key in header and body");
    CHECK(nh_stream_count(&h, LEGALAID__EVENT__BODY_NOTIFICATION_DELIVERED, NULL) == want,
          "one NotificationDelivered per notification");
    CHECK(nh_stop(&h) == 0, "clean stop");

    /* The dead-letter path: a court's webhook that is down. */
    char keys[600];
    /* No SMS in this part (sms_url empty): only the court's webhook is posted to. */
    snprintf(keys, sizeof keys,
             "sms_url =\nwebhook_token = sink-token\nhttp_timeout_ms = 500\n"
             "retry_base_ms = 50\nretry_max_ms = 100\nmax_attempts = 3\n"
             "webhook_court = http://127.0.0.1:%d/dead/court\n",
             h.sink.port);
    nh_write_config(&h, keys);
    CHECK(nh_start(&h) == 0, "start with the court webhook");
    append_court_assignment(&h, "BT-2026-900001");
    uint64_t dead = serve_until(&h, "outbox.dead", 1, 30);
    CHECK(dead == 1, "one dead letter, got %llu", (unsigned long long)dead);
    CHECK(nh_stream_count(&h, LEGALAID__EVENT__BODY_NOTIFICATION_FAILED, NULL) == 1,
          "NotificationFailed on the stream");
    run_ctl(&h, "queues", "outbox.dead=1");
    run_ctl(&h, "notifications dead", "appointment");
    CHECK(run_ctl(&h, "--lang en notifications BT-2026-900001",
                  "[not delivered: the attempts ran out]") == 0,
          "the case's view says it was not delivered");
    /* Mend the cause, then staff re-drive it. */
    char heal[700];
    snprintf(heal, sizeof heal, "%s.heal", h.sink.log);
    FILE *f = fopen(heal, "w");
    if (f) fclose(f);
    Legalaid__NotificationsQuery q = LEGALAID__NOTIFICATIONS_QUERY__INIT;
    q.state = LEGALAID__OUTBOX_STATE__OUTBOX_DEAD;
    q.has_state = 1;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_NOTIFICATIONS_QUERY;
    req.notifications_query = &q;
    Legalaid__Reply *r = nh_call(&h, &req);
    char args[64] = "notifications redrive 0";
    if (r && r->notifications && r->notifications->n_notifications == 1)
        snprintf(args, sizeof args, "notifications redrive %llu --by ops",
                 (unsigned long long)r->notifications->notifications[0]->id);
    if (r) legalaid__reply__free_unpacked(r, NULL);
    /* Counted before the re-drive: the delivery may follow it at once. */
    uint64_t before = nh_counter(&h, "outbox.delivered");
    CHECK(run_ctl(&h, args, "re-driven") == 0, "legalaidctl %s", args);
    got = serve_until(&h, "outbox.delivered", before + 1, 30);
    CHECK(got == before + 1, "the re-driven one delivered");
    CHECK(nh_counter(&h, "outbox.dead") == 0, "no dead letter left");
    CHECK(nh_sink_count(&h, "new", "/dead/court") == 1, "the court got it once");
    CHECK(run_ctl(&h, "--lang en notifications BT-2026-900001", "[delivered ") == 0,
          "the case's view says when it was delivered");
    CHECK(nh_sink_new_unique(&h), "a key was accepted twice");
    CHECK(nh_stop(&h) == 0, "clean stop");
    h.remove_dir = failures == 0;
    nh_teardown(&h);
    return 0;
}

/* A template naming a field its event does not have: exit 78, file:line in the log. */
static void test_bad_template(nh_t *h)
{
    char cmd[2400], keys[800], log[700];
    const char *cut = strstr(__FILE__, "tests/system/");
    snprintf(cmd, sizeof cmd,
             "cp -r %.*sdeploy/notify-templates %s/bad-templates && "
             "printf '# offer\n{offer.lawyer.nme}\n' > %s/bad-templates/offer.lawyer.txt",
             cut ? (int)(cut - __FILE__) : 0, __FILE__, h->dir, h->dir);
    CHECK(system(cmd) == 0, "copy the templates");
    snprintf(keys, sizeof keys, "templates_dir = %s/bad-templates\n", h->dir);
    nh_write_config(h, keys);
    int status = nh_run_to_exit(h, 10000);
    CHECK(status == 78, "a bad template: exit status %d, expected 78", status);
    snprintf(log, sizeof log, "%s/notify.log", h->dir);
    snprintf(cmd, sizeof cmd, "grep -q 'offer.lawyer.txt:2: unknown field {offer.lawyer.nme}' %s",
             log);
    CHECK(system(cmd) == 0, "the log names the file and line (%s)", log);
    /* The check alone (-t, systemd's ExecStartPre) catches it too. */
    snprintf(log, sizeof log, "%s/notify-t.log", h->dir);
    snprintf(cmd, sizeof cmd, "%s/legalaid-notify -t -c %s > %s 2>&1", h->bin, h->config, log);
    status = system(cmd);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 78, "-t with a bad template: status %d",
          status);
    snprintf(cmd, sizeof cmd, "grep -q 'offer.lawyer.txt:2: unknown field {offer.lawyer.nme}' %s",
             log);
    CHECK(system(cmd) == 0, "-t names the file and line (%s)", log);
}

static int test_timers(const char *bin)
{
    nh_t h;
    if (nh_setup(&h, bin, NULL)) return 1;
    test_bad_template(&h);
    if (nh_write_config(&h, "test_clock = true\ndeadline_lead_minutes = 60\n"
                            "retry_base_ms = 100\nretry_max_ms = 400\n") ||
        nh_start(&h)) {
        fprintf(stderr, "FAIL: cannot start (see %s)\n", h.dir);
        nh_teardown(&h);
        return 1;
    }
    int64_t t0 = nh_clock(&h, 0);
    append_offer(&h, 1, t0 + 2 * CLOCK_HOUR);
    CHECK(serve_until(&h, "outbox.delivered", 1, 30) == 1, "the offer delivered");
    CHECK(nh_counter(&h, "timers.pending") == 1, "one timer");

    nh_kill(&h); /* the timer is a row: it survives */
    CHECK(nh_start(&h) == 0, "restart");
    CHECK(nh_counter(&h, "timers.pending") == 1, "the timer after SIGKILL");
    nh_clock(&h, t0 + 61 * 60000);
    CHECK(serve_until(&h, "outbox.delivered", 3, 30) == 3, "reminder to lawyer and staff");
    size_t breached;
    CHECK(nh_stream_count(&h, LEGALAID__EVENT__BODY_DEADLINE_DUE, &breached) == 1 && breached == 0,
          "one DeadlineDue (the reminder)");

    nh_kill(&h);
    CHECK(nh_start(&h) == 0, "restart");
    nh_clock(&h, t0 + 2 * CLOCK_HOUR + 1000);
    CHECK(serve_until(&h, "outbox.delivered", 5, 30) == 5, "breach to lawyer and staff");
    CHECK(nh_stream_count(&h, LEGALAID__EVENT__BODY_DEADLINE_DUE, &breached) == 2 && breached == 1,
          "DeadlineDue for the breach");
    CHECK(nh_counter(&h, "timers.pending") == 0, "the timer is done");

    nh_kill(&h);
    CHECK(nh_start(&h) == 0, "restart");
    nh_clock(&h, t0 + 5 * CLOCK_HOUR);
    nh_serve(&h, 2500);
    CHECK(nh_counter(&h, "notifications") == 5, "nothing fired twice");
    CHECK(nh_sink_count(&h, "new", "/sms") == 3 && nh_sink_count(&h, "new", "/staff") == 2,
          "the gateway got the offer, the lawyer's two notices and the staff's two");
    CHECK(nh_sink_new_unique(&h), "a key was accepted twice");
    CHECK(nh_stop(&h) == 0, "clean stop");
    h.remove_dir = failures == 0;
    nh_teardown(&h);
    return 0;
}

int main(int argc, char **argv)
{
    const char *bin = NULL;
    int fault = 0, timers = 0, events = 300;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--bin") && i + 1 < argc) bin = argv[++i];
        else if (!strcmp(argv[i], "--fault")) fault = 1;
        else if (!strcmp(argv[i], "--timers")) timers = 1;
        else if (!strcmp(argv[i], "--events") && i + 1 < argc) events = atoi(argv[++i]);
    }
    if (!bin || (!fault && !timers)) {
        fprintf(stderr, "usage: notify-system --bin BUILD_DIR --fault [--events N] | --timers\n");
        return 2;
    }
    if (fault && test_fault(bin, events)) return 1;
    if (timers && test_timers(bin)) return 1;
    printf("notify-system: %s\n", failures ? "FAILED" : "all checks passed");
    return failures ? 1 : 0;
}
