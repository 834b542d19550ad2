/*
 * sdnotify.h - systemd's notify protocol (sd_notify(3)) without libsystemd:
 * one datagram to $NOTIFY_SOCKET, and the watchdog interval systemd asks
 * for ($WATCHDOG_USEC, for the process $WATCHDOG_PID names).
 */
#ifndef LA_SDNOTIFY_H
#define LA_SDNOTIFY_H

#include <stdint.h>

/* Sends state ("READY=1", "WATCHDOG=1", "STOPPING=1") to $NOTIFY_SOCKET
 * (a path, or "@name" in the abstract namespace). Returns 0 when sent, 1
 * when there is no socket to send to (not run by systemd), or -errno. */
int sdnotify_send(const char *state);

/* The watchdog interval systemd set for this process in ms: $WATCHDOG_USEC
 * when $WATCHDOG_PID is unset or names this process; 0 when there is none
 * (or the variables do not parse). */
int64_t sdnotify_watchdog_ms(void);

#endif
