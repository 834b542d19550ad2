/*
 * bench-fsync.c - what this disk allows: the ceiling every durable hop of
 * the pipeline sits under (issue 16: "it is the disk" needs the number
 * that shows it).
 *
 * In DIR (default: the current directory; give the disk the daemons'
 * data_dir is on), it measures for SECONDS each (default 3):
 *
 *   1. write 4 KiB at the end of a file + fdatasync, again and again: the
 *      raw synchronous-write rate of the disk;
 *   2. an LMDB environment synced at every commit, as the daemons' (sync =
 *      true), one put per write transaction: what a daemon that committed
 *      each message alone could reach;
 *   3. the same with 64 puts per transaction (group commit, DESIGN.md):
 *      commits/s and messages/s;
 *   4. 64 puts a transaction under random keys into a tree of 200,000
 *      (a keyed hash index: by applicant, a case's parties): each put
 *      copies its own leaf, so a commit writes many pages;
 *   5. 10 and 50 pages of 4 KiB written at scattered places in a 64 MiB
 *      file, then fdatasync, against the same number side by side: an
 *      LMDB commit writes each page it copied where its free list puts it,
 *      one write each, and the disk pays for each one;
 *   6. five writers at once, each its own process and file, each writing
 *      20 pages at scattered places then fdatasync, again and again: the
 *      five daemons committing side by side share one disk, and what it
 *      gives them all is less than five times what it gives one (compare
 *      the pages a second with la-system --bench's line "the disk").
 *
 * A message crosses four durable hops (intake, eligibility, dispatch,
 * notify) and the lawyer's accept a fifth, so the end-to-end rate cannot
 * pass (commits/s of one hop) x (messages per commit) whatever the CPU does;
 * with group commit the disk stops being the limit once batches are large.
 *
 * Usage: bench-fsync [DIR] [SECONDS]. Prints figures; exits 1 on an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A new file in dir, already unlinked: its fd, or -1 (said). */
static int bench_file(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bench-fsync.XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0)
        fprintf(stderr, "bench-fsync: cannot create a file in %s: %s\n", dir, strerror(errno));
    else
        unlink(path);
    return fd;
}

static int bench_raw(const char *dir, double seconds)
{
    int fd = bench_file(dir);
    if (fd < 0) return -1;
    char block[4096];
    memset(block, 'x', sizeof block);
    long n = 0;
    double t0 = now_s(), t;
    do {
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block || fdatasync(fd)) {
            fprintf(stderr, "bench-fsync: write/fdatasync: %s\n", strerror(errno));
            close(fd);
            return -1;
        }
        n++;
    } while ((t = now_s() - t0) < seconds);
    close(fd);
    printf("bench-fsync: 4 KiB write + fdatasync: %ld in %.2f s = %.0f/s (%.3f ms each)\n", n, t,
           n / t, t * 1000 / n);
    return 0;
}

/* SECONDS of: npages pages of 4 KiB written (scattered: each at a random
 * page of a 64 MiB file; else side by side from a random page), then
 * fdatasync. */
static int bench_pages_run(const char *dir, double seconds, int npages, int scattered,
                           unsigned seed, long *rounds, double *took)
{
    enum { FILE_PAGES = 16384 };
    int fd = bench_file(dir);
    if (fd < 0) return -1;
    static char block[64 * 4096];
    memset(block, 'p', sizeof block);
    for (int i = 0; i < FILE_PAGES; i += 64) /* real blocks, as LMDB's file has */
        if (pwrite(fd, block, sizeof block, (off_t)i * 4096) != (ssize_t)sizeof block) {
            fprintf(stderr, "bench-fsync: write: %s\n", strerror(errno));
            close(fd);
            return -1;
        }
    if (fdatasync(fd)) {
        close(fd);
        return -1;
    }
    long n = 0;
    double t0 = now_s(), t;
    do {
        int first = (int)(rand_r(&seed) % (FILE_PAGES - npages));
        for (int i = 0; i < npages; i++) {
            int page = scattered ? (int)(rand_r(&seed) % FILE_PAGES) : first + i;
            if (pwrite(fd, block, 4096, (off_t)page * 4096) != 4096) {
                fprintf(stderr, "bench-fsync: write: %s\n", strerror(errno));
                close(fd);
                return -1;
            }
        }
        if (fdatasync(fd)) {
            fprintf(stderr, "bench-fsync: fdatasync: %s\n", strerror(errno));
            close(fd);
            return -1;
        }
        n++;
    } while ((t = now_s() - t0) < seconds);
    close(fd);
    *rounds = n;
    *took = t;
    return 0;
}

static int bench_pages(const char *dir, double seconds, int npages, int scattered)
{
    long n;
    double t;
    if (bench_pages_run(dir, seconds, npages, scattered, 1, &n, &t)) return -1;
    printf("bench-fsync: %d pages of 4 KiB %s + fdatasync: %.3f ms each time (%.1f us a page)\n",
           npages, scattered ? "at scattered places" : "side by side", t * 1000 / n,
           t * 1e6 / n / npages);
    return 0;
}

/* writers processes at once, each its own file, each npages scattered +
 * fdatasync again and again for SECONDS. */
