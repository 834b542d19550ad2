/*
 * log.h - one line per event to stderr: "name[pid]: level: message",
 * with an sd-daemon priority prefix ("<3>error: message") under systemd's
 * journal and a timestamp ("2026-12-04T22:01:47.123+08:00 name[pid]: ...")
 * when stderr is a file or a pipe (log.c says how each is told).
 *
 * The level check sits in the macro, so a debug line costs nothing when
 * debug is off. Personal data (names, ID numbers, phones) never goes to a
 * log in clear: log the case number instead (DESIGN.md, "Security").
 */
#ifndef LA_LOG_H
#define LA_LOG_H

#include <stddef.h>

#include "i18n.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_FATAL };

/* Lines below this level are not written (the log_* macros check it). */
extern int log_threshold;

/* How a line looks: see log.c. */
typedef enum { LOG_FORM_PLAIN, LOG_FORM_STAMPED, LOG_FORM_JOURNAL } log_form_t;

/* Sets the program name shown in every line (name must outlive the
 * program) and the form of the lines from where stderr goes. */
void log_init(const char *name);
/* The form for lines written to fd: JOURNAL when $JOURNAL_STREAM names
 * fd's device and inode, STAMPED for a regular file or a pipe, else PLAIN. */
log_form_t log_form_detect(int fd);
/* Overrides the form log_init found (tests). */
void log_set_form(log_form_t form);
/* Writes the local time now, ISO 8601 with milliseconds and the offset
 * ("2026-12-04T22:01:47.123+08:00"), into out (NUL-terminated); returns
 * its length. */
size_t log_stamp(char *out, size_t size);
/* Parses "debug", "info", "warn", "error"; returns 0, or -1 for an unknown name. */
int log_level_parse(const char *text, int *level);
/* Writes one line in the form chosen to stderr in one write (or holds it:
 * log_hold), whatever the threshold (the macros below check it); long
 * lines are cut. */
void log_write(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A daemon's loop holds its lines (on: 1, from the loop's thread, whose
 * lines alone are held) and writes them together with log_flush before it
 * waits for I/O: a write per line was a system call per case decided and
 * per offer. A warning or worse is written at once, after the lines held
 * before it; held lines past LOG_HOLD_BYTES are written, and so are those
 * left at exit() and at a stop (log_hold(0)). log_hold(1) also catches
 * SIGABRT, SIGSEGV, SIGBUS, SIGFPE and SIGILL where their action is still
 * the default (on an alternate stack for the holding thread, if it has
 * none): the held lines are written, then the signal ends the process as
 * it would have (core, exit status), on whichever thread it came. A
 * handler of one's own that ends the process calls log_flush_raw
 * (async-signal-safe: write(2), poll(2)), as the damaged-store exits do. It
 * writes the held lines once, whole, from any thread: the loop's flush in
 * progress elsewhere is waited for (up to 2 s), one interrupted on its own
 * thread is not written again, and after it neither log_flush nor another
 * log_flush_raw writes anything (the process is to end). */
#define LOG_HOLD_BYTES 32768
void log_hold(int on);
void log_flush(void);
void log_flush_raw(void);

#define LOG_AT(lvl, ...)                                                                           \
    do {                                                                                           \
        if ((lvl) >= log_threshold) log_write((lvl), __VA_ARGS__);                                 \
    } while (0)
/* Operations staff read the lines in the daemon's language (the catalogue:
 * xgettext takes these macros' formats as msgids); debug lines are for
 * developers and stay English. */
#define log_debug(...) LOG_AT(LOG_DEBUG, __VA_ARGS__)
#define log_info(fmt, ...) LOG_AT(LOG_INFO, _(fmt), ##__VA_ARGS__)
#define log_warn(fmt, ...) LOG_AT(LOG_WARN, _(fmt), ##__VA_ARGS__)
#define log_error(fmt, ...) LOG_AT(LOG_ERROR, _(fmt), ##__VA_ARGS__)
#define log_fatal(fmt, ...) log_write(LOG_FATAL, _(fmt), ##__VA_ARGS__)

#endif
