/*
 * notify_render.h - the texts of the notifications: short Chinese
 * messages like an SMS, one plain function per kind (they become template
 * files in a later issue). Every function returns a string in the arena a;
 * none of them logs anything. Dates are local (common/clock.h).
 */
#ifndef LA_NOTIFY_RENDER_H
#define LA_NOTIFY_RENDER_H

#include <stdint.h>

#include "arena.h"
#include "legalaid.pb-c.h"

/* A phone for display: "13904721234" -> "139****1234"; "****" for one too
 * short to mask; "-" when there is none. */
char *notify_phone_mask(arena_t *a, const char *phone);

/* "Legal Aid Law art. 25(1)(1)" -> "《法律援助法》第25条第1款第1项"; a
 * citation in any other form is returned as it is. */
char *notify_render_article(arena_t *a, const char *article);

/* "2026年3月5日" */
char *notify_render_date(arena_t *a, int64_t ms);

/* To the applicant: the application is accepted, with its case number. */
char *notify_render_receipt(arena_t *a, const char *case_id);
/* To the notifying authority: its notice is received (art. 36). */
char *notify_render_notice_ack(arena_t *a, const char *case_id, const Legalaid__Authority *auth);
/* To the applicant: the decision, its articles and its deadline; for
 * missing materials, all of them in one notice (art. 43(2)). */
char *notify_render_decision(arena_t *a, const char *case_id, const Legalaid__Decision *d);
/* To the applicant: which lawyer was assigned. */
char *notify_render_assignment_applicant(arena_t *a, const char *case_id,
                                         const Legalaid__Lawyer *l);
/* To the lawyer: the case and whom to contact. applicant_name may be NULL. */
char *notify_render_assignment_lawyer(arena_t *a, const char *case_id, const char *applicant_name,
                                      const Legalaid__Authority *auth);
/* To the notifying authority: who was appointed (art. 36). */
char *notify_render_appointment(arena_t *a, const char *case_id, const Legalaid__Authority *auth,
                                const Legalaid__Lawyer *l);
/* To the applicant: supplemented materials received (art. 43(2)). */
char *notify_render_materials(arena_t *a, const char *case_id,
                              const Legalaid__MaterialsSupplemented *m);
/* To the applicant: the objection is filed, and when it will be decided (art. 49). */
char *notify_render_objection_filed(arena_t *a, const char *case_id, const Legalaid__Objection *o);
/* To the applicant: the justice bureau's decision on the objection (art. 49). */
char *notify_render_objection_decided(arena_t *a, const char *case_id, const Legalaid__Objection *o);
/* To the lawyer: a duty shift. */
char *notify_render_shift(arena_t *a, const Legalaid__Shift *s);

#endif
