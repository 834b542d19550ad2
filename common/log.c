/*
 * log.c - the one logging sink (see log.h).
 *
 * Where stderr goes decides the line's form, found once in log_init:
 *   the journal   "<3>level: message": the journal reads the sd-daemon
 *                 priority prefix (journalctl -p err) and records the
 *                 program and pid itself, so they are not repeated;
 *   a file, pipe  "2026-12-04T22:01:47.123+08:00 name[pid]: level: message"
 *                 (legalaid-local's log files, a test's capture);
 *   a terminal    "name[pid]: level: message".
 * systemd documents how to tell its journal: $JOURNAL_STREAM holds the
 * device and inode ("DEV:INO") of the stream it connected, and stderr is
 * that stream when fstat(2) gives the same pair.
 */
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int log_threshold = LOG_INFO;
static const char *log_name = "legalaid";
static log_form_t log_form = LOG_FORM_PLAIN;
/* The pid in a line, asked of the kernel once (glibc does not cache it,
 * and a daemon under load writes thousands of lines a second); a fork
 * asks again. */
static pid_t log_pid;
static int log_holding;
static pthread_t log_holder; /* the loop's thread: only its lines are held */
static char log_held[LOG_HOLD_BYTES];
/* Published after the line's bytes (release): a fatal signal's handler on
 * any thread reads it (acquire) and writes only lines copied whole. */
static _Atomic size_t log_held_len;
/* Who writes the held lines: the loop's log_flush (to stdio) or, once and
 * for good, log_flush_raw as the process dies; so no line is written twice
 * and no handler writes a buffer the loop is emptying and filling again.
 * Lock-free atomics only: a signal handler takes it. */
enum { LOG_HELD_IDLE, LOG_HELD_FLUSHING, LOG_HELD_RAW, LOG_HELD_RAW_DONE };
static atomic_int log_held_writer;
/* Set while this thread writes them (log_flush, log_flush_raw): its own
 * fatal signal must not wait for a write that cannot go on. */
static _Thread_local volatile sig_atomic_t log_flushing_here;
/* How long a dying thread waits for the loop's flush, or another dying
 * thread's, to end (a stalled journal must not keep the process alive). */
#define LOG_RAW_WAIT_MS 2000
static const char *const log_level_names[] = {"debug", "info", "warn", "error", "fatal"};
/* sd-daemon(3) priorities: debug 7, info 6, warning 4, err 3, crit 2. */
static const int log_level_priority[] = {7, 6, 4, 3, 2};

log_form_t log_form_detect(int fd)
{
    struct stat st;
    if (fstat(fd, &st) < 0) return LOG_FORM_PLAIN;
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    if (js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && (unsigned long long)st.st_dev == dev &&
        (unsigned long long)st.st_ino == ino)
        return LOG_FORM_JOURNAL;
    if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode)) return LOG_FORM_STAMPED;
    return LOG_FORM_PLAIN;
}

static void log_forked(void)
{
    log_pid = getpid();
    /* The parent writes them; a flush of its in progress is not ours. */
    atomic_store(&log_held_len, 0);
    atomic_store(&log_held_writer, LOG_HELD_IDLE);
}

void log_init(const char *name)
{
    static int registered;
    log_name = name;
    log_form = log_form_detect(STDERR_FILENO);
    if (!registered++) pthread_atfork(NULL, NULL, log_forked);
    log_pid = getpid();
}

void log_set_form(log_form_t form)
{
    log_form = form;
}

int log_level_parse(const char *text, int *level)
{
    for (int i = LOG_DEBUG; i <= LOG_ERROR; i++) {
        if (strcmp(text, log_level_names[i]) == 0) {
            *level = i;
            return 0;
        }
    }
    return -1;
}

size_t log_stamp(char *out, size_t size)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    time_t sec = tv.tv_sec;
    localtime_r(&sec, &tm);
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    int n = snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, (int)(tv.tv_usec / 1000), sign, off / 60, off % 60);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

