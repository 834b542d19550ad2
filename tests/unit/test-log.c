/*
 * test-log.c - what the log lines look like where they go (log.c): the
 * sd-daemon priority prefix when $JOURNAL_STREAM names stderr, the ISO 8601
 * timestamp with milliseconds and offset when stderr is a file; and the
 * notify protocol's datagrams (sdnotify.c) on a unix socket standing in for
 * systemd's $NOTIFY_SOCKET.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sdnotify.h"
#include "testutil.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Sends stderr to the file "stderr" of dir (its name in path) in the form
 * given; returns the saved stderr for stderr_back. */
static int stderr_to(const char *dir, char *path, size_t size, log_form_t form)
{
    snprintf(path, size, "%s/stderr", dir);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(freopen(path, "w", stderr) != NULL);
    log_set_form(form);
    return saved;
}

static void stderr_back(int saved)
{
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    log_set_form(LOG_FORM_PLAIN);
}

/* Writes one line at level to stderr redirected to a file of dir; returns
 * the line read back (static storage). */
static const char *log_capture(const char *dir, log_form_t form, int level, const char *msg)
{
    static char line[2048];
    char path[512];
    int saved = stderr_to(dir, path, sizeof path, form);
    log_write(level, "%s case=%s", msg, "BT-2026-000001");
    stderr_back(saved);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    return line;
}

static void test_journal_prefix(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    assert_string_equal(log_capture(dir, LOG_FORM_JOURNAL, LOG_ERROR, "cannot bind"),
                        "<3>error: cannot bind case=BT-2026-000001\n");
    assert_string_equal(log_capture(dir, LOG_FORM_JOURNAL, LOG_WARN, "slow"),
                        "<4>warn: slow case=BT-2026-000001\n");
    assert_string_equal(log_capture(dir, LOG_FORM_JOURNAL, LOG_INFO, "ready"),
                        "<6>info: ready case=BT-2026-000001\n");
    assert_string_equal(log_capture(dir, LOG_FORM_JOURNAL, LOG_DEBUG, "turn"),
                        "<7>debug: turn case=BT-2026-000001\n");
    assert_string_equal(log_capture(dir, LOG_FORM_JOURNAL, LOG_FATAL, "damaged"),
                        "<2>fatal: damaged case=BT-2026-000001\n");
    test_rmdir(dir);
}

