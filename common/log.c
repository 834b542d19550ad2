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
static size_t log_held_len;
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
    log_held_len = 0; /* the parent writes them */
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
        if (log_held_len + len > sizeof log_held) log_flush();
        memcpy(log_held + log_held_len, line, len);
        /* A signal handler (log_flush_raw) sees the line whole or not at
         * all: the copy is not moved past the length by the compiler. */
        atomic_signal_fence(memory_order_release);
        log_held_len += len;
        return;
    }
    if (holder) log_flush();
    fwrite(line, 1, len, stderr);
    fflush(stderr);
}

void log_flush(void)
{
    if (!log_held_len) return;
    /* Whole lines: a reader of the file or the journal never sees half. */
    fwrite(log_held, 1, log_held_len, stderr);
    fflush(stderr);
    log_held_len = 0;
}

void log_flush_raw(void)
{
    size_t at = 0, len = log_held_len;
    atomic_signal_fence(memory_order_acquire);
    while (at < len) {
        ssize_t w = write(STDERR_FILENO, log_held + at, len - at);
        if (w <= 0) break;
        at += (size_t)w;
    }
    log_held_len = 0;
}

/* The signals that end a process with a core (signal(7)): abort() and a
 * failed assert, systemd's watchdog (WatchdogSignal= is SIGABRT), a fault. */
static const int log_fatal_signals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};

/* The held lines, then the same death: the default action is back
 * (SA_RESETHAND) and the signal raised again, so the core and the exit
 * status are the signal's. write(2) and raise(3) only: both are
 * async-signal-safe. */
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
