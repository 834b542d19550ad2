/*
 * intake_history.c - the previous system's cases and consultations
 * (issue 14, `legalaidctl import history`), brought in for the reports and
 * for the checks that look back (the person's cases, conflicts of
 * interest).
 *
 * Each entry is checked as of its own day (an application received in 2022
 * is checked as it would have been in 2022), numbered in its year's own
 * history sequence (CENTRE-YEAR-Hnnnnnn, C-CENTRE-YEAR-Hnnnnnn), kept
 * closed (never in the open-cases index, so it neither joins nor blocks a
 * new application) and published with its record, which eligibility and
 * dispatch keep as it was: no rule applied again, no offer, no deadline,
 * and nothing notified. An entry whose source_id was imported before
 * changes nothing, so a file may be imported again after a failure.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "intake_cases.h"
#include "intake_int.h"
#include "store.h"
#include "i18n.h"

#define HISTORY_SOURCE_MAX 64
#define INTAKE_IMPORT_MAX 1000

/* A text of the record longer than max. */
static int intake_history_long(const char *s, size_t max, const char *name, intake_problem_t *pb)
{
    if (s && strlen(s) > max)
        return intake_problem_set(pb, "history.", name, _("%s is longer than %zu bytes"), name, max);
    return 0;
}

/* The source key ("case:" or "consultation:" and the old number) -> ours:
 * 0 with *ours (arena) when imported before, MDB_NOTFOUND, or an error. */
static int intake_history_seen(turn_t *t, const char *list, const char *source, char **ours)
{
    char key[32 + HISTORY_SOURCE_MAX];
    size_t n = (size_t)snprintf(key, sizeof key, "%s:%s", list, source);
    MDB_val k = {n, key}, v;
    int rc = mdb_get(t->txn, intake_history_sources, &k, &v);
    if (rc) return rc == MDB_NOTFOUND ? rc : store_rc(rc);
    *ours = arena_alloc(t->arena, v.mv_size + 1);
    memcpy(*ours, v.mv_data, v.mv_size);
    (*ours)[v.mv_size] = 0;
    return 0;
}

static int intake_history_remember(turn_t *t, const char *list, const char *source,
                                   const char *ours)
{
    char key[32 + HISTORY_SOURCE_MAX];
    size_t n = (size_t)snprintf(key, sizeof key, "%s:%s", list, source);
    MDB_val k = {n, key}, v = {strlen(ours), (void *)ours};
    return store_rc(mdb_put(t->txn, intake_history_sources, &k, &v, MDB_NOOVERWRITE));
}

static int intake_history_source_bad(const char *s, intake_problem_t *pb, const char *path)
{
    const char *why = check_key_text(s, HISTORY_SOURCE_MAX);
    if (why) return intake_problem_set(pb, path, "source_id", _("%s"), why);
    return 0;
}

/* A time of the record: 0 (absent) or between after and now. */
static int intake_history_when_bad(int64_t at, int64_t after, int64_t now, const char *name,
                                   const char *after_name, intake_problem_t *pb)
{
    if (!at) return 0;
    if (at > now) return intake_problem_set(pb, "history.", name, _("%s is in the future"), name);
    if (at < after)
        return intake_problem_set(pb, "history.", name, _("%s is before %s"), name, after_name);
    return 0;
}

