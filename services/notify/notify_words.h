/*
 * notify_words.h - the Chinese words for the stable codes the events carry:
 * a deadline's key, a termination ground, why an internship candidate got
 * a place or none (and why a place stayed empty),
 * a rule that kept a lawyer from a case, a daemon's name. What the daemons
 * write in English (a deadline's what, a rule's words) is for their logs
 * and --json; a text to a person is worded here, whatever the language of
 * the daemon that made the event. Every function returns a constant, or
 * NULL for a code it does not know.
 */
#ifndef LA_NOTIFY_WORDS_H
#define LA_NOTIFY_WORDS_H

#include <stddef.h>

#include "arena.h"
#include "legalaid.pb-c.h"

/* What deadline dl asks, by its key ("agreement" -> "与受援人签订委托协议")
 * and its place ("出庭参加庭审：第三法庭"); the parameters of a roster key
 * ("checkin:<station>:<start>", "answer:<request id>") go into the words
 * (arena a). Owed by a lawyer, a hearing is attended, else arranged; with
 * the notifying authority in inform, the assignment is told it (art. 36). An unknown key: the
 * daemon's what when it has no Latin letter, else NULL. */
const char *notify_words_deadline(arena_t *a, const Legalaid__Deadline *dl);

/* Legal Aid Law art. 48: the ground of a termination (TerminationReason). */
const char *notify_words_termination(int reason);

/* Why a candidate got an internship place, or none; why a place stayed
 * empty (InternReason, intern.proto). */
const char *notify_words_intern_reason(int reason);

/* A rule that kept lawyers from a case, by dispatch's code ("capacity"). */
const char *notify_words_match_rule(const char *code);

/* A daemon, or the stream it writes, by name ("eligibility" -> "资格审查服务"). */
const char *notify_words_daemon(const char *name);

#endif
