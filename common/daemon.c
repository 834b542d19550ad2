/*
 * daemon.c - the skeleton: options, configuration, LMDB, sockets, signals,
 * the loop and shutdown (see daemon.h); and the test entry points that run
 * the same turn without sockets.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "daemon_int.h"
#include "datalock.h"
#include "i18n.h"
#include "la_limits.h"
#include "log.h"
#include "sdnotify.h"
#include "storecheck.h"
#include "stream_check.h"
#include "version.h"
#include "xalloc.h"

#define OFF(f) offsetof(daemon_config_t, f)
const cfg_key_t daemon_config_keys[] = {
    {"endpoint", CFG_STRING, NULL, 0, 0, OFF(endpoint),
     "ZeroMQ endpoint the daemon binds its ROUTER on (ipc:// or tcp://)"},
    {"data_dir", CFG_STRING, NULL, 0, 0, OFF(data_dir),
     "directory of the daemon's LMDB environment"},
    {"map_size_mb", CFG_INT, "64", 1, 1048576, OFF(map_size_mb),
     "initial LMDB map size; it doubles when full"},
    {"max_frame_bytes", CFG_INT, "1048576", 1024, 67108864, OFF(max_frame_bytes),
     "largest request frame accepted; larger ones get TOO_LARGE"},
    {"max_request_entries", CFG_INT, LA_STR(LA_REQUEST_ENTRIES_DEFAULT), 100, 1000000, OFF(max_request_entries),
     "entries of one list in a request (an import's records); more get TOO_LARGE undecoded"},
    {"max_decoded_bytes", CFG_INT, "16777216", 65536, 1073741824, OFF(max_decoded_bytes),
     "memory one request may decode to; a frame that needs more gets TOO_LARGE"},
    {"batch_max", CFG_INT, "256", 1, 100000, OFF(batch_max),
     "messages applied in one write transaction (group commit)"},
    {"fetch_max_events", CFG_INT, "1000", 1, 100000, OFF(fetch_max_events),
     "events per stream batch"},
    {"fetch_wait_ms", CFG_INT, "1000", 10, 60000, OFF(fetch_wait_ms),
     "long-poll wait of a fetch; an empty batch after it is the heartbeat"},
    {"fetch_grace_ms", CFG_INT, "2000", 10, 60000, OFF(fetch_grace_ms),
     "silence past fetch_wait_ms after which a consumer reconnects"},
    {"log_level", CFG_STRING, "info", 0, 0, OFF(log_level), "debug, info, warn or error"},
    {"lang", CFG_STRING, "", 0, 0, OFF(lang),
     "language of what people read (decision reasons, errors in replies): zh_CN or en; "
     "empty: the environment's (LEGALAID_LANG, the locale), else zh_CN"},
    {"sync", CFG_BOOL, "true", 0, 0, OFF(sync),
     "fsync every commit; false is UNSAFE: an acknowledged application can be lost"},
    {"utc_offset_minutes", CFG_INT, "480", -720, 840, OFF(utc_offset_minutes),
     "local time offset from UTC in minutes: local days for deadlines, times shown to people"},
    {"reply_keep_days", CFG_INT, "30", 1, 3650, OFF(reply_keep_days),
     "days a stored reply answers a retried request; older ones are forgotten"},
    {"stream_keep_days", CFG_INT, "30", 1, 3650, OFF(stream_keep_days),
     "days an event stays in the stream log after it occurred; then it is trimmed once every "
     "registered consumer has acknowledged it (the case timeline keeps a compact record)"},
    {"consumers", CFG_STRING, "", 0, 0, OFF(consumers),
     "further names that may fetch this daemon's stream and keep a position on it, separated by "
     "commas (a test harness); the daemons that consume it always may"},
    {"test_clock", CFG_BOOL, "false", 0, 0, OFF(test_clock),
     "allow ClockControl requests (tests only)"},
    {"backup_dir", CFG_STRING, "", 0, 0, OFF(backup_dir),
     "directory the daemon writes its hot copies under (legalaidctl backup); empty: "
     "backups refused"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

MDB_env *daemon_env(daemon_t *d)
{
    return d->store.env;
}

MDB_dbi daemon_meta(daemon_t *d)
{
    return d->meta;
}

MDB_dbi daemon_daily(daemon_t *d, int *empty)
{
    if (empty) *empty = d->daily_empty;
    return d->daily;
}

MDB_dbi daemon_stats(daemon_t *d, int *empty)
{
    if (empty) *empty = d->stats_empty;
    return d->stats;
}

const struct seal_ring *daemon_ring(daemon_t *d)
{
    return d->sec.ring;
}

const char *daemon_name(daemon_t *d)
{
    return d->svc->name;
}

void *daemon_zmq_context(daemon_t *d)
{
    return d->zctx;
}

const struct security *daemon_security(daemon_t *d)
{
    return &d->sec;
}

const char *daemon_config_path(daemon_t *d)
{
    return d->config_path;
}

void daemon_tick_soon(daemon_t *d)
{
    d->tick_due = 1;
}

static int daemon_count_upstreams(const service_t *svc)
{
    int n = 0;
    for (const char *const *u = svc->upstreams; u && *u; u++) n++;
    return n;
}

static void daemon_init_common(daemon_t *d, const service_t *svc)
{
    d->svc = svc;
    arena_init(&d->arena);
    arena_init(&d->req_arena);
    stream_cache_init(&d->fetch_cache, STREAM_CACHE_BYTES);
    metrics_init(&d->metrics, clock_now_ms());
    d->n_upstreams = daemon_count_upstreams(svc);
    d->upstreams = xcalloc((size_t)d->n_upstreams + 1, sizeof *d->upstreams);
    for (int i = 0; i < d->n_upstreams; i++) {
        d->upstreams[i].d = d;
        d->upstreams[i].name = (char *)svc->upstreams[i];
    }
    /* What the daemon derives from upstream events and does on its timers
     * is recorded as done by the daemon itself. */
    snprintf(d->self.name, sizeof d->self.name, "%s", svc->name);
    d->self.roles = ROLE_PEER;
    snprintf(d->anyone.name, sizeof d->anyone.name, "local");
    d->anyone.roles = ROLE_ALL;
    d->test_principal = &d->anyone;
    d->data_lock = d->socket_lock = -1;
}

