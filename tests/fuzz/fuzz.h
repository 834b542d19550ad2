/*
 * fuzz.h - what every fuzz target shares: the libFuzzer entry each target
 * defines, and the scratch directory a target opens its daemon or writes
 * its file in (removed at exit).
 *
 * A target is built two ways: with clang's -fsanitize=fuzzer as a libFuzzer
 * binary (cmake -DLEGALAID_FUZZ=ON, tests/fuzz/run-fuzz.sh), and with
 * fuzz-main.c as a replay of its committed corpus (tests/fuzz/corpus/NAME,
 * ctest unit/fuzz-corpus-NAME): every seed and every crash once found runs
 * in every CI build.
 */
#ifndef LA_FUZZ_H
#define LA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The target's scratch directory, made on the first call. */
const char *fuzz_dir(void);
/* Writes size bytes to dir/name (replacing it). 0, or -1. */
int fuzz_write(const char *name, const uint8_t *data, size_t size);

/* fuzz-daemon.c: the daemon FUZZ_SERVICE on fuzz_dir() (aborts when it
 * does not open). */
daemon_t *fuzz_daemon_open(void);

#endif