void log_write(int level, const char *fmt, ...)
{
    char line[2048];
    int n;
    if (log_form == LOG_FORM_JOURNAL) {
        n = snprintf(line, sizeof line, "<%d>%s: ", log_level_priority[level],
                     log_level_names[level]);
    } else {
        size_t at = 0;
        if (log_form == LOG_FORM_STAMPED) {
            at = log_stamp(line, sizeof line);
            line[at++] = ' ';
        }
        n = (int)at + snprintf(line + at, sizeof line - at, "%s[%d]: %s: ", log_name,
                               (int)(log_pid ? log_pid : getpid()), log_level_names[level]);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    /* One write per line (or per turn's lines, held) so that lines of
     * concurrent daemons never interleave. */
    size_t len = strlen(line);
    if (len < sizeof line - 1) {
        line[len++] = '\n';
    } else {
        line[sizeof line - 2] = '\n';
        len = sizeof line - 1;
    }
    int holder = log_holding && pthread_equal(pthread_self(), log_holder);
    if (holder && level < LOG_WARN) {
        size_t held = atomic_load_explicit(&log_held_len, memory_order_relaxed);
        if (held + len > sizeof log_held) {
            log_flush();
            held = atomic_load_explicit(&log_held_len, memory_order_relaxed);
            /* Not emptied: another thread is dying and writes them. */
            if (held + len > sizeof log_held) return;
        }
        memcpy(log_held + held, line, len);
        /* log_flush_raw, on this thread or another, sees the line whole
         * or not at all. */
        atomic_store_explicit(&log_held_len, held + len, memory_order_release);
        return;
    }
    if (holder) log_flush();
    fwrite(line, 1, len, stderr);
    fflush(stderr);
}

void log_flush(void)
{
    size_t len = atomic_load_explicit(&log_held_len, memory_order_relaxed);
    if (!len) return;
    int idle = LOG_HELD_IDLE;
    /* Marked before the writer is taken and cleared after it is given
     * back: a fatal signal on this thread in between finds either the
     * writer free (and writes the lines itself) or the mark (and does not
     * wait two seconds for the write it interrupted). */
    log_flushing_here = 1;
    /* Taken by log_flush_raw: the process is dying and that thread writes them. */
    if (!atomic_compare_exchange_strong(&log_held_writer, &idle, LOG_HELD_FLUSHING)) {
        log_flushing_here = 0;
        return;
    }
    /* Whole lines: a reader of the file or the journal never sees half. */
    fwrite(log_held, 1, len, stderr);
    fflush(stderr);
    atomic_store_explicit(&log_held_len, 0, memory_order_relaxed);
    atomic_store(&log_held_writer, LOG_HELD_IDLE);
    log_flushing_here = 0;
}

/* Takes the held lines for log_flush_raw: 1, or 0 when they are not ours
 * to write (written by another dying thread, or being written by this
 * thread, which the signal interrupted). The loop's flush on another
 * thread, or another dying thread's write, is waited for (poll(2):
 * async-signal-safe), so that the process does not end in the middle of it. */
static int log_held_take(void)
{
    for (int waited = 0;; waited++) {
        int writer = LOG_HELD_IDLE;
        if (atomic_compare_exchange_strong(&log_held_writer, &writer, LOG_HELD_RAW)) return 1;
        if (writer == LOG_HELD_RAW_DONE || log_flushing_here) return 0;
        if (waited == LOG_RAW_WAIT_MS) return 0;
        poll(NULL, 0, 1);
    }
}

void log_flush_raw(void)
{
    if (!log_held_take()) return;
    log_flushing_here = 1;
    size_t at = 0, len = atomic_load_explicit(&log_held_len, memory_order_acquire);
    while (at < len) {
        ssize_t w = write(STDERR_FILENO, log_held + at, len - at);
        if (w <= 0) break;
        at += (size_t)w;
    }
    /* For good: the process ends now, and another thread's fatal signal or
     * the loop's flush must not write them again. */
    atomic_store(&log_held_writer, LOG_HELD_RAW_DONE);
}

/* The signals that end a process with a core (signal(7)): abort() and a
 * failed assert, systemd's watchdog (WatchdogSignal= is SIGABRT), a fault. */
static const int log_fatal_signals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};

/* The held lines, then the same death: the default action is back
 * (SA_RESETHAND) and the signal raised again, so the core and the exit
 * status are the signal's. It may run on any thread (a ZeroMQ assert in
 * its I/O thread, the compaction worker) while the loop's thread goes on:
 * log_flush_raw writes each held line once and whole. Lock-free atomics,
 * write(2), poll(2) and raise(3) only: all async-signal-safe. */
static void log_fatal_signal(int sig)
{
    int saved = errno;
    log_flush_raw();
    errno = saved;
    raise(sig);
}

/* The holding thread's stack for the handler: a stack overflow leaves no
 * room on its own (SA_ONSTACK). One is kept if the thread has it (ASan's). */
static void log_altstack(void)
{
    static char stack[65536] __attribute__((aligned(16)));
    stack_t old;
    if (sigaltstack(NULL, &old) < 0 || !(old.ss_flags & SS_DISABLE)) return;
    stack_t ss = {.ss_sp = stack, .ss_size = sizeof stack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
}

/* A handler for each fatal signal whose action is still the default: one
 * installed on purpose (storecheck's SIGBUS, which writes the held lines
 * itself; a sanitizer's; a test's) stays. */
static void log_fatal_signals_catch(void)
{
    log_altstack();
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = log_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
    for (size_t i = 0; i < sizeof log_fatal_signals / sizeof log_fatal_signals[0]; i++) {
        int sig = log_fatal_signals[i];
        if (sigaction(sig, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
            old.sa_handler == SIG_DFL)
            sigaction(sig, &sa, NULL);
    }
}

void log_hold(int on)
{
    static int registered;
    if (!on) log_flush();
    else if (!registered++) atexit(log_flush);
    if (on) log_fatal_signals_catch();
    log_holder = pthread_self();
    log_holding = on;
}