/* --- sockets and loop ---------------------------------------------------- */

static void daemon_router_cb(zwatch_t *w)
{
    daemon_t *d = w->data;
    while (d->n_inbound < d->cfg.batch_max) {
        inbound_t *in = &d->inbound[d->n_inbound];
        zmq_msg_init(&in->identity);
        zmq_msg_init(&in->body);
        in->up = NULL;
        in->delimiter = 0;
        in->bad_frames = 0;
        if (zmq_msg_recv(&in->identity, d->router, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&in->identity);
            zmq_msg_close(&in->body);
            break;
        }
        /* ROUTER delivers whole messages: the rest is already here. A REQ
         * peer puts an empty delimiter first: [identity][""][body]. */
        int frames = 0;
        int more = zmq_msg_more(&in->identity);
        while (more) {
            zmq_msg_t part;
            zmq_msg_init(&part);
            zmq_msg_recv(&part, d->router, 0);
            more = zmq_msg_more(&part);
            if (frames == 0 && !in->delimiter && zmq_msg_size(&part) == 0 && more) {
                in->delimiter = 1;
            } else if (++frames == 1) {
                zmq_msg_move(&in->body, &part);
            }
            zmq_msg_close(&part);
        }
        if (frames != 1) in->bad_frames = frames;
        const char *user = d->sec.on ? zmq_msg_gets(&in->body, "User-Id") : NULL;
        if (d->sec.on) zap_spoke(d, zmq_msg_get(&in->body, ZMQ_SRCFD));
        snprintf(in->key, sizeof in->key, "%s", user ? user : "");
        d->n_inbound++;
    }
}

#define DAEMON_TICK_MS 1000

static void daemon_stop(daemon_t *d, const char *why);

static void daemon_check_cb(uv_check_t *h)
{
    daemon_t *d = h->data;
    if (d->n_inbound || d->tick_due) commit_run(d);
    if (d->compact_due) compact_start(d);
    if (d->fatal) daemon_stop(d, "LMDB cannot go on");
}

/* Before the loop waits for I/O: the lines held since (log_hold). */
static void daemon_prepare_cb(uv_prepare_t *h)
{
    (void)h;
    log_flush();
}