static void test_file_timestamp(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    log_init("legalaid-test");
    const char *line = log_capture(dir, LOG_FORM_STAMPED, LOG_INFO, "ready");
    regex_t re;
    assert_int_equal(regcomp(&re,
                             "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}"
                             "[+-][0-9]{2}:[0-9]{2} legalaid-test\\[[0-9]+\\]: info: ready "
                             "case=BT-2026-000001\n$",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    if (regexec(&re, line, 0, NULL, 0) != 0) fail_msg("not a stamped line: %s", line);
    regfree(&re);
    /* The offset is the local zone's: +08:00 in Beijing. */
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    char stamp[64];
    log_stamp(stamp, sizeof stamp);
    assert_string_equal(stamp + strlen(stamp) - 6, "+08:00");
    unsetenv("TZ");
    tzset();
    test_rmdir(dir);
}

static void test_form_detect(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char path[512], js[64];
    snprintf(path, sizeof path, "%s/journal", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    struct stat st;
    assert_int_equal(fstat(fileno(f), &st), 0);
    unsetenv("JOURNAL_STREAM");
    assert_int_equal(log_form_detect(fileno(f)), LOG_FORM_STAMPED);
    /* systemd's documented test: the stream's device and inode. */
    snprintf(js, sizeof js, "%llu:%llu", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    setenv("JOURNAL_STREAM", js, 1);
    assert_int_equal(log_form_detect(fileno(f)), LOG_FORM_JOURNAL);
    /* Inherited by a child whose stderr went elsewhere: not the journal. */
    snprintf(js, sizeof js, "%llu:%llu", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino + 1);
    setenv("JOURNAL_STREAM", js, 1);
    assert_int_equal(log_form_detect(fileno(f)), LOG_FORM_STAMPED);
    unsetenv("JOURNAL_STREAM");
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(log_form_detect(fds[1]), LOG_FORM_STAMPED);
    close(fds[0]);
    close(fds[1]);
    fclose(f);
    test_rmdir(dir);
}

static void test_notify_datagrams(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify.sock", dir);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    unsetenv("NOTIFY_SOCKET");
    assert_int_equal(sdnotify_send("READY=1"), 1); /* not under systemd */
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);
    assert_int_equal(sdnotify_send("READY=1"), 0);
    assert_int_equal(sdnotify_send("WATCHDOG=1"), 0);
    char got[64];
    ssize_t n = recv(fd, got, sizeof got - 1, 0);
    assert_int_equal(n, 7);
    got[n] = 0;
    assert_string_equal(got, "READY=1");
    n = recv(fd, got, sizeof got - 1, 0);
    assert_int_equal(n, 10);
    got[n] = 0;
    assert_string_equal(got, "WATCHDOG=1");
    unsetenv("NOTIFY_SOCKET");
    close(fd);

    /* WATCHDOG_USEC for this process, or for another one (WATCHDOG_PID). */
    char pid[32];
    setenv("WATCHDOG_USEC", "30000000", 1);
    unsetenv("WATCHDOG_PID");
    assert_int_equal(sdnotify_watchdog_ms(), 30000);
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("WATCHDOG_PID", pid, 1);
    assert_int_equal(sdnotify_watchdog_ms(), 30000);
    snprintf(pid, sizeof pid, "%d", (int)getpid() + 1);
    setenv("WATCHDOG_PID", pid, 1);
    assert_int_equal(sdnotify_watchdog_ms(), 0);
    unsetenv("WATCHDOG_PID");
    setenv("WATCHDOG_USEC", "soon", 1);
    assert_int_equal(sdnotify_watchdog_ms(), 0);
    unsetenv("WATCHDOG_USEC");
    assert_int_equal(sdnotify_watchdog_ms(), 0);
    test_rmdir(dir);
}

static size_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

/* Held lines (a daemon's turn) reach the file only at log_flush, in order;
 * a warning goes at once, after those held before it; a full buffer is
 * written; nothing is held once holding stops. */
static void test_held_lines(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char path[512];
    int saved = stderr_to(dir, path, sizeof path, LOG_FORM_JOURNAL);
    log_hold(1);
    log_write(LOG_INFO, "decided case=%d", 1);
    log_write(LOG_INFO, "decided case=%d", 2);
    assert_int_equal(file_size(path), 0);
    log_flush();
    assert_int_equal(file_size(path), 2 * strlen("<6>info: decided case=1\n"));
    log_write(LOG_INFO, "offered case=%d", 3);
    log_write(LOG_WARN, "slow case=%d", 3);
    size_t after_warn = file_size(path);
    assert_int_equal(after_warn, 2 * strlen("<6>info: decided case=1\n") +
                                     strlen("<6>info: offered case=3\n") +
                                     strlen("<4>warn: slow case=3\n"));
    for (int i = 0; i < 2000; i++) log_write(LOG_INFO, "offered case=%04d", i);
    size_t written = file_size(path);
    assert_true(written > after_warn);
    assert_true(written < after_warn + 2000 * strlen("<6>info: offered case=0000\n"));
    log_hold(0);
    assert_int_equal(file_size(path), after_warn + 2000 * strlen("<6>info: offered case=0000\n"));
    log_write(LOG_INFO, "ready case=%d", 4);
    assert_int_equal(file_size(path), after_warn + 2000 * strlen("<6>info: offered case=0000\n") +
                                          strlen("<6>info: ready case=4\n"));
    stderr_back(saved);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256];
    const char *want[] = {"<6>info: decided case=1\n", "<6>info: decided case=2\n",
                          "<6>info: offered case=3\n", "<4>warn: slow case=3\n",
                          "<6>info: offered case=0000\n"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_non_null(fgets(line, sizeof line, f));
        assert_string_equal(line, want[i]);
    }
    fclose(f);
    test_rmdir(dir);
}

static volatile int never = -1;

/* Deeper until the stack runs out (not a tail call: pad is read after). */
static int overflow(int depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    if (depth == never) return 0;
    return overflow(depth + 1) + pad[0];
}

/* Forks a child that is to die of a signal: no core file, its stderr the
 * write end of a pipe (fds), lines in the journal's form. Returns the pid
 * (0 in the child). */
static pid_t dying_child(int fds[2])
{
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        prctl(PR_SET_DUMPABLE, 0);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        log_set_form(LOG_FORM_JOURNAL);
    }
    return pid;
}

/* A child holds a line as the loop does, then dies of sig (abort(), or a
 * stack overflow for SIGSEGV); returns what reached its stderr (a pipe)
 * and checks it died of sig, as it would have without the log. */
static const char *held_at_death(int sig)
{
    static char got[256];
    int fds[2];
    pid_t pid = dying_child(fds);
    if (pid == 0) {
        signal(sig, SIG_DFL); /* cmocka catches SIGSEGV around a test */
        log_hold(1);
        log_write(LOG_INFO, "decided case=%d", 7);
        if (sig == SIGABRT) abort();
        overflow(0);
        _exit(0);
    }
    close(fds[1]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    ssize_t n = read(fds[0], got, sizeof got - 1);
    close(fds[0]);
    got[n > 0 ? n : 0] = 0;
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), sig);
    return got;
}

/* The lines of the last turn are not lost to abort() (an assert, the
 * watchdog's SIGABRT) or a fault, even one that took the whole stack. */
