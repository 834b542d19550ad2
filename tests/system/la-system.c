/*
 * la-system.c - the whole system under load: starts the five daemons as
 * processes, imports a lawyer pool, submits N applications through intake
 * and checks that each one ends decided, assigned where approved and
 * notified exactly once. With --kills K it SIGKILLs a random daemon again
 * and again while the applications flow (restarting it each time), and the
 * same checks must hold: nothing lost, nothing applied twice. A "lawyers'
 * desk" thread plays the pool: it reads the offers open at dispatch and
 * accepts each (the way lawyers answer from their phones), so an approved
 * case ends ASSIGNED after exactly one offer. With --bench
 * it prints throughput and the latency from intake's reply to the last
 * notification recorded for the case.
 *
 * With --rate R it submits at a steady R applications a second instead of
 * a burst, and prints the latency percentiles under that load. With --bench
 * it prints, from the records read back after the run (no watcher polls the
 * daemons while they work), when
 * each stage last moved — intake's accepts, eligibility's decisions,
 * dispatch's offers, the lawyers' accepts, notify's records — as a rate,
 * naming the stage that held the flow longest after the one before it, and
 * the latency of each hop (decision, offer, acceptance, notification) for
 * the same case; and from the daemons' metrics before and after, each
 * one's turns and the time its commits took (turns.c): where a hop waits.
 *
 * With --restart-exited it plays systemd's Restart=on-failure: a daemon that
 * exits by itself (as one does after an I/O error LMDB cannot go on from,
 * tests/fault/iofail.c) is started again; each such exit must be status 75
 * (EXIT_TEMPFAIL) with its reason in its log, and the checks still hold.
 *
 * With --soak N (a benchmark mode, not in CI) the applications go in rounds
 * of N, each a burst let settle before the next: each round prints its rate,
 * the daemons' CPU per application, anonymous memory and disk per
 * application held, so a drift over a million applications shows; the checks
 * then ask about the last round, and each daemon is SIGKILLed and started
 * again on everything it holds, timed until it answers. --bench prints the
 * same CPU, memory and disk figures for its one burst.
 *
 * With --gateway legalaid-gateway runs too, on a free loopback port, and
 * is among the processes the kills pick from; at the end it must answer
 * /healthz and its /metrics must show all five daemons up.
 *
 * usage: la-system --bin DIR [--apps N] [--kills K] [--kill-every MS] [--gateway] [--bench]
 *                  [--security-off] [--sealing-off] [--keep] [--restart-exited] [--rate R]
 *                  [--soak N] [--set KEY=VALUE]... [--compact] [--steady]
 *
 * --set KEY=VALUE adds a line to every daemon's section of the
 * configuration (repeatable), to measure a setting: --set fetch_max_events=250.
 * --sealing-off keeps CURVE but stores personal data in clear (data_key = off),
 * to measure what sealing alone costs.
 * --security-off runs the daemons with [security] mode = off (plain sockets),
 * to measure what CURVE and the checks cost against the default run.
 * --compact (with --bench or --soak) then compacts each daemon online
 * (`legalaidctl compact`: every table written again in key order) before
 * the checks, which then read every case from the compacted stores, and
 * prints the disk figures again, with each compaction's sizes and the time
 * its loop was held.
 * --steady measures the system in steady state (steady.h): notify delivers
 * every message to a loopback HTTP sink (each must reach it once), the
 * desk signs each agreement as its case is assigned, and once the outbox
 * has drained every clock moves 31 days on (test_clock), past the logs'
 * retention: the logs are trimmed, the deadlines of the month acted on and
 * their messages delivered. The checks then ask about what the run itself
 * caused (the steps and messages from before the clocks moved), and the
 * disk figures are those of the trimmed stores.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client.h"
#include "clock.h"
#include "procs.h"
#include "turns.h"
#include "footprint.h"
#include "steady.h"
#include "usage.h"
#include "xalloc.h"

enum app_kind { KIND_NOTICE, KIND_COMMITMENT, KIND_MATERIALS };

typedef struct app_state {
    char case_id[32];
    int64_t replied_at;     /* wall ms when intake's reply arrived */
    int64_t notified_at;    /* last notification recorded_at */
    int64_t decided_at;     /* eligibility's decided_at */
    int64_t offered_at;     /* dispatch's LawyerOffered occurred_at (0: none) */
    int64_t assigned_at;    /* dispatch's LawyerAssigned occurred_at */
    int failures;
} app_state_t;

typedef struct run {
    procs_t procs;
    int apps, kills, kill_every_ms, bench, keep, compact;
    app_state_t *state;
    volatile int submitting;
    volatile int desk_open;
    int offers_accepted;
    int steady;                /* --steady: steady.h */
    int settle_upto;           /* the applications submitted when wait_settled is asked */
    int64_t aged_at;           /* --steady: the clocks moved on at this (wall ms); 0 not yet */
    char *signed_case;         /* --steady: by case number, its agreement signed */
    _Atomic int agreements_signed; /* cases whose agreement was signed, each once */
    int rate;                  /* --rate: applications a second, 0: a burst */
    /* When each stage took its last step (wall ms), from the records the
     * checks read back: no watcher polls the daemons while they work. */
    int64_t last_decided, last_offered, last_assigned, last_notified;
    int kills_done;
    int restart_exited;        /* --restart-exited */
    int soak;                  /* --soak N: rounds of N applications */
    volatile int supervising;  /* the supervisor thread runs */
    int exits[PROCS_N];        /* daemons that exited by themselves, restarted */
    int bad_exits;             /* ... with a status other than 75 */
    unsigned seed;
    int errors;
} run_t;