static int bench_writers(const char *dir, double seconds, int writers, int npages)
{
    int fds[2];
    if (pipe(fds)) return -1;
    int started = 0, bad = 0;
    for (int w = 0; w < writers; w++) {
        pid_t pid = fork();
        if (pid < 0) {
            bad = 1;
            break;
        }
        if (pid == 0) {
            close(fds[0]);
            long n = 0;
            double t = 0;
            int rc = bench_pages_run(dir, seconds, npages, 1, 7u + (unsigned)w, &n, &t);
            double out[2] = {rc ? -1 : (double)n, t};
            ssize_t wr = write(fds[1], out, sizeof out);
            _exit(rc || wr != (ssize_t)sizeof out ? 1 : 0);
        }
        started++;
    }
    close(fds[1]);
    double rounds = 0, took = 0;
    for (int w = 0; w < started; w++) {
        double in[2];
        if (read(fds[0], in, sizeof in) != (ssize_t)sizeof in || in[0] < 0) {
            bad = 1;
            continue;
        }
        rounds += in[0];
        took = in[1] > took ? in[1] : took;
    }
    close(fds[0]);
    for (int w = 0; w < started; w++) {
        int status;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) bad = 1;
    }
    if (bad || rounds <= 0) {
        fprintf(stderr, "bench-fsync: a writer of %d failed\n", writers);
        return -1;
    }
    printf("bench-fsync: %d writer%s at once, each %d pages of 4 KiB at scattered places + "
           "fdatasync: %.0f pages/s and %.0f fdatasyncs/s in all, %.3f ms each time\n",
           writers, writers == 1 ? "" : "s", npages, rounds * npages / took, rounds / took,
           took * 1000 * writers / rounds);
    return 0;
}

/* LMDB, synced at every commit: per_txn puts a transaction of 600-byte
 * values, under keys in order (appended) or, random_keys, under random
 * 16-byte keys into a tree first filled with 200,000 of them. */
static int bench_lmdb(const char *dir, double seconds, int per_txn, int random_keys)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bench-fsync-env.XXXXXX", dir);
    if (!mkdtemp(path)) {
        fprintf(stderr, "bench-fsync: cannot create a directory in %s: %s\n", dir, strerror(errno));
        return -1;
    }
    MDB_env *env;
    MDB_dbi dbi;
    MDB_txn *txn;
    int rc = mdb_env_create(&env);
    if (!rc) rc = mdb_env_set_mapsize(env, (size_t)1 << 30);
    if (!rc) rc = mdb_env_open(env, path, MDB_NOTLS, 0600);
    if (!rc) rc = mdb_txn_begin(env, NULL, 0, &txn);
    if (!rc) rc = mdb_dbi_open(txn, NULL, 0, &dbi);
    char val[600]; /* about a packed application */
    memset(val, 'v', sizeof val);
    unsigned seed = 7;
    unsigned char rkey[16];
    for (int i = 0; !rc && random_keys && i < 200000; i++) {
        for (size_t b = 0; b < sizeof rkey; b++) rkey[b] = (unsigned char)rand_r(&seed);
        MDB_val mk = {sizeof rkey, rkey}, mv = {32, val};
        rc = mdb_put(txn, dbi, &mk, &mv, 0);
    }
    if (!rc) rc = mdb_txn_commit(txn);
    long commits = 0, puts = 0;
    double t0 = now_s(), t = 0;
    while (!rc && (t = now_s() - t0) < seconds) {
        rc = mdb_txn_begin(env, NULL, 0, &txn);
        for (int i = 0; !rc && i < per_txn; i++) {
            unsigned char key[8];
            unsigned long long k = (unsigned long long)puts++;
            for (int b = 0; b < 8; b++) key[b] = (unsigned char)(k >> (56 - 8 * b));
            MDB_val mk = {8, key}, mv = {sizeof val, val};
            if (random_keys) {
                for (size_t b = 0; b < sizeof rkey; b++) rkey[b] = (unsigned char)rand_r(&seed);
                mk.mv_size = sizeof rkey, mk.mv_data = rkey;
                mv.mv_size = 32;
            }
            rc = mdb_put(txn, dbi, &mk, &mv, random_keys ? 0 : MDB_APPEND);
        }
        if (rc) {
            mdb_txn_abort(txn);
            break;
        }
        rc = mdb_txn_commit(txn);
        commits++;
    }
    mdb_env_close(env);
    char f[4200];
    snprintf(f, sizeof f, "%s/data.mdb", path);
    unlink(f);
    snprintf(f, sizeof f, "%s/lock.mdb", path);
    unlink(f);
    rmdir(path);
    if (rc) {
        fprintf(stderr, "bench-fsync: lmdb: %s\n", mdb_strerror(rc));
        return -1;
    }
    printf("bench-fsync: LMDB commit (fsync on) of %d put%s%s: %.0f commits/s, %.0f messages/s "
           "(%.3f ms a commit)\n",
           per_txn, per_txn == 1 ? "" : "s",
           random_keys ? " under random keys into a tree of 200,000" : "", commits / t, puts / t,
           t * 1000 / commits);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    double seconds = argc > 2 ? atof(argv[2]) : 3;
    if (seconds <= 0) {
        fprintf(stderr, "usage: bench-fsync [DIR] [SECONDS]\n");
        return 2;
    }
    struct stat st;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "bench-fsync: %s is not a directory\n", dir);
        return 2;
    }
    printf("bench-fsync: directory %s, %.1f s a figure\n", dir, seconds);
    if (bench_raw(dir, seconds) || bench_lmdb(dir, seconds, 1, 0) || bench_lmdb(dir, seconds, 64, 0) ||
        bench_lmdb(dir, seconds, 64, 1))
        return 1;
    static const int pages[] = {10, 50};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (bench_pages(dir, seconds, pages[i], 0) || bench_pages(dir, seconds, pages[i], 1)) return 1;
    if (bench_writers(dir, seconds, 1, 20) || bench_writers(dir, seconds, 5, 20)) return 1;
    return 0;
}