/* Checks what the old system recorded of the case. 0, or -1 with *pb. */
static int intake_history_record_bad(const Legalaid__Application *a, int64_t now,
                                     intake_problem_t *pb)
{
    const Legalaid__HistoryRecord *h = a->history;
    if (intake_history_source_bad(h->source_id, pb, "history.")) return -1;
    if (!a->has_received_at || a->received_at <= 0 || a->received_at > now)
        return intake_problem_set(pb, "", "received_at",
                              _("received_at is required for a case of the previous system, and "
                              "not in the future"));
    int64_t decided = h->decided_at ? h->decided_at : a->received_at;
    int64_t assigned = h->assigned_at ? h->assigned_at : decided;
    if (intake_history_when_bad(h->decided_at, a->received_at, now, "decided_at", "received_at",
                                pb) ||
        intake_history_when_bad(h->assigned_at, decided, now, "assigned_at", "decided_at", pb) ||
        intake_history_when_bad(h->concluded_at, assigned, now, "concluded_at", "assigned_at", pb))
        return -1;
    if (intake_history_long(h->lawyer_id, LA_LAWYER_ID_MAX, "lawyer_id", pb) ||
        intake_history_long(h->lawyer_name, LA_NAME_MAX, "lawyer_name", pb) ||
        intake_history_long(h->firm, LA_NAME_MAX, "firm", pb) ||
        intake_history_long(h->result, LA_TEXT_MAX, "result", pb) ||
        intake_history_long(h->decision_reason, LA_TEXT_MAX, "decision_reason", pb))
        return -1;
    int lawyer = (h->lawyer_id && h->lawyer_id[0]) || (h->lawyer_name && h->lawyer_name[0]);
    if (h->granted && !lawyer)
        return intake_problem_set(pb, "history.", "lawyer_id",
                              _("a case granted aid names the lawyer who handled it (lawyer_id or "
                              "lawyer_name)"));
    if (!h->granted && (lawyer || h->concluded_at))
        return intake_problem_set(pb, "history.", "granted",
                              _("a refused case has no lawyer and no conclusion"));
    if (h->amount_recovered_fen < 0)
        return intake_problem_set(pb, "history.", "amount_recovered_fen",
                              _("the amount recovered is not negative"));
    if (h->amount_recovered_fen && !h->concluded_at)
        return intake_problem_set(pb, "history.", "amount_recovered_fen",
                              _("an amount recovered needs the date the case concluded"));
    static const char *const grades[] = {"excellent", "good", "pass", "fail", NULL};
    if (h->grade && h->grade[0]) {
        const char *const *g = grades;
        while (*g && strcmp(*g, h->grade) != 0) g++;
        if (!*g)
            return intake_problem_set(pb, "history.", "grade",
                                  _("the grade is excellent, good, pass or fail (优秀/良好/合格/不合格)"));
        if (!h->concluded_at)
            return intake_problem_set(pb, "history.", "grade",
                                  _("a graded file needs the date the case concluded"));
    }
    for (size_t i = 0; i < h->n_also_aided; i++) {
        const Legalaid__Person *p = h->also_aided[i];
        char path[48];
        snprintf(path, sizeof path, "history.also_aided[%zu].", i);
        if (!p || check_blank(p->name))
            return intake_problem_set(pb, path, "name", _("each person aided is named"));
        const char *why = p->id_number && p->id_number[0]
                              ? intake_person_id_number_problem(p->id_number, a->received_at)
                              : NULL;
        if (why) return intake_problem_set(pb, path, "id_number", _("%s"), why);
    }
    /* As it would have been checked on the day received. */
    return intake_validate_application(a, intake_config.centres, a->received_at, pb);
}

static void intake_history_reject(turn_t *t, Legalaid__ImportResult *res, const char *list,
                                  size_t i, const intake_problem_t *pb)
{
    turn_import_reject(t, res, list, i, pb->field, pb->msg);
}

