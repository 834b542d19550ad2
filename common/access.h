/*
 * access.h - which roles may make which request (DESIGN.md "Security"):
 * one table for every daemon, applied by the daemon that owns the data
 * before the handler runs (commit.c). What the table cannot know - that a
 * station desk acts for its own station, a lawyer answers its own offers,
 * an agency sends notices of its own authority - each handler checks with
 * turn_refuse_binding() (daemon.h), where it knows the station or lawyer.
 */
#ifndef LA_ACCESS_H
#define LA_ACCESS_H

/* The roles (ROLE_* bits, principal.h) allowed to make a request with this
 * Request body case; 0 for an unknown one (then no one may). */
unsigned access_roles(int body_case);

/* True when the request reads a person's record (an application, a
 * decision, an assignment, a case's events or notifications): such reads
 * are audited like changes. */
int access_reads_person(int body_case);

#endif
