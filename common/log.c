/*
 * log.c - the one logging sink (see log.h).
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int log_threshold = LOG_INFO;
static const char *log_name = "legalaid";
static const char *const log_level_names[] = {"debug", "info", "warn", "error", "fatal"};

void log_init(const char *name)
{
    log_name = name;
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

void log_write(int level, const char *fmt, ...)
{
    char line[2048];
    int n = snprintf(line, sizeof line, "%s[%d]: %s: ", log_name, (int)getpid(),
                     log_level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    /* One write per line so that lines of concurrent daemons never interleave. */
    size_t len = strlen(line);
    if (len < sizeof line - 1) {
        line[len++] = '\n';
    } else {
        line[sizeof line - 2] = '\n';
        len = sizeof line - 1;
    }
    fwrite(line, 1, len, stderr);
    fflush(stderr);
}
