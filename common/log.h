/*
 * log.h - one line per event to stderr: "name[pid]: level: message".
 *
 * The level check sits in the macro, so a debug line costs nothing when
 * debug is off. Personal data (names, ID numbers, phones) never goes to a
 * log in clear: log the case number instead (DESIGN.md, "Security").
 */
#ifndef LA_LOG_H
#define LA_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_FATAL };

/* Lines below this level are not written (the log_* macros check it). */
extern int log_threshold;

/* Sets the program name shown in every line; name must outlive the program. */
void log_init(const char *name);
/* Parses "debug", "info", "warn", "error"; returns 0, or -1 for an unknown name. */
int log_level_parse(const char *text, int *level);
/* Writes one line "name[pid]: level: message" to stderr in one write,
 * whatever the threshold (the macros below check it); long lines are cut. */
void log_write(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOG_AT(lvl, ...)                                                                           \
    do {                                                                                           \
        if ((lvl) >= log_threshold) log_write((lvl), __VA_ARGS__);                                 \
    } while (0)
#define log_debug(...) LOG_AT(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) LOG_AT(LOG_INFO, __VA_ARGS__)
#define log_warn(...) LOG_AT(LOG_WARN, __VA_ARGS__)
#define log_error(...) LOG_AT(LOG_ERROR, __VA_ARGS__)
#define log_fatal(...) log_write(LOG_FATAL, __VA_ARGS__)

#endif
