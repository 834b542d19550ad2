/*
 * fuzz-main.c - a fuzz target without libFuzzer: runs every file named on
 * the command line (a directory: every file in it) through
 * LLVMFuzzerTestOneInput once, as libFuzzer replays a corpus. Prints how
 * many ran; a crash or a sanitizer report fails it.
 *
 *   fuzz-NAME-replay FILE|DIR...
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int fuzz_main_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz: cannot read %s\n", path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) data = realloc(data, cap *= 2);
    }
    fclose(f);
    if (!data) abort();
    LLVMFuzzerTestOneInput(data, n);
    free(data);
    return 0;
}

static int fuzz_main_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of dir, in name order (the same run each time). */
static int fuzz_main_dir(const char *dir, size_t *ran)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
        if (!names) abort();
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, fuzz_main_cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (fuzz_main_file(path) == 0) (*ran)++; else rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t ran = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "fuzz: no such file or directory: %s\n", argv[i]);
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (fuzz_main_dir(argv[i], &ran) != 0) rc = 1;
        } else if (fuzz_main_file(argv[i]) == 0) {
            ran++;
        } else {
            rc = 1;
        }
    }
    printf("%s: %zu inputs ran\n", argv[0], ran);
    return rc || ran == 0;
}
