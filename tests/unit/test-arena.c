/*
 * test-arena.c - the turn's bump allocator (common/arena.c): memory is
 * zeroed and aligned, a reset keeps the blocks the turn took for the next
 * turns (no malloc and no page faults under steady load), a large block
 * goes back at once, and after two quiet seconds a small turn gives the
 * rest back.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "testutil.h"

#define BLOCK 65536

/* Fills about `blocks` ordinary blocks with allocations of 1 KB. */
static void take(arena_t *a, int blocks)
{
    for (int i = 0; i < blocks * 60; i++) {
        unsigned char *p = arena_alloc(a, 1000);
        for (int k = 0; k < 1000; k++) assert_int_equal(p[k], 0);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        memset(p, 0xa5, 1000);
    }
}

static void test_reset_keeps_what_the_turn_took(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a);
    take(&a, 8);
    size_t took = a.used;
    arena_reset(&a);
    assert_int_equal(a.used, 0);
    assert_null(a.head);
    assert_true(a.spare_bytes >= 7 * BLOCK);
    size_t kept = a.spare_bytes;
    /* The next turn as large takes its blocks from the spare ones only,
     * and finds them zeroed where it allocates. */
    take(&a, 8);
    assert_int_equal(a.used, took);
    assert_true(a.spare_bytes <= BLOCK);
    arena_reset(&a);
    assert_int_equal(a.spare_bytes, kept);
    arena_destroy(&a);
    assert_null(a.spare);
    assert_int_equal(a.spare_bytes, 0);
}

static void test_large_block_not_kept(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a);
    unsigned char *big = arena_alloc(&a, 3 * BLOCK);
    big[3 * BLOCK - 1] = 1;
    arena_reset(&a);
    assert_int_equal(a.spare_bytes, 0);
    arena_destroy(&a);
}

static void test_quiet_turn_gives_back(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a);
    take(&a, 20);
    arena_reset(&a);
    size_t kept = a.spare_bytes;
    assert_true(kept >= 16 * BLOCK);
    /* Two seconds or more later (however busy the machine: a lower bound),
     * a small turn keeps only what it took itself. */
    usleep(2100 * 1000);
    take(&a, 1);
    arena_reset(&a);
    assert_true(a.spare_bytes <= 2 * BLOCK);
    arena_destroy(&a);
}

static void test_keep_is_bounded(void **state)
{
    (void)state;
    arena_t a;
    arena_init(&a);
    take(&a, 200); /* about 12 MB in one turn */
    arena_reset(&a);
    assert_true(a.spare_bytes > 0);
    assert_true(a.spare_bytes <= (6u << 20));
    arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_keeps_what_the_turn_took),
        cmocka_unit_test(test_large_block_not_kept),
        cmocka_unit_test(test_quiet_turn_gives_back),
        cmocka_unit_test(test_keep_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