static int intake_history_cases(turn_t *t, const Legalaid__ImportHistory *in, const char *centre,
                                Legalaid__ImportResult *res)
{
    for (size_t i = 0; i < in->n_cases; i++) {
        Legalaid__Application *a = in->cases[i];
        intake_problem_t pb;
        if (!a || !a->history) {
            turn_import_reject(t, res, "cases", i, "history",
                               _("a case of the previous system carries its record (history)"));
            continue;
        }
        if (a->case_id) a->case_id = NULL; /* numbered here */
        if (intake_history_record_bad(a, t->now, &pb) < 0) {
            intake_history_reject(t, res, "cases", i, &pb);
            continue;
        }
        char *ours;
        int rc = intake_history_seen(t, "case", a->history->source_id, &ours);
        if (rc == 0) {
            res->unchanged++;
            continue;
        }
        if (rc != MDB_NOTFOUND) return rc;
        intake_submit_prepare(t, a);
        rc = intake_submit_keep(t, a, a->centre ? a->centre : centre);
        if (!rc) rc = intake_history_remember(t, "case", a->history->source_id, a->case_id);
        if (!rc) rc = intake_store_case_close(t, a, INTAKE_CLOSED_CONCLUDED, "history");
        /* In the case list as the old system left it. */
        Legalaid__CaseState state = !a->history->granted      ? LEGALAID__CASE_STATE__CASE_REFUSED
                                    : a->history->concluded_at ? LEGALAID__CASE_STATE__CASE_CONCLUDED
                                                               : LEGALAID__CASE_STATE__CASE_ASSIGNED;
        if (!rc)
            rc = intake_cases_follow_state(t, a->case_id, state,
                                           a->history->lawyer_id ? a->history->lawyer_id : "");
        if (!rc) rc = intake_store_count_add(t, "count.history_cases");
        if (rc) return rc;
        res->accepted++;
    }
    return 0;
}

static int intake_history_consultations(turn_t *t, const Legalaid__ImportHistory *in,
                                        const char *centre, Legalaid__ImportResult *res)
{
    for (size_t i = 0; i < in->n_consultations; i++) {
        Legalaid__Consultation *c = in->consultations[i];
        intake_problem_t pb;
        if (!c || intake_history_source_bad(c->source_id, &pb, "")) {
            if (!c) intake_problem_set(&pb, "", "source_id", _("the consultation is empty"));
            intake_history_reject(t, res, "consultations", i, &pb);
            continue;
        }
        if (!c->has_at || c->at <= 0 || c->at > t->now) {
            turn_import_reject(t, res, "consultations", i, "at",
                               _("at is required for a consultation of the previous system, and "
                               "not in the future"));
            continue;
        }
        if (intake_validate_consultation(c, c->at, &pb) < 0) {
            intake_history_reject(t, res, "consultations", i, &pb);
            continue;
        }
        char *ours;
        int rc = intake_history_seen(t, "consultation", c->source_id, &ours);
        if (rc == 0) {
            res->unchanged++;
            continue;
        }
        if (rc != MDB_NOTFOUND) return rc;
        c->id = NULL;
        rc = intake_consult_keep(t, c, centre);
        if (!rc) rc = intake_history_remember(t, "consultation", c->source_id, c->id);
        if (rc) return rc;
        res->accepted++;
    }
    return 0;
}

int intake_history_import(turn_t *t, const Legalaid__ImportHistory *in, Legalaid__Reply *reply)
{
    if (in->n_cases && in->n_consultations) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_history",
                  _("one list a request: cases or consultations"));
        return 0;
    }
    size_t n = in->n_cases + in->n_consultations;
    if (n == 0 || n > INTAKE_IMPORT_MAX) {
        turn_fail(t, reply, LEGALAID__CODE__INVALID_FIELD, "import_history",
                  _("1 to %d entries a request"), INTAKE_IMPORT_MAX);
        return 0;
    }
    char centre[32];
    if (intake_store_default_centre(centre, sizeof centre) < 0) {
        turn_fail(t, reply, LEGALAID__CODE__INTERNAL, "centre", _("no default centre configured"));
        return 0;
    }
    Legalaid__ImportResult *res = turn_import_result(t, n);
    res->has_unchanged = 1;
    int rc = in->n_cases ? intake_history_cases(t, in, centre, res)
                         : intake_history_consultations(t, in, centre, res);
    if (rc) return rc;
    res->has_accepted = 1;
    reply->body_case = LEGALAID__REPLY__BODY_IMPORT_RESULT;
    reply->import_result = res;
    return 0;
}