static int64_t now_wall(void)
{
    return clock_now_ms();
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void id_number(unsigned n, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    /* Region 150203 (Kundulun, Baotou), a birth date in 1960-1999, a serial:
     * the year varies fastest (ages mixed from the first applications on),
     * and no two of the first 13,440,000 share a number (intake takes a
     * second application of the same person in the same matter for the
     * first one sent again). */
    unsigned k = n / 40;
    snprintf(out, 19, "150203%04u%02u%02u%03u", 1960 + n % 40, 1 + k % 12, 1 + (k / 12) % 28,
             (k / 336) % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (out[i] - '0') * w[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = 0;
}

static int kind_of(int i)
{
    return i % 3;
}

/* --gateway: after the run the edge answers /healthz, and its /metrics
 * sees all five daemons up. */
static int check_gateway(run_t *r)
{
    if (procs_gateway_wait_ready(&r->procs, 20000) < 0) return 1;
    static char body[1 << 20];
    int status = procs_gateway_get(&r->procs, "/metrics", body, sizeof body);
    if (status != 200) {
        fprintf(stderr, "the gateway's /metrics answered %d\n", status);
        return 1;
    }
    int bad = 0;
    for (int i = 0; i < PROCS_N; i++) {
        char want[96];
        snprintf(want, sizeof want, "legalaid_up{daemon=\"%s\"} 1", procs_names[i]);
        if (!strstr(body, want)) {
            fprintf(stderr, "the gateway's /metrics lacks %s\n", want);
            bad = 1;
        }
    }
    if (!bad) printf("la-system: the gateway answers, and its /metrics shows all five up\n");
    return bad;
}

/* --- failure injection ---------------------------------------------------- */

static void *killer_main(void *arg)
{
    run_t *r = arg;
    while (r->submitting || r->kills_done < r->kills) {
        sleep_ms(r->kill_every_ms);
        int victim = (int)(rand_r(&r->seed) % (PROCS_N + (r->procs.gateway ? 1 : 0)));
        if (victim == PROCS_N) { /* --gateway: the edge dies too */
            procs_gateway_kill(&r->procs);
            r->kills_done++;
            sleep_ms(50 + (int)(rand_r(&r->seed) % 150));
            procs_gateway_start(&r->procs);
            r->procs.gw_restarts++;
            continue;
        }
        procs_kill(&r->procs, victim);
        r->kills_done++;
        sleep_ms(50 + (int)(rand_r(&r->seed) % 150));
        procs_start(&r->procs, victim);
        r->procs.restarts[victim]++;
        if (r->kills_done >= r->kills * 3) break; /* the flow is slow: enough */
    }
    return NULL;
}

/* --restart-exited: systemd's Restart=on-failure for daemons that exit by
 * themselves (never with --kills: procs_kill reaps its own). */
static void *supervisor_main(void *arg)
{
    run_t *r = arg;
    while (r->supervising) {
        for (int i = 0; i < PROCS_N; i++) {
            int status = 0;
            if (r->procs.pid[i] <= 0 || waitpid(r->procs.pid[i], &status, WNOHANG) != r->procs.pid[i])
                continue;
            int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            printf("la-system: %s (pid %d) exited by itself with status %d: started again\n",
                   procs_names[i], (int)r->procs.pid[i], code);
            fflush(stdout);
            if (code != 75) r->bad_exits++;
            r->exits[i]++;
            r->procs.pid[i] = 0;
            procs_start(&r->procs, i);
        }
        sleep_ms(50);
    }
    return NULL;
}

/* --- the lawyers' desk ------------------------------------------------------ */

typedef struct desk_batch {
    run_t *r;
    long *signs; /* per request: the case number of an agreement signed, 0 an offer accepted */
} desk_batch_t;

static void desk_cb(void *ctx, size_t index, const Legalaid__Reply *reply)
{
    desk_batch_t *db = ctx;
    /* OK, or CONFLICT when an earlier pass already did it. */
    if (reply->code != LEGALAID__CODE__OK) return;
    long n = db->signs[index];
    if (!n) {
        __atomic_add_fetch(&db->r->offers_accepted, 1, __ATOMIC_RELAXED);
        return;
    }
    /* A batch sent again (a timeout, a new generation) is answered from
     * the stored replies: each case counts once. The desk's hands answer
     * at once (desk_hand), so the mark is taken under a lock. */
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&mu);
    if (n > 0 && n <= db->r->apps && !db->r->signed_case[n]) {
        db->r->signed_case[n] = 1;
        db->r->agreements_signed++;
    }
    pthread_mutex_unlock(&mu);
}

/* --steady: the lawyer assigned signs the agreement with the recipient
 * (程序规定 art. 27), as each assignment is published. The case's number
 * (-1 when it has none), or 0 when the event names no case and lawyer. */
static long desk_sign(const Legalaid__Event *ev, char *id, size_t size, buf_t *frame)
{
    const Legalaid__Assignment *a = ev->lawyer_assigned ? ev->lawyer_assigned->assignment : NULL;
    if (!a || !a->case_id || !a->lawyer || !a->lawyer->id) return 0;
    snprintf(id, size, "sign-%s", a->case_id);
    Legalaid__AdvanceCase adv = LEGALAID__ADVANCE_CASE__INIT;
    adv.case_id = a->case_id;
    adv.has_to = 1;
    adv.to = LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED;
    adv.by = a->lawyer->id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = id;
    req.body_case = LEGALAID__REQUEST__BODY_ADVANCE_CASE;
    req.advance_case = &adv;
    client_pack(&req, frame);
    const char *dash = strrchr(a->case_id, '-');
    long number = dash ? strtol(dash + 1, NULL, 10) : 0;
    return number > 0 ? number : -1;
}

/* Accepts the offers of a batch of dispatch's stream, pipelined; returns
 * 0 when every accept was answered. */
static int desk_accept(run_t *r, client_t *c, const Legalaid__Batch *b)
{
    buf_t *frames = xcalloc(b->n_events + 1, sizeof *frames);
    char **ids = xcalloc(b->n_events + 1, sizeof *ids);
    desk_batch_t db = {r, xcalloc(b->n_events + 1, sizeof(long))};
    size_t n = 0;
    for (size_t i = 0; i < b->n_events; i++) {
        const Legalaid__Event *ev = b->events[i];
        char id[160];
        long number; /* the case's: BT-2026-000042 is 42 */
        if (r->steady && ev->body_case == LEGALAID__EVENT__BODY_LAWYER_ASSIGNED &&
            (number = desk_sign(ev, id, sizeof id, &frames[n])) != 0) {
            ids[n] = xstrdup(id);
            db.signs[n++] = number;
            continue;
        }
        if (ev->body_case != LEGALAID__EVENT__BODY_LAWYER_OFFERED || !ev->lawyer_offered->offer ||
            !ev->lawyer_offered->offer->lawyer)
            continue;
        const Legalaid__LawyerOffered *o = ev->lawyer_offered;
        snprintf(id, sizeof id, "accept-%s-%s", o->case_id, o->offer->lawyer->id);
        ids[n] = xstrdup(id);
        Legalaid__AnswerOffer ans = LEGALAID__ANSWER_OFFER__INIT;
        ans.case_id = o->case_id;
        ans.lawyer_id = o->offer->lawyer->id;
        ans.has_accept = ans.accept = 1;
        Legalaid__Request ar = LEGALAID__REQUEST__INIT;
        ar.request_id = ids[n];
        ar.body_case = LEGALAID__REQUEST__BODY_ANSWER_OFFER;
        ar.answer_offer = &ans;
        client_pack(&ar, &frames[n++]);
    }
    int rc = n ? client_pipeline(c, frames, ids, n, 256, desk_cb, &db) : 0;
    for (size_t i = 0; i < n; i++) {
        buf_free(&frames[i]);
        free(ids[i]);
    }
    free(frames);
    free(ids);
    free(db.signs);
    return rc;
}

/* The lawyers answer from their phones as the offers reach them, each on
 * their own: the desk follows dispatch's stream as a consumer of its own
 * (consumers = tester) with long-poll fetches, and hands each batch to one
 * of DESK_HANDS threads that accepts its offers, many in flight at once,
 * while the next batch is fetched. Until session 29 one thread fetched and
 * then waited for every accept of the batch before it fetched again, so an
 * offer published meanwhile waited a whole round of dispatch's commits
 * that no lawyer would make it wait: the benchmark measured its own client
 * (issue 16, item 1). A hand sends its batch again until every accept in
 * it was answered (answered from the stored reply, or CONFLICT, when it
 * was done already), so a dispatch killed meanwhile loses no offer. */
#define DESK_HANDS 4
#define DESK_QUEUE 256

typedef struct desk {
    run_t *r;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    Legalaid__Reply *q[DESK_QUEUE]; /* batches fetched, not yet taken by a hand */
    size_t head, n;
    int closing;
    client_t *hand_client[DESK_HANDS];
} desk_t;

typedef struct desk_hand_arg {
    desk_t *d;
    int i;
} desk_hand_arg_t;

static void *desk_hand(void *arg)
{
    desk_hand_arg_t *a = arg;
    desk_t *d = a->d;
    client_t *c = d->hand_client[a->i];
    for (;;) {
        pthread_mutex_lock(&d->mu);
        while (!d->n && !d->closing) pthread_cond_wait(&d->cv, &d->mu);
        if (!d->n) {
            pthread_mutex_unlock(&d->mu);
            return NULL;
        }
        Legalaid__Reply *rep = d->q[d->head];
        d->head = (d->head + 1) % DESK_QUEUE;
        d->n--;
        pthread_cond_broadcast(&d->cv);
        pthread_mutex_unlock(&d->mu);
        while (desk_accept(d->r, c, rep->batch) != 0 && d->r->desk_open)
            sleep_ms(50); /* dispatch restarting (--kills): the same accepts again */
        legalaid__reply__free_unpacked(rep, NULL);
    }
}

/* Hands a batch to the hands (the queue full: waits for room). */
static void desk_give(desk_t *d, Legalaid__Reply *rep)
{
    pthread_mutex_lock(&d->mu);
    while (d->n == DESK_QUEUE) pthread_cond_wait(&d->cv, &d->mu);
    d->q[(d->head + d->n) % DESK_QUEUE] = rep;
    d->n++;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

static void *desk_main(void *arg)
{
    run_t *r = arg;
    client_t *c = procs_client(&r->procs, 2, 2000, 30000);
    desk_t d = {.r = r};
    pthread_mutex_init(&d.mu, NULL);
    pthread_cond_init(&d.cv, NULL);
    pthread_t hands[DESK_HANDS];
    desk_hand_arg_t args[DESK_HANDS];
    for (int i = 0; i < DESK_HANDS; i++) {
        d.hand_client[i] = procs_client(&r->procs, 2, 2000, 30000);
        args[i] = (desk_hand_arg_t){&d, i};
        pthread_create(&hands[i], NULL, desk_hand, &args[i]);
    }
    uint64_t after = 0, epoch = 0;
    while (r->desk_open) {
        Legalaid__Fetch f = LEGALAID__FETCH__INIT;
        f.stream = "dispatch";
        f.consumer = "tester"; /* a consumer fetches under its own key's name */
        f.has_after_seq = f.has_max_events = f.has_wait_ms = 1;
        f.after_seq = after;
        f.max_events = 2000;
        f.wait_ms = 200;
        f.has_epoch = epoch != 0;
        f.epoch = epoch;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.body_case = LEGALAID__REQUEST__BODY_FETCH;
        req.fetch = &f;
        Legalaid__Reply *rep = NULL;
        int rc = client_call(c, &req, &rep);
        if (rc != 0 || rep->body_case != LEGALAID__REPLY__BODY_BATCH ||
            (rep->has_code && rep->code != LEGALAID__CODE__OK)) {
            if (!r->kills) /* nothing should stop the desk then */
                fprintf(stderr, "la-system: the desk's fetch of dispatch's stream failed: %s\n",
                        rc ? strerror(-rc) : rep->error ? rep->error : "no batch");
            if (rep) legalaid__reply__free_unpacked(rep, NULL);
            sleep_ms(50); /* dispatch restarting (--kills) */
            continue;
        }
        const Legalaid__Batch *b = rep->batch;
        if (b->has_epoch && b->epoch != epoch) { /* a new generation: from its start */
            epoch = b->epoch;
            after = 0;
        } else if (b->n_events) {
            after = b->events[b->n_events - 1]->seq;
            desk_give(&d, rep); /* a hand frees it */
            continue;
        }
        legalaid__reply__free_unpacked(rep, NULL);
    }
    pthread_mutex_lock(&d.mu);
    d.closing = 1;
    pthread_cond_broadcast(&d.cv);
    pthread_mutex_unlock(&d.mu);
    for (int i = 0; i < DESK_HANDS; i++) {
        pthread_join(hands[i], NULL);
        client_destroy(&d.hand_client[i]);
    }
    pthread_cond_destroy(&d.cv);
    pthread_mutex_destroy(&d.mu);
    client_destroy(&c);
    return NULL;
}

/* --- load ------------------------------------------------------------------ */

static int import_lawyers(run_t *r)
{
    /* 180 lawyers, or more for a soak: every approved case (two in three)
     * stays open, a lawyer takes at most 500 (DISPATCH_CAPACITY_MAX), and
     * the minors' cases (one in three) only the half qualified for them
     * (whom the fair shares also give their part of the others): one
     * lawyer per 400 applications leaves a quarter of the places free. */
    int n = r->apps / 400 > 180 ? r->apps / 400 : 180;
    int capacity = n == 180 && r->apps / 90 + 10 < 500 ? r->apps / 90 + 10 : 500;
    client_t *c = procs_client(&r->procs, 2, 500, 60000);
    Legalaid__Lawyer *ls = xcalloc((size_t)n, sizeof *ls);
    Legalaid__Lawyer **lp = xcalloc((size_t)n, sizeof *lp);
    char (*ids)[16] = xcalloc((size_t)n, 16), (*phones)[16] = xcalloc((size_t)n, 16);
    for (int i = 0; i < n; i++) {
        legalaid__lawyer__init(&ls[i]);
        snprintf(ids[i], 16, "L%04d", i + 1);
        snprintf(phones[i], 16, "139%08d", 4720000 + i + 1);
        ls[i].id = ids[i];
        ls[i].name = "律师";
        ls[i].firm = "内蒙古测试律师事务所";
        ls[i].phone = phones[i];
        ls[i].has_status = 1;
        ls[i].status = LEGALAID__LAWYER_STATUS__ACTIVE;
        ls[i].has_capacity = 1;
        ls[i].capacity = (uint32_t)capacity;
        ls[i].licence_date = "2014-09-01";
        ls[i].criminal_defence_since = "2016-03-01";
        /* Half may defend minors (the notified cases here are minors). */
        ls[i].has_juvenile_qualified = 1;
        ls[i].juvenile_qualified = i % 2 == 0;
        lp[i] = &ls[i];
    }
    Legalaid__ImportLawyers imp = LEGALAID__IMPORT_LAWYERS__INIT;
    imp.lawyers = lp;
    imp.n_lawyers = (size_t)n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.request_id = "system-test-lawyers";
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_LAWYERS;
    req.import_lawyers = &imp;
    Legalaid__Reply *rep = NULL;
    int rc = client_call(c, &req, &rep);
    if (rc == 0 && rep->body_case == LEGALAID__REPLY__BODY_IMPORT_RESULT &&
        rep->import_result->accepted == (uint32_t)n) {
        rc = 0;
    } else {
        const Legalaid__ImportResult *ir =
            rc == 0 && rep->body_case == LEGALAID__REPLY__BODY_IMPORT_RESULT ? rep->import_result : NULL;
        const Legalaid__ImportError *e = ir && ir->n_rejected ? ir->rejected[0] : NULL;
        fprintf(stderr, "lawyer import failed: %s%s%s\n",
                rc ? strerror(-rc) : e ? (e->field ? e->field : "?") : rep->error ? rep->error : "?",
                e ? ": " : "", e && e->message ? e->message : "");
        rc = -1;
    }
    if (rep) legalaid__reply__free_unpacked(rep, NULL);
    client_destroy(&c);
    free(ls);
    free(lp);
    free(ids);
    free(phones);
    return rc;
}

typedef struct chunk_ctx {
    run_t *r;
    size_t offset;
} chunk_ctx_t;

static void submit_cb(void *ctx, size_t index, const Legalaid__Reply *reply)
{
    chunk_ctx_t *cc = ctx;
    run_t *r = cc->r;
    index += cc->offset;
    app_state_t *s = &r->state[index];
    if (reply->body_case != LEGALAID__REPLY__BODY_APPLICATION_ACCEPTED) {
        fprintf(stderr, "application %zu refused: %s (%s)\n", index, reply->error ? reply->error : "?",
                reply->field ? reply->field : "-");
        s->failures++;
        r->errors++;
        return;
    }
    snprintf(s->case_id, sizeof s->case_id, "%s", reply->application_accepted->case_id);
    s->replied_at = now_wall();
}

/* Submits applications first .. first + count - 1, chunk at a time. */
static int submit_all(run_t *r, int first, int count, int chunk, int pause_ms)
{
    client_t *c = procs_client(&r->procs, 0, 1000, 300000);
    buf_t *frames = xcalloc((size_t)count, sizeof *frames);
    char **ids = xcalloc((size_t)count, sizeof *ids);
    for (int i = first; i < first + count; i++) {
        char idn[19], phone[16], name[32], rid[48];
        id_number((unsigned)i, idn);
        snprintf(phone, sizeof phone, "13%09d", 100000000 + i);
        snprintf(name, sizeof name, "申请人%d", i);
        client_request_id(rid); /* as legalaidctl makes its ids (the gateway, for its pages' calls) */
        ids[i - first] = xstrdup(rid);
        Legalaid__Person p = LEGALAID__PERSON__INIT;
        p.name = name;
        p.id_number = idn;
        p.phone = phone;
        Legalaid__Authority au = LEGALAID__AUTHORITY__INIT;
        Legalaid__Application a = LEGALAID__APPLICATION__INIT;
        a.applicant = &p;
        a.has_channel = a.has_category = 1;
        a.matter = "system test";
        switch (kind_of(i)) {
        case KIND_NOTICE:
            a.channel = LEGALAID__CHANNEL__AUTHORITY_NOTICE;
            a.category = LEGALAID__MATTER_CATEGORY__CRIMINAL_DEFENCE;
            au.has_kind = 1;
            au.kind = LEGALAID__AUTHORITY_KIND__COURT;
            au.name = "包头市昆都仑区人民法院";
            a.authority = &au;
            a.has_ground = 1;
            a.ground = LEGALAID__MANDATORY_GROUND__MINOR;
            break;
        case KIND_COMMITMENT:
            a.channel = LEGALAID__CHANNEL__WINDOW;
            a.category = LEGALAID__MATTER_CATEGORY__LABOUR_ARBITRATION;
            a.has_commitment_signed = 1;
            a.commitment_signed = 1;
            break;
        default:
            a.channel = LEGALAID__CHANNEL__WORKSTATION;
            a.category = LEGALAID__MATTER_CATEGORY__CIVIL;
            a.has_scope_item = 1;
            a.scope_item = 4; /* art. 31(4): maintenance */
        }
        Legalaid__SubmitApplication sub = LEGALAID__SUBMIT_APPLICATION__INIT;
        sub.application = &a;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = ids[i - first];
        req.body_case = LEGALAID__REQUEST__BODY_SUBMIT_APPLICATION;
        req.submit_application = &sub;
        client_pack(&req, &frames[i - first]);
    }
    int rc = 0;
    if (r->rate > 0) {
        client_pace(c, r->rate); /* a steady rate: replies come back while it sends */
        chunk = count;
    }
    for (int start = first; start < first + count && rc == 0; start += chunk) {
        int n = first + count - start < chunk ? first + count - start : chunk;
        chunk_ctx_t cc = {r, (size_t)start};
        rc = client_pipeline(c, frames + (start - first), ids + (start - first), (size_t)n, 256, submit_cb,
                             &cc);
        if (pause_ms) sleep_ms(pause_ms);
    }
    for (int i = 0; i < count; i++) {
        buf_free(&frames[i]);
        free(ids[i]);
    }
    free(frames);
    free(ids);
    client_destroy(&c);
    return rc;
}

/* --- waiting for the flow to settle ----------------------------------------- */

typedef struct status_set {
    uint64_t head[PROCS_N];
    uint64_t applied[PROCS_N][PROCS_N]; /* [consumer][producer] */
    uint64_t dead[PROCS_N];
    uint64_t dispatch_open; /* offers open and cases waiting at dispatch */
    int ok;
} status_set_t;

static int proc_index(const char *name)
{
    for (int i = 0; i < PROCS_N; i++)
        if (name && strcmp(name, procs_names[i]) == 0) return i;
    return -1;
}

static int read_status(run_t *r, status_set_t *st)
{
    memset(st, 0, sizeof *st);
    for (int i = 0; i < PROCS_N; i++) {
        Legalaid__Reply *rep = procs_status(&r->procs, i);
        if (!rep) return -1;
        Legalaid__StreamStatus *s = rep->stream_status;
        st->head[i] = s->head_seq;
        st->dead[i] = s->dead_letters;
        for (size_t k = 0; k < s->n_counters; k++)
            if (i == 2 && (!strcmp(s->counters[k]->name, "offered_now") ||
                           !strcmp(s->counters[k]->name, "waiting") ||
                           !strcmp(s->counters[k]->name, "needs_staff")))
                st->dispatch_open += s->counters[k]->value;
        for (size_t u = 0; u < s->n_upstreams; u++) {
            int p = proc_index(s->upstreams[u]->stream);
            if (p >= 0) st->applied[i][p] = s->upstreams[u]->applied_seq;
        }
        legalaid__reply__free_unpacked(rep, NULL);
    }
    return 0;
}

/* Settled: every consumer has applied its producers' heads, twice in a row. */
static int wait_settled(run_t *r, int timeout_ms)
{
    static const int consumes[PROCS_N][PROCS_N] = {
        /* intake */ {0, 1, 1, 1, 0},
        /* eligibility */ {1, 0, 1, 0, 0},
        /* dispatch */ {0, 1, 0, 0, 0},
        /* roster */ {0, 0, 1, 0, 0},
        /* notify */ {1, 1, 1, 1, 0},
    };
    int64_t deadline = clock_mono_ms() + timeout_ms;
    int stable = 0;
    uint64_t last_total = 0;
    while (clock_mono_ms() < deadline) {
        status_set_t st;
        if (read_status(r, &st) == 0) {
            int settled = 1;
            uint64_t total = 0;
            for (int c = 0; c < PROCS_N; c++)
                for (int p = 0; p < PROCS_N; p++) {
                    if (consumes[c][p] && st.applied[c][p] != st.head[p]) settled = 0;
                    total += st.head[p];
                }
            if (st.dispatch_open) settled = 0; /* the desk has offers to answer */
            /* --steady: and agreements to sign, one per approved case
             * (kind_of: every third is not approved). */
            if (r->steady && r->agreements_signed < r->settle_upto - r->settle_upto / 3)
                settled = 0;
            if (settled && total == last_total) {
                if (++stable >= 2) return 0;
            } else {
                stable = 0;
            }
            last_total = total;
        }
        sleep_ms(200);
    }
    fprintf(stderr, "the system did not settle within %d ms\n", timeout_ms);
    return -1;
}

static void print_stages(const run_t *r, int64_t w0, int64_t submitted_wall)
{
    struct {
        const char *what;
        int64_t at;
    } st[] = {
        {"intake accepted", submitted_wall},
        {"eligibility decided", r->last_decided},
        {"dispatch offered", r->last_offered},
        {"lawyers accepted", r->last_assigned},
        {"notify recorded", r->last_notified},
    };
    /* The stage that held the flow longest: the one whose last step came
     * longest after the stage before it had taken its own. */
    int slowest = 0;
    int64_t longest = 0, before = w0;
    printf("bench: each stage done (its last step, from the first submission):");
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        double secs = (double)(st[i].at - w0) / 1000.0;
        double rate = secs > 0 ? r->apps / secs : 0;
        printf("%s %s %.2f s (%.0f/s)", i ? ";" : "", st[i].what, secs, rate);
        if (st[i].at - before > longest) slowest = (int)i, longest = st[i].at - before;
        if (st[i].at > before) before = st[i].at;
    }
    printf("\nbench: the stage that held the flow longest: %s, %.2f s after the stage before it\n",
           st[slowest].what, (double)longest / 1000.0);
}

/* --- checks ------------------------------------------------------------------- */

typedef struct check_ctx {
    run_t *r;
    int what;
    size_t first; /* the application of the pipeline's index 0 */
    int failures;
} check_ctx_t;

enum { Q_DECISION, Q_ELIG_EVENTS, Q_ASSIGNMENT, Q_DISPATCH_EVENTS, Q_NOTIFICATIONS, Q_INTAKE_EVENTS };

static void check_fail(check_ctx_t *cc, size_t i, const char *fmt, const char *detail)
{
    if (cc->failures++ < 20) {
        fprintf(stderr, "case %s (application %zu): ", cc->r->state[i].case_id, i);
        fprintf(stderr, fmt, detail);
        fputc('\n', stderr);
    }
}

/* The events of a CaseEvents reply that came before --steady moved the
 * clocks on (all of them otherwise): what the run itself caused. */
static size_t events_of_run(const run_t *r, const Legalaid__Reply *rep)
{
    if (rep->body_case != LEGALAID__REPLY__BODY_CASE_EVENTS) return 0;
    size_t n = 0;
    for (size_t e = 0; e < rep->case_events->n_events; e++)
        n += !r->aged_at || rep->case_events->events[e]->occurred_at < r->aged_at;
    return n;
}

static void check_cb(void *ctx, size_t i, const Legalaid__Reply *rep)
{
    check_ctx_t *cc = ctx;
    run_t *r = cc->r;
    i += cc->first;
    int kind = kind_of((int)i);
    int approved = kind != KIND_MATERIALS;
    switch (cc->what) {
    case Q_DECISION: {
        if (rep->body_case != LEGALAID__REPLY__BODY_DECISION) {
            check_fail(cc, i, "no decision: %s", rep->error ? rep->error : "?");
            return;
        }
        /* --steady: the materials never came, and the month the clocks
         * moved on deemed the application withdrawn (art. 43(2)). */
        if (r->aged_at && kind == KIND_MATERIALS) break;
        if (rep->decision->decided_at > r->last_decided) r->last_decided = rep->decision->decided_at;
        r->state[i].decided_at = rep->decision->decided_at;
        Legalaid__Outcome want = kind == KIND_NOTICE       ? LEGALAID__OUTCOME__APPROVED
                                 : kind == KIND_COMMITMENT ? LEGALAID__OUTCOME__APPROVED_PENDING_VERIFICATION
                                                           : LEGALAID__OUTCOME__NEEDS_MATERIALS;
        if (rep->decision->outcome != want) check_fail(cc, i, "wrong outcome%s", "");
        const char *want_article = kind == KIND_NOTICE ? "art. 25" : kind == KIND_COMMITMENT ? "art. 41" : "art. 43";
        int found = 0;
        for (size_t a = 0; a < rep->decision->n_articles; a++)
            if (strstr(rep->decision->articles[a], want_article)) found = 1;
        if (!found) check_fail(cc, i, "decision does not cite %s", want_article);
        break;
    }
    case Q_ELIG_EVENTS:
    case Q_INTAKE_EVENTS:
        if (events_of_run(r, rep) != 1)
            check_fail(cc, i, "%s: not exactly one event for the case",
                       cc->what == Q_INTAKE_EVENTS ? "intake" : "eligibility");
        break;
    case Q_ASSIGNMENT:
        /* --steady: its agreement signed since. */
        if (approved && (rep->body_case != LEGALAID__REPLY__BODY_ASSIGNMENT ||
                         rep->assignment->state != (r->steady ? LEGALAID__ASSIGNMENT_STATE__AGREEMENT_SIGNED
                                                              : LEGALAID__ASSIGNMENT_STATE__ASSIGNED) ||
                         !rep->assignment->lawyer || !rep->assignment->lawyer->id))
            check_fail(cc, i, "approved but not assigned: %s", rep->error ? rep->error : "queued");
        if (!approved && rep->body_case == LEGALAID__REPLY__BODY_ASSIGNMENT)
            check_fail(cc, i, "assigned without approval%s", "");
        break;
    case Q_DISPATCH_EVENTS: {
        size_t n = events_of_run(r, rep);
        /* One offer, accepted: LawyerOffered then LawyerAssigned (then,
         * --steady, CaseProgressed: the agreement signed). */
        size_t want = approved ? 2u + (r->steady ? 1u : 0u) : 0u;
        if (n != want) {
            check_fail(cc, i, "dispatch published %s events for it", n > want ? "more" : "fewer");
        } else if (approved &&
                   (rep->case_events->events[0]->body_case != LEGALAID__EVENT__BODY_LAWYER_OFFERED ||
                    rep->case_events->events[1]->body_case != LEGALAID__EVENT__BODY_LAWYER_ASSIGNED ||
                    (r->steady &&
                     rep->case_events->events[2]->body_case != LEGALAID__EVENT__BODY_CASE_PROGRESSED))) {
            check_fail(cc, i, "dispatch's events are not an offer, its acceptance%s", r->steady ? " and the agreement signed" : "");
        } else if (approved) {
            int64_t offered = rep->case_events->events[0]->occurred_at;
            int64_t assigned = rep->case_events->events[1]->occurred_at;
            if (offered > r->last_offered) r->last_offered = offered;
            if (assigned > r->last_assigned) r->last_assigned = assigned;
            r->state[i].offered_at = offered;
            r->state[i].assigned_at = assigned;
        }
        break;
    }
    case Q_NOTIFICATIONS: {
        if (rep->body_case != LEGALAID__REPLY__BODY_NOTIFICATIONS) {
            check_fail(cc, i, "no notifications: %s", rep->error ? rep->error : "?");
            return;
        }
        /* receipt (or the authority's acknowledgement) + decision, the
         * offer to the lawyer, then on acceptance the applicant and the
         * lawyer, and the notifying authority (art. 36). */
        size_t want = kind == KIND_NOTICE ? 6 : kind == KIND_COMMITMENT ? 5 : 2;
        Legalaid__NotificationList *nl = rep->notifications;
        size_t got = 0; /* --steady: those of the run, not of the month after */
        for (size_t a = 0; a < nl->n_notifications; a++)
            got += !r->aged_at || nl->notifications[a]->recorded_at < r->aged_at;
        if (got != want) {
            char d[64];
            snprintf(d, sizeof d, "%zu notifications, expected %zu", got, want);
            check_fail(cc, i, "%s", d);
        }
        for (size_t a = 0; a < nl->n_notifications; a++)
            for (size_t b = a + 1; b < nl->n_notifications; b++)
                if (nl->notifications[a]->party == nl->notifications[b]->party &&
                    nl->notifications[a]->source_event && nl->notifications[b]->source_event &&
                    !strcmp(nl->notifications[a]->source_event, nl->notifications[b]->source_event))
                    check_fail(cc, i, "notified twice for %s", nl->notifications[a]->source_event);
        int64_t last = 0;
        for (size_t a = 0; a < nl->n_notifications; a++)
            if (nl->notifications[a]->recorded_at > last &&
                (!r->aged_at || nl->notifications[a]->recorded_at < r->aged_at))
                last = nl->notifications[a]->recorded_at;
        r->state[i].notified_at = last;
        if (last > r->last_notified) r->last_notified = last;
        break;
    }
    }
}

/* Asks daemon what of applications first .. r->apps - 1 (--soak: the last
 * round; else all of them). */
static int check_query(run_t *r, int daemon, int what, int first)
{
    client_t *c = procs_client(&r->procs, daemon, 2000, 120000);
    size_t count = (size_t)(r->apps - first);
    buf_t *frames = xcalloc(count, sizeof *frames);
    char **ids = xcalloc(count, sizeof *ids);
    for (size_t k = 0; k < count; k++) {
        int i = first + (int)k;
        char rid[64];
        snprintf(rid, sizeof rid, "q%d-%d", what, i);
        ids[k] = xstrdup(rid);
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.request_id = ids[k];
        char *cid = r->state[i].case_id;
        Legalaid__GetDecision gd = LEGALAID__GET_DECISION__INIT;
        Legalaid__GetAssignment ga = LEGALAID__GET_ASSIGNMENT__INIT;
        Legalaid__ListNotifications ln = LEGALAID__LIST_NOTIFICATIONS__INIT;
        Legalaid__CaseEventsQuery ce = LEGALAID__CASE_EVENTS_QUERY__INIT;
        switch (what) {
        case Q_DECISION: gd.case_id = cid; req.body_case = LEGALAID__REQUEST__BODY_GET_DECISION; req.get_decision = &gd; break;
        case Q_ASSIGNMENT: ga.case_id = cid; req.body_case = LEGALAID__REQUEST__BODY_GET_ASSIGNMENT; req.get_assignment = &ga; break;
        case Q_NOTIFICATIONS: ln.case_id = cid; req.body_case = LEGALAID__REQUEST__BODY_LIST_NOTIFICATIONS; req.list_notifications = &ln; break;
        default: ce.case_id = cid; req.body_case = LEGALAID__REQUEST__BODY_CASE_EVENTS; req.case_events = &ce;
        }
        client_pack(&req, &frames[k]);
    }
    check_ctx_t cc = {r, what, (size_t)first, 0};
    int rc = client_pipeline(c, frames, ids, count, 256, check_cb, &cc);
    for (size_t k = 0; k < count; k++) {
        buf_free(&frames[k]);
        free(ids[k]);
    }
    free(frames);
    free(ids);
    client_destroy(&c);
    if (rc) {
        fprintf(stderr, "%s did not answer every query: %s\n", procs_names[daemon], strerror(-rc));
        return 1;
    }
    if (cc.failures) fprintf(stderr, "%d failures in check %d on %s\n", cc.failures, what, procs_names[daemon]);
    return cc.failures;
}

static int check_case_numbers(run_t *r)
{
    /* One case number per application, all distinct and without gaps. */
    int bad = 0;
    char *seen = xcalloc((size_t)r->apps + 1, 1);
    for (int i = 0; i < r->apps; i++) {
        const char *cid = r->state[i].case_id;
        const char *dash = strrchr(cid, '-');
        long n = dash ? strtol(dash + 1, NULL, 10) : 0;
        if (n < 1 || n > r->apps || seen[n]) {
            if (bad++ < 10) fprintf(stderr, "application %d: case number '%s' missing, duplicated or out of range\n", i, cid);
            continue;
        }
        seen[n] = 1;
    }
    free(seen);
    return bad;
}

/* Compacts each daemon in turn (Compact, then its status every 100 ms
 * until done) and prints what each did; then the footprint again. */
static int compact_each(run_t *r, const char *prefix, long held)
{
    int failed = 0;
    for (int i = 0; i < PROCS_N; i++) {
        client_t *c = procs_client(&r->procs, i, 2000, 600000);
        Legalaid__Compact q = LEGALAID__COMPACT__INIT;
        Legalaid__Request req = LEGALAID__REQUEST__INIT;
        req.body_case = LEGALAID__REQUEST__BODY_COMPACT;
        req.compact = &q;
        Legalaid__Reply *rep = NULL;
        const Legalaid__CompactState *s = NULL;
        for (;;) {
            char id[33];
            client_request_id(id);
            req.request_id = id;
            if (rep) legalaid__reply__free_unpacked(rep, NULL);
            rep = NULL;
            if (client_call(c, &req, &rep) || rep->body_case != LEGALAID__REPLY__BODY_COMPACT) break;
            s = rep->compact;
            if (strcmp(s->state, "running") != 0) break;
            s = NULL;
            q.status = q.has_status = 1;
            struct timespec pause = {0, 100 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
        if (s && strcmp(s->state, "done") == 0)
            printf("%s compacted %s: data.mdb %.1f -> %.1f MB, the loop held %.1f ms, copies %u, "
                   "tables written again in key order: %s\n",
                   prefix, procs_names[i], (double)s->bytes_before / 1e6,
                   (double)s->bytes_after / 1e6, s->held_ms, s->copies,
                   s->repacked ? "yes" : s->not_repacked ? s->not_repacked : "no");
        else {
            printf("%s compaction of %s failed: %s\n", prefix, procs_names[i],
                   s && s->error ? s->error : "no answer");
            failed++;
        }
        if (rep) legalaid__reply__free_unpacked(rep, NULL);
        client_destroy(&c);
    }
    char after[64];
    snprintf(after, sizeof after, "%s after compaction:", prefix);
    footprint_print(after, &r->procs, held);
    return failed;
}

/* --soak: each daemon SIGKILLed and started again on everything the run
 * put in it; how long until it answers (issue 16: under a second on a
 * million cases). */
static int restart_each(run_t *r)
{
    int bad = 0;
    printf("soak: restart after SIGKILL, holding %d applications, until every daemon answers:", r->apps);
    for (int i = 0; i < PROCS_N; i++) {
        procs_kill(&r->procs, i);
        int64_t t = clock_mono_ms();
        if (procs_start(&r->procs, i) < 0 || procs_wait_ready(&r->procs, 20000) < 0) {
            printf("%s %s did not come back", i ? ";" : "", procs_names[i]);
            bad++;
            continue;
        }
        printf("%s %s %lld ms", i ? ";" : "", procs_names[i], (long long)(clock_mono_ms() - t));
    }
    printf("\n");
    return bad;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Where the latency goes: for each hop, p50 / p99 of the time from one
 * stage's step to the next one's for the same case, from the times the
 * daemons wrote in their records (one machine, one clock). Decisions and
 * offers are stamped when made, inside a turn: the turn's commit and the
 * fetch that carries the event onward fall into the next hop; eligibility
 * may decide before intake's reply reaches this client, so the first hop
 * can read below zero. */
static void print_hops(const run_t *r)
{
    static const char *const what[] = {"intake reply -> decided", "decided -> offered",
                                       "offered -> accepted (the lawyers' desk)",
                                       "accepted -> last notification"};
    int64_t *lat = xcalloc((size_t)r->apps + 1, sizeof *lat);
    printf("bench: latency by hop, p50 / p99 ms (approved cases):");
    for (int h = 0; h < 4; h++) {
        size_t n = 0;
        for (int i = 0; i < r->apps; i++) {
            const app_state_t *s = &r->state[i];
            if (!s->offered_at || !s->decided_at) continue;
            int64_t t[5] = {s->replied_at, s->decided_at, s->offered_at, s->assigned_at, s->notified_at};
            lat[n++] = t[h + 1] - t[h];
        }
        if (!n) break;
        qsort(lat, n, sizeof *lat, cmp_i64);
        printf("%s %s %lld / %lld", h ? ";" : "", what[h], (long long)lat[n / 2], (long long)lat[n * 99 / 100]);
    }
    printf("\n");
    free(lat);
}

int main(int argc, char **argv)
{
    run_t r = {0};
    r.apps = 1000;
    r.kill_every_ms = 400;
    r.seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    static const struct option opts[] = {
        {"bin", required_argument, 0, 'b'},   {"apps", required_argument, 0, 'n'},
        {"kills", required_argument, 0, 'k'}, {"kill-every", required_argument, 0, 'e'},
        {"gateway", no_argument, 0, 'g'},
        {"bench", no_argument, 0, 'B'},       {"security-off", no_argument, 0, 'S'},
        {"sealing-off", no_argument, 0, 'E'},       {"keep", no_argument, 0, 'K'},
        {"seed", required_argument, 0, 's'},  {"restart-exited", no_argument, 0, 'R'},
        {"rate", required_argument, 0, 'r'},  {"soak", required_argument, 0, 'O'},
        {"set", required_argument, 0, 'x'},   {"compact", no_argument, 0, 'C'},
        {"steady", no_argument, 0, 'T'},
        {0, 0, 0, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'b': snprintf(r.procs.bin_dir, sizeof r.procs.bin_dir, "%s", optarg); break;
        case 'n': r.apps = atoi(optarg); break;
        case 'k': r.kills = atoi(optarg); break;
        case 'g': r.procs.gateway = 1; break;
        case 'e': r.kill_every_ms = atoi(optarg); break;
        case 'B': r.bench = 1; break;
        case 'S': r.procs.security_off = 1; break;
        case 'E': r.procs.sealing_off = 1; break;
        case 'K': r.keep = 1; break;
        case 'C': r.compact = 1; break;
        case 'T': r.steady = 1; break;
        case 's': r.seed = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'R': r.restart_exited = 1; break;
        case 'r': r.rate = atoi(optarg); break;
        case 'O': r.soak = atoi(optarg); break;
        case 'x':
            if (!strchr(optarg, '=') || strchr(optarg, '\n') ||
                r.procs.n_extra == (int)(sizeof r.procs.extra / sizeof *r.procs.extra)) {
                fprintf(stderr, "la-system: --set takes KEY=VALUE (at most %zu): %s\n",
                        sizeof r.procs.extra / sizeof *r.procs.extra, optarg);
                return 2;
            }
            r.procs.extra[r.procs.n_extra++] = optarg;
            break;
        default:
            fprintf(stderr, "usage: la-system --bin DIR [--apps N] [--kills K] [--kill-every MS] [--gateway] [--bench] [--security-off] [--sealing-off] [--keep] [--seed S] [--restart-exited] [--rate R] [--soak N] [--set KEY=VALUE]... [--compact] [--steady]\n");
            return 2;
        }
    }
    if (!r.procs.bin_dir[0] || r.apps < 1) {
        fprintf(stderr, "la-system: --bin DIR is required\n");
        return 2;
    }
    if (r.soak < 0 || (r.soak && (r.bench || r.kills))) {
        fprintf(stderr, "la-system: --soak N takes rounds of N > 0 applications, without --bench or --kills\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(r.procs.dir, sizeof r.procs.dir, "%s/la-system-XXXXXX", base);
    if (!mkdtemp(r.procs.dir)) {
        perror("mkdtemp");
        return 2;
    }
    printf("la-system: %d applications, %d kills, seed %u, dir %s\n", r.apps, r.kills, r.seed, r.procs.dir);
    fflush(stdout);
    r.state = xcalloc((size_t)r.apps, sizeof *r.state);
    r.signed_case = xcalloc((size_t)r.apps + 1, 1);
    steady_t steady = {0};
    if (r.steady && steady_start(&steady, &r.procs) < 0) return 1;
    if (procs_write_config(&r.procs) < 0) {
        fprintf(stderr, "la-system: cannot write the configuration and keys in %s\n", r.procs.dir);
        steady_stop(&steady);
        return 1;
    }
    for (int i = 0; i < PROCS_N; i++) procs_start(&r.procs, i);
    int failed = 0;
    if (r.procs.gateway) procs_gateway_start(&r.procs);
    if (procs_wait_ready(&r.procs, 20000) < 0 ||
        (r.procs.gateway && procs_gateway_wait_ready(&r.procs, 20000) < 0) || import_lawyers(&r) < 0) {
        procs_stop_all(&r.procs);
        steady_stop(&steady);
        return 1;
    }

    pthread_t killer, desk, supervisor;
    r.supervising = r.restart_exited && !r.kills;
    if (r.supervising) pthread_create(&supervisor, NULL, supervisor_main, &r);
    r.desk_open = 1;
    pthread_create(&desk, NULL, desk_main, &r);
    r.submitting = 1;
    if (r.kills) pthread_create(&killer, NULL, killer_main, &r);
    int64_t t0 = clock_mono_ms(), w0 = now_wall();
    /* Under failure injection, pace the flow so that the kills land while
     * applications are still moving through every daemon. */
    int chunks = (r.apps + 199) / 200;
    int pause = r.kills ? r.kills * (r.kill_every_ms + 125) / chunks : 0;
    /* One round, or --soak's rounds of r.soak applications each, every
     * round submitted as a burst and let settle before the next. */
    int round = r.soak ? r.soak : r.apps, first = 0, rc = 0;
    int64_t t_submitted = t0, w_submitted = w0;
    usage_t u0, u1;
    turns_t k0, k1;
    usage_watch(&r.procs);
    usage_sample(&r.procs, &u0);
    if (r.bench) turns_sample(&r.procs, &k0);
    for (; first < r.apps && rc == 0 && !failed; first += round) {
        int count = r.apps - first < round ? r.apps - first : round;
        int64_t t_round = clock_mono_ms();
        usage_t ur;
        usage_sample(&r.procs, &ur);
        rc = r.kills ? submit_all(&r, first, count, 200, pause) : submit_all(&r, first, count, count, 0);
        t_submitted = clock_mono_ms(), w_submitted = now_wall();
        if (first + count >= r.apps) r.submitting = 0;
        if (r.kills) pthread_join(killer, NULL);
        if (rc) {
            fprintf(stderr, "submission failed: %s\n", strerror(-rc));
            failed++;
        }
        if (r.kills) {
            procs_wait_ready(&r.procs, 20000);
            printf("la-system: %d daemons killed with SIGKILL and restarted (intake %d, eligibility %d, "
                   "dispatch %d, roster %d, notify %d, gateway %d)\n",
                   r.kills_done, r.procs.restarts[0], r.procs.restarts[1], r.procs.restarts[2],
                   r.procs.restarts[3], r.procs.restarts[4], r.procs.gw_restarts);
        }
        r.settle_upto = first + count;
        if (wait_settled(&r, 120000 + count * 5) < 0) failed++;
        if (r.soak) {
            usage_sample(&r.procs, &u1);
            double secs = (double)(clock_mono_ms() - t_round) / 1000.0;
            printf("soak: applications %d-%d: %.1f s, %.0f applications/s end to end (settled)\n",
                   first + 1, first + count, secs, count / secs);
            usage_print("soak:", &ur, &u1, count, first + count);
            footprint_print("soak:", &r.procs, first + count);
            if (r.compact && first + count >= r.apps && compact_each(&r, "soak:", first + count))
                failed++;
            fflush(stdout);
        }
    }
    first -= round; /* the last round's: what the checks ask about */
    if (first < 0) first = 0;
    usage_sample(&r.procs, &u1);
    if (r.bench) turns_sample(&r.procs, &k1);
    int64_t t_settled = clock_mono_ms();
    r.desk_open = 0;
    pthread_join(desk, NULL);

    /* --steady: what stays once every message is delivered, and once
     * the logs' retention (30 days) has passed: every clock moves 31 days
     * on, the deadlines that fall due meanwhile are acted on, and what
     * they send is delivered too. */
    const char *said = r.bench ? "bench:" : "la-system:";
    if (r.steady) {
        if (steady_wait(&steady, &r.procs, said, 300000, 0) < 0) failed++;
        if (r.bench) footprint_print("bench: delivered, before the logs' retention passed:", &r.procs, r.apps);
        r.aged_at = now_wall();
        if (steady_age(&steady, &r.procs, 31, said, 600000) < 0 || wait_settled(&r, 120000) < 0 ||
            steady_wait(&steady, &r.procs, said, 300000, 1) < 0)
            failed++;
    }
    /* What the pipeline itself keeps, before the checks below read every
     * case six times more: each read of a person's record is audited (a
     * hundred-odd bytes kept for good a read), which the figures after them
     * include. */
    if (r.bench) footprint_print("bench: before the checks' reads:", &r.procs, r.apps);
    /* Compacted before the checks, which then read every case from the
     * compacted stores. */
    if (r.bench && r.compact && compact_each(&r, "bench:", r.apps)) failed++;
    failed += check_case_numbers(&r);
    failed += check_query(&r, 0, Q_INTAKE_EVENTS, first);
    failed += check_query(&r, 1, Q_DECISION, first);
    failed += check_query(&r, 1, Q_ELIG_EVENTS, first);
    failed += check_query(&r, 2, Q_ASSIGNMENT, first);
    failed += check_query(&r, 2, Q_DISPATCH_EVENTS, first);
    failed += check_query(&r, 4, Q_NOTIFICATIONS, first);
    if (r.procs.gateway) failed += check_gateway(&r);
    status_set_t st;
    if (read_status(&r, &st) == 0) {
        if (st.head[0] != (uint64_t)r.apps) {
            fprintf(stderr, "intake published %llu events for %d applications\n",
                    (unsigned long long)st.head[0], r.apps);
            failed++;
        }
        for (int i = 0; i < PROCS_N; i++)
            if (st.dead[i]) {
                fprintf(stderr, "%s has %llu dead letters\n", procs_names[i], (unsigned long long)st.dead[i]);
                failed++;
            }
    }

    if (r.bench) {
        int64_t *lat = xcalloc((size_t)r.apps, sizeof *lat);
        int64_t last_notified = 0;
        for (int i = 0; i < r.apps; i++) {
            lat[i] = r.state[i].notified_at - r.state[i].replied_at;
            if (r.state[i].notified_at > last_notified) last_notified = r.state[i].notified_at;
        }
        qsort(lat, (size_t)r.apps, sizeof *lat, cmp_i64);
        double secs = (double)(last_notified - w0) / 1000.0;
        printf("bench: %d applications through intake -> eligibility -> dispatch -> notify, fsync on every commit, security %s\n", r.apps, r.procs.security_off  ? "OFF (plain sockets, no sealing)"
               : r.procs.sealing_off ? "CURVE, roles, audit; sealing OFF"
                                     : "on (CURVE, roles, audit, sealing)");
        printf("bench: submitted in %.2f s (%.0f applications/s accepted by intake)\n",
               (double)(t_submitted - t0) / 1000.0, r.apps / ((double)(t_submitted - t0) / 1000.0));
        printf("bench: end to end %.2f s: %.0f applications/s fully decided, assigned and notified\n",
               secs, r.apps / secs);
        if (r.rate > 0)
            printf("bench: offered at a steady %d applications/s (%.0f/s reached)\n", r.rate,
                   r.apps / ((double)(t_submitted - t0) / 1000.0));
        printf("bench: latency intake reply -> last notification recorded: p50 %lld ms, p99 %lld ms, p999 %lld ms, max %lld ms\n",
               (long long)lat[r.apps / 2], (long long)lat[(size_t)r.apps * 99 / 100],
               (long long)lat[(size_t)r.apps * 999 / 1000], (long long)lat[r.apps - 1]);
        print_hops(&r);
        print_stages(&r, w0, w_submitted);
        usage_print("bench:", &u0, &u1, r.apps, r.apps);
        footprint_print("bench:", &r.procs, r.apps);
        turns_print("bench:", &k0, &k1, r.apps);
        free(lat);
    }
    if (r.soak && !failed) failed += restart_each(&r);
    (void)t_settled;
    if (r.supervising) {
        r.supervising = 0;
        pthread_join(supervisor, NULL);
        printf("la-system: daemons that exited by themselves and were started again: intake %d, "
               "eligibility %d, dispatch %d, roster %d, notify %d\n",
               r.exits[0], r.exits[1], r.exits[2], r.exits[3], r.exits[4]);
        if (r.bad_exits) {
            fprintf(stderr, "%d of those exits were not status 75 (EXIT_TEMPFAIL)\n", r.bad_exits);
            failed++;
        }
    }
    int unclean = procs_stop_all(&r.procs);
    if (unclean) failed++;
    steady_stop(&steady);
    printf("%d passed, %d failed\n", failed ? 0 : 1, failed ? 1 : 0);
    if (!failed && !r.keep) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", r.procs.dir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", r.procs.dir);
    } else {
        printf("la-system: logs and data kept in %s\n", r.procs.dir);
    }
    free(r.state);
    free(r.signed_case);
    return failed ? 1 : 0;
}