static void daemon_tick_cb(uv_timer_t *h)
{
    daemon_t *d = h->data;
    fetch_answer_parked(d, 1);
    int64_t now = clock_mono_ms();
    if (now - d->tick_last_mono >= DAEMON_TICK_MS) {
        d->tick_last_mono = now;
        d->tick_due = 1; /* the check handle runs it after this iteration's I/O */
    }
    for (int i = 0; i < d->n_upstreams; i++) upstream_check_timeout(&d->upstreams[i], now);
}

static void daemon_noop_close(uv_handle_t *h)
{
    (void)h;
}

static void daemon_stop(daemon_t *d, const char *why)
{
    if (d->stopping) return;
    d->stopping = 1;
    log_hold(0); /* a stop may take long (a backup's worker): every line goes at once */
    log_info("stopping: %s", why);
    zwatch_close(&d->router_watch, NULL);
    for (int i = 0; i < d->n_upstreams; i++) upstream_close(&d->upstreams[i]);
    uv_close((uv_handle_t *)&d->check, daemon_noop_close);
    uv_close((uv_handle_t *)&d->prepare, daemon_noop_close);
    uv_close((uv_handle_t *)&d->tick, daemon_noop_close);
    uv_close((uv_handle_t *)&d->watchdog, daemon_noop_close);
    uv_close((uv_handle_t *)&d->sigterm, daemon_noop_close);
    uv_close((uv_handle_t *)&d->sigint, daemon_noop_close);
    uv_close((uv_handle_t *)&d->sighup, daemon_noop_close);
    zap_close(d);
    if (d->svc->stop) d->svc->stop(d);
}

/* SIGHUP: re-read the allow-list (a revoked key is refused from the next
 * request on). */
static void daemon_sighup_cb(uv_signal_t *h, int signum)
{
    daemon_t *d = h->data;
    char err[600];
    if (security_reload(&d->sec, err, sizeof err) < 0)
        log_error("SIGHUP: the allow-list was not reloaded, the old one stays: %s", err);
    else
        log_info("SIGHUP: allow-list reloaded principals=%zu", d->sec.allow.n);
    if (!d->sec.ring) return;
    MDB_txn *txn;
    int rc = store_begin(d->store.env, NULL, &txn);
    if (!rc && reseal_reload(d, txn, err, sizeof err) < 0) {
        log_error("SIGHUP: the data key file was not reloaded, the old keys stay: %s", err);
        store_undo(txn);
    } else if (!rc) {
        rc = store_commit(txn);
    }
    if (rc) log_error("SIGHUP: the data key file was not reloaded: %s", store_strerror(rc));
}

static void daemon_signal_cb(uv_signal_t *h, int signum)
{
    daemon_stop(h->data, signum == SIGTERM ? "SIGTERM" : "SIGINT");
}

/* WatchdogSec=: a ping from the loop itself at half the interval, so a
 * loop that is wedged (a turn that never ends, a blocked call) stops
 * pinging and systemd restarts the daemon. */
static void daemon_watchdog_cb(uv_timer_t *h)
{
    (void)h;
    sdnotify_send("WATCHDOG=1");
}

static void daemon_watchdog_start(daemon_t *d)
{
    int64_t ms = sdnotify_watchdog_ms();
    uv_timer_init(&d->loop, &d->watchdog);
    d->watchdog.data = d;
    if (ms <= 0) return;
    uint64_t every = (uint64_t)(ms / 2 > 0 ? ms / 2 : 1);
    uv_timer_start(&d->watchdog, daemon_watchdog_cb, every, every);
    log_info("watchdog: pinging systemd every %llu ms", (unsigned long long)every);
}

/* LMDB's own codes for an environment that cannot be trusted: a restart
 * cannot mend it, staff must restore it (EXIT_DAMAGED). */
static int daemon_store_damaged(int rc)
{
    return rc == MDB_CORRUPTED || rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH ||
           rc == MDB_PAGE_NOTFOUND || rc == -EBADMSG;
}

