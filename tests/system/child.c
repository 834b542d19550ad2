/*
 * child.c - see child.h.
 */
#include "child.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

pid_t child_spawn(char *const argv[], const char *log)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) {
        fprintf(stderr, "cannot start %s: %s\n", argv[0], strerror(rc));
        return 0;
    }
    return pid;
}
