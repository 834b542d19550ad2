/*
 * sink.c - see sink.h.
 */
#include "sink.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

int sink_start(sink_t *s, const char *bin, const char *dir, const char *const *args)
{
    memset(s, 0, sizeof *s);
    char exe[700], port_file[700], err[700];
    snprintf(exe, sizeof exe, "%s/tests/http-sink", bin);
    snprintf(port_file, sizeof port_file, "%s/sink.port", dir);
    snprintf(s->log, sizeof s->log, "%s/sink.log", dir);
    snprintf(err, sizeof err, "%s/sink.err", dir);
    char *argv[32] = {exe, "--port-file", port_file, "--log", s->log};
    int n = 5;
    for (const char *const *a = args; a && *a && n < 30; a++) argv[n++] = (char *)*a;
    argv[n] = NULL;
    s->pid = child_spawn(argv, err);
    if (!s->pid) return -1;
    for (int i = 0; i < 100 && !s->port; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            if (fscanf(f, "%d", &s->port) != 1) s->port = 0;
            fclose(f);
        }
        if (!s->port) usleep(50000);
    }
    if (s->port) return 0;
    fprintf(stderr, "the HTTP sink wrote no port within 5 s (see %s)\n", err);
    sink_stop(s);
    return -1;
}

void sink_stop(sink_t *s)
{
    if (s->pid <= 0) return;
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
}
