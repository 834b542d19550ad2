/*
 * test-zwatch.c - ZeroMQ in libuv. ZMQ_FD is edge-triggered: a burst of
 * 10,000 queued messages must all be handled by a callback that drains
 * only 100 per call, with nothing else waking the loop (the only other
 * handle is a failsafe timer whose firing fails the test: 50 s, thousands
 * of times the few milliseconds the drain takes, so a busy machine never
 * trips it, yet it stops a lost wake-up before ctest's limit would).
 */
#include <string.h>
#include <uv.h>
#include <zmq.h>

#include "testutil.h"
#include "zwatch.h"

#define BURST 10000
#define DRAIN_PER_CALL 100
#define FAILSAFE_MS 50000

typedef struct burst {
    zwatch_t watch;
    uv_timer_t failsafe;
    void *router, *dealer;
    int received, calls, failsafe_fired, refill;
} burst_t;

static void burst_closed(zwatch_t *w)
{
    (void)w;
}

static void burst_done(burst_t *b)
{
    zwatch_close(&b->watch, burst_closed);
    uv_close((uv_handle_t *)&b->failsafe, NULL);
}

static void burst_cb(zwatch_t *w)
{
    burst_t *b = w->data;
    b->calls++;
    for (int i = 0; i < DRAIN_PER_CALL; i++) {
        zmq_msg_t id, body;
        zmq_msg_init(&id);
        zmq_msg_init(&body);
        if (zmq_msg_recv(&id, b->router, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&id);
            zmq_msg_close(&body);
            break;
        }
        zmq_msg_recv(&body, b->router, 0);
        zmq_msg_close(&id);
        zmq_msg_close(&body);
        b->received++;
    }
    /* Messages that arrive while we work must not be lost either. */
    if (b->refill && b->received == DRAIN_PER_CALL) {
        for (int i = 0; i < BURST / 2; i++) zmq_send(b->dealer, "late", 4, 0);
    }
    int want = b->refill ? BURST + BURST / 2 : BURST;
    if (b->received == want) burst_done(b);
}

static void failsafe_cb(uv_timer_t *t)
{
    burst_t *b = t->data;
    b->failsafe_fired = 1;
    burst_done(b);
}

static void run_burst(int refill)
{
    void *ctx = zmq_ctx_new();
    burst_t b = {0};
    b.refill = refill;
    b.router = zmq_socket(ctx, ZMQ_ROUTER);
    b.dealer = zmq_socket(ctx, ZMQ_DEALER);
    int zero = 0;
    zmq_setsockopt(b.router, ZMQ_RCVHWM, &zero, sizeof zero);
    zmq_setsockopt(b.dealer, ZMQ_SNDHWM, &zero, sizeof zero);
    zmq_setsockopt(b.router, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(b.dealer, ZMQ_LINGER, &zero, sizeof zero);
    assert_int_equal(zmq_bind(b.router, "inproc://burst"), 0);
    assert_int_equal(zmq_connect(b.dealer, "inproc://burst"), 0);
    for (int i = 0; i < BURST; i++) assert_int_equal(zmq_send(b.dealer, "application", 11, 0), 11);

    uv_loop_t loop;
    uv_loop_init(&loop);
    b.watch.data = &b;
    assert_int_equal(zwatch_start(&loop, &b.watch, b.router, burst_cb), 0);
    uv_timer_init(&loop, &b.failsafe);
    b.failsafe.data = &b;
    uv_timer_start(&b.failsafe, failsafe_cb, FAILSAFE_MS, 0);
    uv_run(&loop, UV_RUN_DEFAULT);

    assert_int_equal(b.failsafe_fired, 0);
    assert_int_equal(b.received, refill ? BURST + BURST / 2 : BURST);
    assert_true(b.calls >= BURST / DRAIN_PER_CALL);
    assert_int_equal(uv_loop_close(&loop), 0);
    zmq_close(b.router);
    zmq_close(b.dealer);
    zmq_ctx_term(ctx);
}

static void test_burst_of_10000(void **state)
{
    (void)state;
    run_burst(0);
}

static void test_messages_arriving_mid_drain(void **state)
{
    (void)state;
    run_burst(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_of_10000),
        cmocka_unit_test(test_messages_arriving_mid_drain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