static int daemon_bind(daemon_t *d)
{
    d->zctx = zmq_ctx_new();
    d->router = zmq_socket(d->zctx, ZMQ_ROUTER);
    /* Frames up to twice the limit still get a TOO_LARGE reply; beyond that
     * the peer is cut off. The queue bound keeps a flood from exhausting
     * memory. */
    int one = 1, zero = 0, hwm = 10000;
    int64_t maxmsg = d->cfg.max_frame_bytes * 2 + 4096;
    zmq_setsockopt(d->router, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(d->router, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    zmq_setsockopt(d->router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(d->router, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(d->router, ZMQ_RCVHWM, &hwm, sizeof hwm);
    /* The ZAP handler is bound before the ROUTER: a CURVE handshake with no
     * handler to ask would admit any key. */
    if (security_server(&d->sec, d->router) < 0 || zap_start(d) < 0) {
        log_error("cannot set up CURVE on %s: %s", d->cfg.endpoint, zmq_strerror(errno));
        return -1;
    }
    if (zmq_bind(d->router, d->cfg.endpoint) < 0) {
        log_error("cannot bind %s: %s", d->cfg.endpoint, zmq_strerror(errno));
        return -1;
    }
    d->router_watch.data = d;
    return zwatch_start(&d->loop, &d->router_watch, d->router, daemon_router_cb);
}

static int daemon_load_config(daemon_t *d, const char *path, daemon_file_check_fn file_check)
{
    char err[512];
    cfg_table_t tables[2] = {{daemon_config_keys, &d->cfg}, {d->svc->config_keys, d->svc->config}};
    int ntables = d->svc->config_keys ? 2 : 1;
    if (config_load(path, d->svc->name, tables, ntables, err, sizeof err) < 0 ||
        (file_check && file_check(path, err, sizeof err) < 0)) {
        log_error("configuration: %s", err);
        return -1;
    }
    if (d->cfg.lang[0] && !i18n_lang_known(d->cfg.lang)) {
        log_error("configuration: %s: [%s] lang: '%s' is not zh_CN or en", path, d->svc->name,
                  d->cfg.lang);
        return -1;
    }
    i18n_init(d->cfg.lang);
    if (log_level_parse(d->cfg.log_level, &log_threshold) < 0) {
        log_error("configuration: %s: [%s] log_level: '%s' is not debug, info, warn or error", path,
                  d->svc->name, d->cfg.log_level);
        return -1;
    }
    clock_set_utc_offset((int)d->cfg.utc_offset_minutes);
    if (d->svc->config_check && d->svc->config_check(err, sizeof err) < 0) {
        log_error("configuration: %s: %s", path, err);
        return -1;
    }
    if (security_load(&d->sec, path, d->svc->name, NULL, err, sizeof err) < 0) {
        log_error("security: %s", err);
        return -1;
    }
    for (int i = 0; i < d->n_upstreams; i++) {
        char ep[512];
        if (config_lookup(path, d->upstreams[i].name, "endpoint", ep, sizeof ep) != 0) {
            log_error("configuration: %s: [%s] consumes the stream of [%s], which has no endpoint",
                      path, d->svc->name, d->upstreams[i].name);
            return -1;
        }
        d->upstreams[i].endpoint = xstrdup(ep);
    }
    return 0;
}

/* One daemon per data directory and per ipc:// socket (datalock.h): a
 * second copy says which pid holds them and exits EXIT_TEMPFAIL, before it
 * opens LMDB or binds anything. 0 or -1 (logged). */
static int daemon_take_locks(daemon_t *d)
{
    char err[4400];
    d->data_lock = datalock_data_dir(d->cfg.data_dir, err, sizeof err);
    if (d->data_lock < 0) {
        log_fatal(_("not started: the data directory %s is in use by another daemon (%s); stop "
                    "that one first (exit %d)"),
                  d->cfg.data_dir, err, EXIT_TEMPFAIL);
        return -1;
    }
    d->socket_lock = datalock_endpoint(d->cfg.endpoint, err, sizeof err);
    if (d->socket_lock == -1) {
        log_fatal(_("not started: the socket %s is in use by another daemon (%s); stop that one "
                    "first (exit %d)"),
                  d->cfg.endpoint, err, EXIT_TEMPFAIL);
        return -1;
    }
    return 0;
}

static void daemon_usage(FILE *out, const char *prog)
{
    fprintf(out,
            _("usage: %s [-c CONFIG] [-t] [--version]\n"
              "  -c, --config CONFIG  INI file (default /etc/legalaid/legalaid.ini)\n"
              "  -t, --test           check the configuration and exit\n"
              "  -V, --version        print the version and exit\n"),
            prog);
}

/* Frees what a daemon holds once its loop is gone (or never ran): its
 * store, buffers, arena and configuration strings. */
static void daemon_free(daemon_t **dp)
{
    daemon_t *d = *dp;
    if (!d) return;
    backup_free(d);
    compact_free(d);
    store_close(&d->store);
    stream_cache_free(&d->fetch_cache);
    datalock_release(d->data_lock);
    datalock_release(d->socket_lock);
    security_free(&d->sec);
    free(d->fd_spoke);
    fetch_release(d);
    for (int i = 0; i < d->n_upstreams; i++) free(d->upstreams[i].endpoint);
    free(d->upstreams);
    free(d->inbound);
    free(d->outbound);
    free(d->parked);
    arena_destroy(&d->arena);
    arena_destroy(&d->req_arena);
    metrics_free(&d->metrics);
    cfg_table_t tables[2] = {{daemon_config_keys, &d->cfg}, {d->svc->config_keys, d->svc->config}};
    config_free(tables, d->svc->config_keys ? 2 : 1);
    free(d);
    *dp = NULL;
}

int daemon_main(const service_t *svc, daemon_file_check_fn file_check, int argc, char **argv)
{
    char *logname = xmalloc(strlen(svc->name) + 10);
    sprintf(logname, "legalaid-%s", svc->name);
    log_init(logname);
    const char *config_path = "/etc/legalaid/legalaid.ini";
    int check_only = 0, opt;
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"test", no_argument, NULL, 't'},
        {"version", no_argument, NULL, 'V'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    i18n_init(NULL); /* the environment's, until the configuration says */
    while ((opt = getopt_long(argc, argv, "c:thV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_path = optarg;
            break;
        case 't':
            check_only = 1;
            break;
        case 'V':
            printf("%s %s\n", logname, la_version);
            free(logname);
            return 0;
        case 'h':
            daemon_usage(stdout, argv[0]);
            free(logname);
            return 0;
        default:
            daemon_usage(stderr, argv[0]);
            free(logname);
            return EXIT_CONFIG;
        }
    }
    daemon_t *d = xcalloc(1, sizeof *d);
    daemon_init_common(d, svc);
    d->config_path = config_path;
    int loaded = daemon_load_config(d, config_path, file_check) == 0;
    if (!loaded || check_only) {
        daemon_free(&d);
        free(logname);
        if (!loaded) return EXIT_CONFIG;
        printf("%s: %s\n", config_path, _("configuration OK"));
        return 0;
    }
    d->inbound = xcalloc((size_t)d->cfg.batch_max, sizeof *d->inbound);
    if (daemon_take_locks(d) < 0) {
        daemon_free(&d);
        free(logname);
        return EXIT_TEMPFAIL;
    }
    compact_clean(d, 0);
    int rc = daemon_store_open(d, 0);
    compact_clean(d, rc ? -1 : 1);
    if (rc) {
        int damaged = daemon_store_damaged(rc);
        if (damaged) /* one line, and no restart: staff restore the data */
            log_fatal(_("data damaged: %s in %s; restore from backup, see README (exit %d)"),
                      d->damaged[0] ? d->damaged : store_strerror(rc), d->cfg.data_dir,
                      EXIT_DAMAGED);
        /* reseal.c said what is wrong with the data key, daemon_store.c
         * which build wrote the data */
        else if (rc != -EKEYREJECTED && rc != -EPROTONOSUPPORT)
            log_error("cannot open LMDB in %s: %s", d->cfg.data_dir, store_strerror(rc));
        daemon_free(&d);
        free(logname);
        if (rc == -EKEYREJECTED || rc == -EPROTONOSUPPORT) return EXIT_CONFIG;
        return damaged ? EXIT_DAMAGED : EXIT_TEMPFAIL;
    }
    storecheck_watch(d->store.env);
    uv_loop_init(&d->loop);
    if (daemon_bind(d) != 0) return EXIT_TEMPFAIL;
    for (int i = 0; i < d->n_upstreams; i++)
        if (upstream_connect(&d->upstreams[i]) != 0) return EXIT_CONFIG;

    uv_check_init(&d->loop, &d->check);
    d->check.data = d;
    uv_check_start(&d->check, daemon_check_cb);
    uv_prepare_init(&d->loop, &d->prepare);
    uv_prepare_start(&d->prepare, daemon_prepare_cb);
    uv_timer_init(&d->loop, &d->tick);
    d->tick.data = d;
    uv_timer_start(&d->tick, daemon_tick_cb, 50, 50);
    uv_signal_init(&d->loop, &d->sigterm);
    uv_signal_init(&d->loop, &d->sigint);
    d->sigterm.data = d->sigint.data = d;
    uv_signal_start(&d->sigterm, daemon_signal_cb, SIGTERM);
    uv_signal_start(&d->sigint, daemon_signal_cb, SIGINT);
    uv_signal_init(&d->loop, &d->sighup);
    d->sighup.data = d;
    uv_signal_start(&d->sighup, daemon_sighup_cb, SIGHUP);
    signal(SIGPIPE, SIG_IGN);
    if (svc->start && svc->start(d, &d->loop) != 0) return EXIT_CONFIG;

    uint64_t head = 0;
    MDB_txn *txn;
    if (mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn) == 0) {
        stream_head(&d->stream, txn, &head, NULL);
        mdb_txn_abort(txn);
    }
    if (!d->sec.on)
        log_warn("[security] mode = off: plain sockets, every peer acts with every role (only to "
                 "measure what security costs; never across sites)");
    log_info("ready endpoint=%s data_dir=%s head_seq=%llu sync=%s security=%s principals=%zu",
             d->cfg.endpoint, d->cfg.data_dir, (unsigned long long)head,
             d->cfg.sync ? "on" : "OFF (unsafe)", d->sec.on ? "curve" : "OFF",
             d->sec.allow.n);
    sdnotify_send("READY=1"); /* Type=notify: sockets bound, LMDB open */
    daemon_watchdog_start(d);

    log_hold(1);
    uv_run(&d->loop, UV_RUN_DEFAULT);
    log_hold(0);

    /* Everything applied was committed at the end of its turn. */
    commit_release_inbound(d);
    fetch_release(d);
    rc = uv_loop_close(&d->loop);
    if (rc) log_warn("loop closed with handles open: %s", uv_strerror(rc));
    /* Stop the monitor and read what it and the ZAP handler still hold:
     * libzmq does not free messages left in an inproc pipe at close. */
    if (d->monitor) zmq_socket_monitor(d->router, NULL, 0);
    zmq_close(d->router);
    void *drain[2] = {d->monitor, d->zap};
    for (int i = 0; i < 2; i++) {
        if (!drain[i]) continue;
        zmq_msg_t m;
        zmq_msg_init(&m);
        while (zmq_msg_recv(&m, drain[i], ZMQ_DONTWAIT) >= 0) {
            zmq_msg_close(&m);
            zmq_msg_init(&m);
        }
        zmq_msg_close(&m);
        zmq_close(drain[i]);
    }
    zmq_ctx_term(d->zctx);
    log_info("stopped turns=%llu requests=%llu events_applied=%llu", (unsigned long long)d->turns,
             (unsigned long long)d->requests, (unsigned long long)d->events_applied);
    int status = d->fatal;
    daemon_free(&d);
    free(logname);
    return status;
}

/* --- test entry points --------------------------------------------------- */

daemon_t *daemon_open_test(const service_t *svc, const char *dir)
{
    daemon_t *d = xcalloc(1, sizeof *d);
    daemon_init_common(d, svc);
    d->test_mode = 1;
    /* Defaults from the same key tables the daemon uses. */
    cfg_table_t tables[2] = {{daemon_config_keys, &d->cfg}, {svc->config_keys, svc->config}};
    char err[256];
    if (config_defaults(tables, svc->config_keys ? 2 : 1, err, sizeof err) < 0) {
        fprintf(stderr, "daemon_open_test: %s\n", err);
        daemon_close_test(&d);
        return NULL;
    }
    free(d->cfg.data_dir);
    d->cfg.data_dir = xstrdup(dir);
    d->cfg.test_clock = 1;
    /* In-process tests reopen the store, they never lose power: no fsync,
     * so a test's time does not depend on how busy the disk is (the
     * system and fault tests run the daemons with sync = true). */
    d->cfg.sync = 0;
    clock_set_utc_offset((int)d->cfg.utc_offset_minutes);
    if (svc->config_check && svc->config_check(err, sizeof err) < 0) {
        fprintf(stderr, "daemon_open_test: configuration: %s\n", err);
        daemon_close_test(&d);
        return NULL;
    }
    d->inbound = xcalloc((size_t)d->cfg.batch_max, sizeof *d->inbound);
    int rc = daemon_store_open(d, 0);
    if (rc) {
        fprintf(stderr, "daemon_open_test: %s: %s\n", dir,
                d->damaged[0] ? d->damaged : store_strerror(rc));
        daemon_close_test(&d);
        return NULL;
    }
    return d;
}

void daemon_test_act_as(daemon_t *d, const principal_t *p)
{
    d->test_principal = p ? p : &d->anyone;
}

void daemon_close_test(daemon_t **dp)
{
    daemon_free(dp);
}

static int daemon_take_reply(daemon_t *d, Legalaid__Reply **reply)
{
    *reply = NULL;
    if (d->n_outbound < 1) return -EAGAIN;
    outbound_t *o = &d->outbound[0];
    *reply = legalaid__reply__unpack(NULL, o->body.len, o->body.data);
    for (int i = 0; i < d->n_outbound; i++) {
        zmq_msg_close(&d->outbound[i].identity);
        buf_free(&d->outbound[i].body);
    }
    d->n_outbound = 0;
    return *reply ? 0 : -EBADMSG;
}

int daemon_call_bytes(daemon_t *d, const void *frame, size_t len, Legalaid__Reply **reply)
{
    inbound_t *in = &d->inbound[0];
    zmq_msg_init_size(&in->identity, 5);
    memcpy(zmq_msg_data(&in->identity), "test", 5);
    zmq_msg_init_size(&in->body, len);
    if (len) memcpy(zmq_msg_data(&in->body), frame, len);
    in->up = NULL;
    in->delimiter = 0;
    in->bad_frames = 0;
    in->key[0] = 0;
    d->n_inbound = 1;
    int rc = commit_run(d);
    if (rc) return rc;
    /* A fetch is parked, not answered: answer it now as if its wait ran out. */
    if (d->n_outbound == 0 && d->n_parked) fetch_answer_now(d);
    return daemon_take_reply(d, reply);
}

int daemon_call(daemon_t *d, const Legalaid__Request *req, Legalaid__Reply **reply)
{
    size_t len = legalaid__request__get_packed_size(req);
    unsigned char *frame = xmalloc(len);
    legalaid__request__pack(req, frame);
    int rc = daemon_call_bytes(d, frame, len, reply);
    free(frame);
    return rc;
}

int daemon_feed(daemon_t *d, const char *upstream, Legalaid__Event **events, size_t n)
{
    Legalaid__Batch batch = LEGALAID__BATCH__INIT;
    batch.stream = (char *)upstream;
    batch.events = events;
    batch.n_events = n;
    return daemon_feed_batch(d, &batch);
}

int daemon_feed_batch(daemon_t *d, const Legalaid__Batch *batch)
{
    upstream_t *up = NULL;
    for (int i = 0; i < d->n_upstreams; i++)
        if (strcmp(d->upstreams[i].name, batch->stream) == 0) up = &d->upstreams[i];
    if (!up) return -ENOENT;
    Legalaid__Reply r = LEGALAID__REPLY__INIT;
    r.body_case = LEGALAID__REPLY__BODY_BATCH;
    r.batch = (Legalaid__Batch *)batch;
    size_t len = legalaid__reply__get_packed_size(&r);
    inbound_t *in = &d->inbound[0];
    zmq_msg_init(&in->identity);
    zmq_msg_init_size(&in->body, len);
    legalaid__reply__pack(&r, zmq_msg_data(&in->body));
    in->up = up;
    d->n_inbound = 1;
    return commit_run(d);
}

int daemon_tick(daemon_t *d)
{
    d->tick_due = 1;
    return commit_run(d);
}

int daemon_read_stream(daemon_t *d, uint64_t after_seq, Legalaid__Batch **batch)
{
    MDB_txn *txn;
    int rc = store_rc(mdb_txn_begin(d->store.env, NULL, MDB_RDONLY, &txn));
    if (rc) return rc;
    buf_t out = {0};
    rc = stream_encode_batch_reply(&d->stream, txn, NULL, NULL, after_seq, 100000, SIZE_MAX / 2,
                                   &out);
    mdb_txn_abort(txn);
    if (rc < 0) {
        buf_free(&out);
        return rc;
    }
    Legalaid__Reply *r = legalaid__reply__unpack(NULL, out.len, out.data);
    buf_free(&out);
    if (!r) return -EBADMSG;
    *batch = r->batch;
    r->batch = NULL;
    r->body_case = LEGALAID__REPLY__BODY__NOT_SET;
    legalaid__reply__free_unpacked(r, NULL);
    return 0;
}