static void test_held_lines_at_death(void **state)
{
    (void)state;
    assert_string_equal(held_at_death(SIGABRT), "<6>info: decided case=7\n");
    assert_string_equal(held_at_death(SIGSEGV), "<6>info: decided case=7\n");
}

/* More than the pipe holds (4096 bytes): a write of them is done in
 * turns as the parent reads, so two writers of them would interleave. */
#define DYING_HELD 250

/* Another thread's death (a ZeroMQ assert in its I/O thread, the
 * compaction worker): abort() 100 ms on, another signal 200 ms on. */
static void *die_later(void *arg)
{
    int sig = *(const int *)arg;
    usleep(sig == SIGABRT ? 100000 : 200000);
    if (sig == SIGABRT) abort();
    raise(sig);
    return NULL;
}

/* Fills the pipe on stderr with whole filler lines until one more would block. */
static void pipe_fill(void)
{
    static const char filler[] = "<7>debug: filler\n";
    int flags = fcntl(STDERR_FILENO, F_GETFL);
    fcntl(STDERR_FILENO, F_SETFL, flags | O_NONBLOCK);
    while (write(STDERR_FILENO, filler, sizeof filler - 1) > 0) continue;
    fcntl(STDERR_FILENO, F_SETFL, flags);
}

/* A child holds DYING_HELD lines on its main (the loop's) thread, fills
 * its stderr (a pipe read only later), and another thread dies of SIGABRT
 * while the main thread is blocked handing the held lines to stdio
 * (flushing: 1), or, the main thread only holding them, a thread dies of
 * SIGABRT and another of SIGSEGV while the first's handler is still
 * writing (flushing: 0). Returns what reached the pipe after the filler
 * (static storage). */
static const char *held_at_other_death(int flushing)
{
    static char got[65536];
    int fds[2];
    pid_t pid = dying_child(fds);
    if (pid == 0) {
        fcntl(STDERR_FILENO, F_SETPIPE_SZ, 4096);
        signal(SIGABRT, SIG_DFL);
        signal(SIGSEGV, SIG_DFL);
        log_hold(1);
        for (int i = 0; i < DYING_HELD; i++) log_write(LOG_INFO, "held case=%d", i);
        pipe_fill();
        static const int abrt = SIGABRT, segv = SIGSEGV;
        pthread_t first, second;
        pthread_create(&first, NULL, die_later, (void *)&abrt);
        if (flushing) {
            log_flush(); /* blocks: the pipe is full */
        } else {
            pthread_create(&second, NULL, die_later, (void *)&segv);
        }
        for (;;) pause();
    }
    close(fds[1]);
    usleep(500000); /* both deaths have begun and wait on the full pipe */
    size_t len = 0;
    ssize_t n;
    /* Slowly: each waiting writer gets its turns. */
    size_t room;
    while ((room = sizeof got - 1 - len) > 0 && (n = read(fds[0], got + len, MIN(room, 256))) > 0) {
        len += (size_t)n;
        usleep(1000);
    }
    got[len] = 0;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_true(WTERMSIG(status) == SIGABRT || WTERMSIG(status) == SIGSEGV);
    const char *after = got;
    while (strncmp(after, "<7>debug: filler\n", 17) == 0) after += 17;
    return after;
}

/* Each held line reaches stderr once and whole when a thread other than
 * the loop's dies: not written again by the dying thread over the loop's
 * own flush, nor by a second dying thread. */
static void test_held_lines_at_other_death(void **state)
{
    (void)state;
    char want[DYING_HELD * 32];
    size_t at = 0;
    for (int i = 0; i < DYING_HELD; i++)
        at += (size_t)snprintf(want + at, sizeof want - at, "<6>info: held case=%d\n", i);
    assert_string_equal(held_at_other_death(1), want);
    assert_string_equal(held_at_other_death(0), want);
}

static void own_bus_handler(int sig)
{
    (void)sig;
}

/* A handler installed on purpose (storecheck's SIGBUS) is not replaced. */
static void test_hold_keeps_handlers(void **state)
{
    (void)state;
    struct sigaction own = {.sa_handler = own_bus_handler}, before, after;
    sigemptyset(&own.sa_mask);
    assert_int_equal(sigaction(SIGBUS, &own, &before), 0);
    log_hold(1);
    log_hold(0);
    assert_int_equal(sigaction(SIGBUS, &before, &after), 0);
    assert_ptr_equal(after.sa_handler, own_bus_handler);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_journal_prefix),
        cmocka_unit_test(test_file_timestamp),
        cmocka_unit_test(test_form_detect),
        cmocka_unit_test(test_notify_datagrams),
        cmocka_unit_test(test_held_lines),
        cmocka_unit_test(test_held_lines_at_death),
        cmocka_unit_test(test_held_lines_at_other_death),
        cmocka_unit_test(test_hold_keeps_handlers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
