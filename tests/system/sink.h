/*
 * sink.h - the loopback HTTP sink (http-sink.c) standing in for the SMS
 * gateway and the agencies' webhooks: started on a free port of 127.0.0.1,
 * stopped by its pid.
 */
#ifndef LA_SYSTEM_SINK_H
#define LA_SYSTEM_SINK_H

#include <sys/types.h>

typedef struct sink {
    pid_t pid;
    int port;
    char log[600]; /* one line a request: "new KEY PATH", "dup ...", "fail ..." */
} sink_t;

/* Starts bin/tests/http-sink with args (NULL-terminated, may be NULL), its
 * files in dir (sink.port, sink.log, sink.err), and waits up to 5 s for
 * its port. 0, or -1 after saying why on stderr (nothing left running). */
int sink_start(sink_t *s, const char *bin, const char *dir, const char *const *args);
/* SIGTERMs it and reaps it (nothing when it was not started). */
void sink_stop(sink_t *s);

#endif
