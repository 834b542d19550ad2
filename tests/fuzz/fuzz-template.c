/*
 * fuzz-template.c - notify's message templates as an administrator edits
 * them: the first byte picks one of the templates notify needs, the rest
 * replaces its file in a copy of deploy/notify-templates, and the whole
 * set is loaded and checked as notify does at start (notify_template_load).
 * It loads, or an error names the file and line; the file is put back
 * after each run, so every input is judged on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzz.h"
#include "notify_int.h"
#include "notify_template.h"

static notify_template_def_t *fuzz_template_defs;
static size_t fuzz_template_n;
static arena_t fuzz_template_arena;

static void fuzz_template_open(void)
{
    if (fuzz_template_defs) return;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp '%s'/*.txt '%s'/", FUZZ_TEMPLATES_DIR, fuzz_dir());
    if (system(cmd) != 0) abort();
    atexit(notify_template_free);
    arena_init(&fuzz_template_arena);
    fuzz_template_defs = notify_rules_templates(&fuzz_template_arena, &fuzz_template_n);
    if (!fuzz_template_defs || fuzz_template_n == 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    fuzz_template_open();
    char name[256], path[1100], err[1024] = "";
    snprintf(name, sizeof name, "%s.txt", fuzz_template_defs[data[0] % fuzz_template_n].id);
    snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
    /* The file as it was, to put back (NULL: the copy has none). */
    uint8_t *was = NULL;
    size_t was_len = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        was = malloc(65536);
        if (!was) abort();
        was_len = fread(was, 1, 65536, f);
        fclose(f);
    }
    if (fuzz_write(name, data + 1, size - 1) != 0) abort();
    int rc = notify_template_load(fuzz_dir(), fuzz_template_defs, fuzz_template_n, err, sizeof err);
    if (rc != 0 && !err[0]) abort(); /* a refused set must say why */
    if (was ? fuzz_write(name, was, was_len) != 0 : remove(path) != 0) abort();
    free(was);
    return 0;
}
