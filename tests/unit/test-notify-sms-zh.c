/*
 * test-notify-sms-zh.c - every text notify sends reads in Chinese (issue
 * 15, item 1). A notify daemon is fed events as the daemons make them:
 * every outcome, termination ground, release kind, grade, authority report,
 * duty request, gap and change, a dead letter from each daemon, each
 * internship event with every reason a match gives, and every
 * deadline key eligibility, dispatch and roster set (read from their source,
 * so that a new key without Chinese words fails here), owed by each party,
 * reminded and breached. Every template of the rule table must be rendered
 * at least once, and no text may hold an ASCII word: a run of two Latin
 * letters is allowed only in a case number or another ID (BT-2026-000001,
 * BT-COURT-02, L-001), a URL, or the one command a staff text quotes
 * (legalaidctl redrive DAEMON ID). Every citation the daemons write
 * converts to Chinese. The shipped templates load: none names a field its
 * event lacks (notify_template_load rejects one).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "notify.h"
#include "notify_config.h"
#include "notify_int.h"
#include "notify_render.h"
#include "notify_words.h"
#include "test-notify.h"
#include "testutil.h"
#include "matchrule.h"

#define T0 1772416800000LL /* 2026-03-02 10:00 Beijing time */
#define MAX_NOTES 4096
#define MAX_FOUND 128

typedef struct fixture {
    test_daemon_t td; /* first: see test_fixture_setup */
    uint64_t seq[8];  /* per upstream */
    uint64_t seen;
    Legalaid__Notification *notes[MAX_NOTES];
    size_t n;
    int cases;
} fixture_t;

static const char *const upstreams[] = {"intake", "eligibility", "dispatch", "roster", "notify"};

static void feed(fixture_t *f, const char *upstream, Legalaid__Event *ev)
{
    size_t u = 0;
    while (strcmp(upstreams[u], upstream) != 0) u++;
    test_feed(f->td.d, upstream, &f->seq[u], ev);
}

static const char *next_case(fixture_t *f)
{
    static char ids[512][20];
    snprintf(ids[f->cases], sizeof ids[0], "BT-2026-%06d", f->cases + 1);
    return ids[f->cases++];
}

static void take(fixture_t *f)
{
    test_notify_take(f->td.d, &f->seen, f->notes, &f->n, MAX_NOTES);
}

/* ---- the check ----------------------------------------------------------- */

static int is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A token that is no word: an ID of capitals, digits and hyphens with a
 * digit in it, or a URL. */
static int token_allowed(const char *s, size_t n)
{
    if ((n > 7 && strncmp(s, "http://", 7) == 0) || (n > 8 && strncmp(s, "https://", 8) == 0))
        return 1;
    int digit = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digit = 1;
        else if (!(s[i] >= 'A' && s[i] <= 'Z') && s[i] != '-')
            return 0;
    }
    return digit;
}

/* The first ASCII word of text outside the allow-list (into word), or 0. */
static int ascii_word(const char *text, char *word, size_t size)
{
    static const char command[] = "legalaidctl redrive ";
    const char *p = text;
    while (*p) {
        if (strncmp(p, command, sizeof command - 1) == 0) {
            /* The command and the daemon it names, which legalaidctl reads. */
            p += sizeof command - 1;
            while (*p >= 'a' && *p <= 'z') p++;
            continue;
        }
        unsigned char c = (unsigned char)*p;
        if (c < 0x80 && c > ' ' && c != '(' && c != ')' && c != ',' && c != ';') {
            const char *s = p;
            while (*p && (unsigned char)*p < 0x80 && *p > ' ' && *p != '(' && *p != ')' &&
                   *p != ',' && *p != ';')
                p++;
            size_t n = (size_t)(p - s);
            int two = 0;
            for (size_t i = 0; i + 1 < n; i++) two |= is_letter(s[i]) && is_letter(s[i + 1]);
            if (two && !token_allowed(s, n)) {
                snprintf(word, size, "%.*s", (int)n, s);
                return 1;
            }
            continue;
        }
        p++;
    }
    return 0;
}

static void test_allow_list_catches_words(void **state)
{
    (void)state;
    char w[64];
    assert_false(ascii_word("案件BT-2026-000001，工作站BT-COURT-02，律师L-001。", w, sizeof w));
    assert_false(ascii_word("请点击 https://aid.example.cn/o/abc 接受", w, sizeof w));
    assert_false(ascii_word("请执行 legalaidctl redrive dispatch 3 重新处理", w, sizeof w));
    assert_false(ascii_word("A岗（主班），B岗", w, sizeof w));
    assert_true(ascii_word("“sign the entrustment agreement”", w, sizeof w));
    assert_string_equal(w, "sign");
    assert_true(ascii_word("（Legal Aid Law art. 50）", w, sizeof w));
    assert_true(ascii_word("状态HEARING_SET", w, sizeof w));
}

/* ---- what the daemons' source says --------------------------------------- */

static char *slurp(const char *rel)
{
    char path[1024];
    test_notify_source_path(rel, path, sizeof path);
    FILE *fp = fopen(path, "rb");
    if (!fp) fail_msg("cannot read %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    return s;
}

static void add_found(char found[][64], size_t *n, const char *s, size_t len)
{
    char v[64];
    snprintf(v, sizeof v, "%.*s", (int)len, s);
    for (size_t i = 0; i < *n; i++)
        if (strcmp(found[i], v) == 0) return;
    assert_true(*n < MAX_FOUND);
    snprintf(found[(*n)++], 64, "%s", v);
}

/* Every match of group 1 of pattern in the files, added to found. */
static void scan(const char *const *files, const char *pattern, char found[][64], size_t *n)
{
    regex_t re;
    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED), 0);
    for (const char *const *file = files; *file; file++) {
        char *text = slurp(*file);
        regmatch_t m[2];
        for (const char *p = text; regexec(&re, p, 2, m, 0) == 0; p += m[0].rm_eo)
            add_found(found, n, p + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
        free(text);
    }
    regfree(&re);
}

/* The files that set deadlines (turn_deadline) in each daemon. */
static const char *const deadline_files[] = {
    "services/eligibility/eligibility_deadline.c", "services/dispatch/dispatch_offer.c",
    "services/dispatch/dispatch_end.c",            "services/dispatch/dispatch_lifecycle.c",
    "services/dispatch/dispatch_agency.c",         "services/dispatch/dispatch_tick.c",
    "services/roster/roster_deadline.c",           "services/dispatch/dispatch_intern_round.c",
    "services/dispatch/dispatch_intern_answer.c",  NULL};

/* The deadline keys: a literal as turn_deadline's or dispatch_tick_missed's
 * key, or the "<prefix>:" of a key made with arena_printf (roster). */
static size_t deadline_keys(char keys[][64])
{
    size_t n = 0;
    scan(deadline_files, "turn_deadline\\([[:space:]]*t,[[:space:]]*[a-zA-Z>-]+,[[:space:]]*\"([a-z_]+)\"",
         keys, &n);
    scan(deadline_files, "turn_deadline_met\\([[:space:]]*t,[[:space:]]*[a-zA-Z>-]+,[[:space:]]*\"([a-z_]+)\"",
         keys, &n);
    scan(deadline_files, "dispatch_tick_missed\\([[:space:]]*t,[[:space:]]*a,[[:space:]]*\"([a-z_]+)\"",
         keys, &n);
    scan(deadline_files, "\"([a-z_]+:)%s", keys, &n);
    return n;
}

/* Every citation the daemons write: a literal "<statute> art. <list>", or
 * eligibility's LAW "art. <list>" (LAW is "Legal Aid Law "). */
static size_t citations(char cites[][64])
{
    static const char *const files[] = {
        "services/eligibility/eligibility_deadline.c", "services/eligibility/eligibility_means.c",
        "services/eligibility/eligibility_scope.c",    "services/eligibility/eligibility_case.c",
        "services/eligibility/eligibility_decision.c", "services/eligibility/eligibility_lifecycle.c",
        "services/eligibility/eligibility_dispatch.c", "services/dispatch/dispatch_end.c",
        "services/dispatch/dispatch_offer.c",          "services/dispatch/dispatch_lifecycle.c",
        "services/dispatch/dispatch_agency.c",         "services/dispatch/dispatch_tick.c",
        NULL};
    char raw[MAX_FOUND][64];
    size_t nraw = 0, n = 0;
    scan(files, "LAW \"(art\\. [0-9(), %ud]+)\"", raw, &nraw);
    for (size_t i = 0; i < nraw; i++) {
        char c[96];
        snprintf(c, sizeof c, "Legal Aid Law %s", raw[i]);
        add_found(cites, &n, c, strlen(c));
    }
    scan(deadline_files, "\"([^\" (;,][^\"(;,]{0,40} art\\. [0-9(), ]+)\"", cites, &n);
    /* A citation made with regulation_cite_in(REG_..., "<list>", 0): its stable form. */
    static const struct {
        const char *pattern, *statute;
    } coded[] = {
        {"REG_LEGAL_AID_LAW, \"([0-9(), ]+)\"", "Legal Aid Law"},
        {"REG_LEGAL_AID_PROCEDURE, \"([0-9(), ]+)\"", "Legal Aid Procedure Provisions"},
    };
    for (size_t k = 0; k < sizeof coded / sizeof coded[0]; k++) {
        char arts[MAX_FOUND][64];
        size_t na = 0;
        scan(files, coded[k].pattern, arts, &na);
        for (size_t i = 0; i < na; i++) {
            char c[96];
            snprintf(c, sizeof c, "%s art. %s", coded[k].statute, arts[i]);
            add_found(cites, &n, c, strlen(c));
        }
    }
    /* A format's number ("art. 48(%d)") stands for one. */
    for (size_t i = 0; i < n; i++) {
        char *pct = strchr(cites[i], '%');
        if (pct) memmove(pct + 1, pct + 2, strlen(pct + 2) + 1), pct[0] = '1';
    }
    return n;
}

static void test_citations_read_in_chinese(void **state)
{
    (void)state;
    char cites[MAX_FOUND][64], w[64];
    size_t n = citations(cites);
    assert_true(n >= 20);
    arena_t arena, *a = &arena;
    arena_init(a);
    int seen_list = 0, seen_rules = 0;
    for (size_t i = 0; i < n; i++) {
        const char *zh = notify_render_article(a, cites[i]);
        if (ascii_word(zh, w, sizeof w)) fail_msg("citation \"%s\" renders \"%s\"", cites[i], zh);
        seen_list |= strcmp(cites[i], "Legal Aid Law art. 57, 59") == 0;
        seen_rules |= strstr(cites[i], "Legal Aid Procedure Provisions art. 27") != NULL;
    }
    assert_true(seen_list && seen_rules);
    assert_string_equal(notify_render_article(a, "Legal Aid Law art. 57, 59"),
                        "《法律援助法》第57条、第59条");
    assert_string_equal(notify_render_article(a, "Legal Aid Law art. 36, 43(1)"),
                        "《法律援助法》第36条、第43条第1款");
    assert_string_equal(notify_render_article(a, "法律援助法实施程序规定 art. 27"),
                        "《法律援助法实施程序规定》第27条");
    assert_string_equal(notify_render_article(a, "CPL interpretation art. 50"), "《刑诉法解释》第50条");
    assert_string_equal(notify_render_article(a, "Legal Aid Law art. 31(4)"),
                        "《法律援助法》第31条第4项");
    assert_string_equal(notify_render_article(a, "Legal Aid Law art. 25(1)(1)"),
                        "《法律援助法》第25条第1款第1项");
    arena_destroy(a);
}

static void test_every_deadline_key_has_words(void **state)
{
    (void)state;
    char keys[MAX_FOUND][64];
    size_t n = deadline_keys(keys);
    /* eligibility 5, dispatch 7 (assignment shared), roster 2. */
    assert_true(n >= 13);
    arena_t arena, *a = &arena;
    arena_init(a);
    for (size_t i = 0; i < n; i++) {
        Legalaid__Deadline dl = LEGALAID__DEADLINE__INIT;
        dl.key = arena_printf(a, "%s%s", keys[i], strchr(keys[i], ':') ? "BT-DC-01:1" : "");
        dl.what = "an English what"; /* never the words of a text */
        if (!notify_words_deadline(a, &dl)) fail_msg("deadline key \"%s\" has no Chinese words", keys[i]);
    }
    arena_destroy(a);
}

/* ---- the events ---------------------------------------------------------- */

static int setup(void **state)
{
    test_notify_templates(); /* the shipped set loads: every field exists */
    return test_fixture_setup(state, sizeof(fixture_t), &notify_service, T0);
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    for (size_t i = 0; i < f->n; i++) legalaid__notification__free_unpacked(f->notes[i], NULL);
    return test_fixture_teardown(state);
}

static Legalaid__Lawyer lawyer = {PROTOBUF_C_MESSAGE_INIT(&legalaid__lawyer__descriptor),
                                  .id = "L-001",
                                  .name = "王明",
                                  .firm = "内蒙古正义律师事务所",
                                  .phone = "13900000001"};

static void feed_intake(fixture_t *f, const char *case_id, int notice)
{
    test_received_t p;
    test_received_init(&p, case_id, NULL);
    char *materials[] = {"申请表", "身份证明"};
    p.app.materials = materials;
    p.app.n_materials = 2;
    if (notice) {
        test_received_notice(&p, LEGALAID__MANDATORY_GROUND__LIFE_OR_DEATH,
                             LEGALAID__AUTHORITY_KIND__POLICE, "包头市公安局昆都仑区分局");
        p.authority.reference = "昆公刑通〔2026〕12号";
    }
    feed(f, "intake", &p.ev);
}

static void feed_decisions(fixture_t *f)
{
    const ProtobufCEnumDescriptor *e = &legalaid__outcome__descriptor;
    for (unsigned i = 0; i < e->n_values; i++) {
        const char *case_id = next_case(f);
        feed_intake(f, case_id, 0);
        Legalaid__Decision d = LEGALAID__DECISION__INIT;
        Legalaid__Priority prio = LEGALAID__PRIORITY__INIT;
        char *articles[] = {"Legal Aid Law art. 31(5)", "Legal Aid Law art. 41",
                            "Legal Aid Law art. 43(2)"};
        char *missing[] = {"经济困难状况说明表", "身份证明"};
        d.case_id = (char *)case_id;
        d.outcome = e->values[i].value;
        d.has_outcome = 1;
        d.articles = articles;
        d.n_articles = 3;
        d.reason = "the matter is outside the scope of art. 31"; /* the log's */
        d.missing_materials = missing;
        d.n_missing_materials = 2;
        d.materials_due_at = d.assign_due_at = d.verification_due_at = T0 + 5 * MS_PER_DAY;
        d.has_materials_due_at = d.has_assign_due_at = d.has_verification_due_at = 1;
        prio.emergency = prio.same_day = i % 2;
        d.priority = &prio;
        Legalaid__EligibilityDecided b = LEGALAID__ELIGIBILITY_DECIDED__INIT;
        b.decision = &d;
        Legalaid__Event ev = LEGALAID__EVENT__INIT;
        ev.case_id = (char *)case_id;
        ev.body_case = LEGALAID__EVENT__BODY_ELIGIBILITY_DECIDED;
        ev.eligibility_decided = &b;
        feed(f, "eligibility", &ev);
    }
}

static void feed_applicant_events(fixture_t *f)
{
    const char *case_id = next_case(f);
    feed_intake(f, case_id, 0);
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;
    Legalaid__MaterialsSupplemented ms = LEGALAID__MATERIALS_SUPPLEMENTED__INIT;
    char *materials[] = {"经济困难状况说明表"};
    ms.case_id = (char *)case_id;
    ms.materials = materials;
    ms.n_materials = 1;
    ev.body_case = LEGALAID__EVENT__BODY_MATERIALS_SUPPLEMENTED;
    ev.materials_supplemented = &ms;
    feed(f, "intake", &ev);

    Legalaid__Objection o = LEGALAID__OBJECTION__INIT;
    o.case_id = (char *)case_id;
    o.reason = "I disagree"; /* the applicant's own words: never in a text */
    o.due_at = T0 + 5 * MS_PER_DAY;
    o.has_due_at = 1;
    Legalaid__ObjectionFiled of = LEGALAID__OBJECTION_FILED__INIT;
    of.objection = &o;
    ev.body_case = LEGALAID__EVENT__BODY_OBJECTION_FILED;
    ev.objection_filed = &of;
    feed(f, "eligibility", &ev);
    const ProtobufCEnumDescriptor *e = &legalaid__objection_state__descriptor;
    for (unsigned i = 0; i < e->n_values; i++) {
        o.state = e->values[i].value;
        o.has_state = 1;
        Legalaid__ObjectionDecided od = LEGALAID__OBJECTION_DECIDED__INIT;
        od.objection = &o;
        ev.body_case = LEGALAID__EVENT__BODY_OBJECTION_DECIDED;
        ev.objection_decided = &od;
        feed(f, "eligibility", &ev);
    }
}

static void feed_dispatch_events(fixture_t *f)
{
    const char *case_id = next_case(f);
    feed_intake(f, case_id, 1);
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = (char *)case_id;

    Legalaid__Offer offer = LEGALAID__OFFER__INIT;
    offer.lawyer = &lawyer;
    offer.offered_at = T0;
    offer.expires_at = T0 + MS_PER_DAY;
    offer.has_offered_at = offer.has_expires_at = 1;
    Legalaid__LawyerOffered lo = LEGALAID__LAWYER_OFFERED__INIT;
    lo.case_id = (char *)case_id;
    lo.offer = &offer;
    ev.body_case = LEGALAID__EVENT__BODY_LAWYER_OFFERED;
    ev.lawyer_offered = &lo;
    feed(f, "dispatch", &ev);

    Legalaid__Authority police = LEGALAID__AUTHORITY__INIT;
    police.kind = LEGALAID__AUTHORITY_KIND__POLICE;
    police.has_kind = 1;
    police.name = "包头市公安局昆都仑区分局";
    police.reference = "昆公刑通〔2026〕12号";
    Legalaid__Assignment as = LEGALAID__ASSIGNMENT__INIT;
    as.case_id = (char *)case_id;
    as.lawyer = &lawyer;
    as.authority = &police;
    as.reason = "1 of 3 may take it; chosen as furthest behind the fair share";
    Legalaid__LawyerAssigned la = LEGALAID__LAWYER_ASSIGNED__INIT;
    la.assignment = &as;
    la.authority = &police;
    ev.body_case = LEGALAID__EVENT__BODY_LAWYER_ASSIGNED;
    ev.lawyer_assigned = &la;
    feed(f, "dispatch", &ev);

    /* Nobody may take it: every rule dispatch has, by its code. */
    char codes[MAX_FOUND][64];
    size_t ncodes = 0;
    for (unsigned v = 0; v < legalaid__match_rule__descriptor.n_values; v++) {
        const char *code = matchrule_code(legalaid__match_rule__descriptor.values[v].value);
        if (code) add_found(codes, &ncodes, code, strlen(code));
    }
    assert_int_equal(ncodes, 10);
    Legalaid__RuleCount rc[MAX_FOUND], *rcp[MAX_FOUND];
    for (size_t i = 0; i < ncodes; i++) {
        legalaid__rule_count__init(&rc[i]);
        rc[i].code = codes[i];
        rc[i].rule = "an English rule"; /* an older record's words: never in an SMS */
        rc[i].excluded = (uint32_t)i + 1;
        rc[i].has_excluded = 1;
        rcp[i] = &rc[i];
        if (!notify_words_match_rule(codes[i])) fail_msg("rule \"%s\" has no Chinese words", codes[i]);
    }
    Legalaid__MatchExplanation why = LEGALAID__MATCH_EXPLANATION__INIT;
    why.pool = 55;
    why.has_pool = 1;
    why.filtered = rcp;
    why.n_filtered = ncodes;
    Legalaid__AssignmentQueued q = LEGALAID__ASSIGNMENT_QUEUED__INIT;
    q.case_id = (char *)case_id;
    q.reason = "no provider of the 55 in the pool may take this case";
    q.state = LEGALAID__ASSIGNMENT_STATE__NEEDS_STAFF;
    q.has_state = 1;
    q.explanation = &why;
    ev.body_case = LEGALAID__EVENT__BODY_ASSIGNMENT_QUEUED;
    ev.assignment_queued = &q;
    feed(f, "dispatch", &ev);
    q.explanation = NULL; /* from a dispatch before the codes */
    feed(f, "dispatch", &ev);

    const ProtobufCEnumDescriptor *e = &legalaid__release_kind__descriptor;
    for (unsigned i = 0; i < e->n_values; i++) {
        Legalaid__LawyerReleased r = LEGALAID__LAWYER_RELEASED__INIT;
        r.case_id = (char *)case_id;
        r.lawyer_id = "L-001";
        r.kind = e->values[i].value;
        r.has_kind = 1;
        r.reason = "the recipient asked, with evidence";
        ev.body_case = LEGALAID__EVENT__BODY_LAWYER_RELEASED;
        ev.lawyer_released = &r;
        feed(f, "dispatch", &ev);
    }
    e = &legalaid__grade__descriptor;
    for (unsigned i = 0; i < e->n_values; i++) {
        Legalaid__FileReviewed r = LEGALAID__FILE_REVIEWED__INIT;
        r.case_id = (char *)case_id;
        r.lawyer_id = "L-001";
        r.grade = e->values[i].value;
        r.has_grade = 1;
        r.final_score = 88;
        r.has_final_score = 1;
        ev.body_case = LEGALAID__EVENT__BODY_FILE_REVIEWED;
        ev.file_reviewed = &r;
        feed(f, "dispatch", &ev);
    }
    e = &legalaid__case_event_kind__descriptor;
    for (unsigned i = 0; i < 2 * e->n_values; i++) {
        Legalaid__CaseEventReported r = LEGALAID__CASE_EVENT_REPORTED__INIT;
        r.case_id = (char *)case_id;
        r.kind = e->values[i / 2].value;
        r.has_kind = 1;
        r.at = T0 + 10 * MS_PER_DAY;
        r.has_at = 1;
        r.place = "昆都仑区人民法院第三法庭";
        r.result = "判处有期徒刑三年";
        r.authority = "昆都仑区人民法院";
        r.lawyer_id = i % 2 ? "L-001" : NULL;
        r.short_notice = r.has_short_notice = 1;
        ev.body_case = LEGALAID__EVENT__BODY_CASE_EVENT_REPORTED;
        ev.case_event_reported = &r;
        feed(f, "dispatch", &ev);
    }
    e = &legalaid__termination_reason__descriptor;
    for (unsigned i = 0; i < e->n_values; i++) {
        Legalaid__CaseTerminated t = LEGALAID__CASE_TERMINATED__INIT;
        int v = e->values[i].value;
        if (v && !notify_words_termination(v)) fail_msg("ground %d has no Chinese words", v);
        t.case_id = (char *)case_id;
        t.reason = v;
        t.has_reason = 1;
        char article[64];
        snprintf(article, sizeof article, "Legal Aid Law art. 48(%d)", v);
        t.article = v ? article : "";
        t.detail = "the applicant's income is above the standard"; /* eligibility's log */
        t.objection_route = "... (Legal Aid Law art. 49)";
        t.objection_body = "包头市司法局";
        t.lawyer_id = "L-001";
        ev.body_case = LEGALAID__EVENT__BODY_CASE_TERMINATED;
        ev.case_terminated = &t;
        feed(f, "dispatch", &ev);
    }
}

static Legalaid__Shift shift(const char *station, const char *id, const char *name,
                             Legalaid__ShiftRole role, Legalaid__DutyMode mode)
{
    Legalaid__Shift s = LEGALAID__SHIFT__INIT;
    s.station = (char *)station;
    s.lawyer_id = (char *)id;
    s.lawyer_name = (char *)name;
    s.lawyer_phone = "13900000002";
    s.starts_at = T0 + MS_PER_DAY;
    s.ends_at = T0 + MS_PER_DAY + 8 * 3600000LL;
    s.has_starts_at = s.has_ends_at = 1;
    s.role = role;
    s.mode = mode;
    s.has_role = s.has_mode = 1;
    return s;
}

static void feed_roster_events(fixture_t *f)
{
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    const ProtobufCEnumDescriptor *modes = &legalaid__duty_mode__descriptor;
    for (unsigned i = 0; i < 2 * modes->n_values; i++) {
        Legalaid__Shift s =
            shift("BT-COURT-02", "L-002", "赵六",
                  i % 2 ? LEGALAID__SHIFT_ROLE__BACKUP : LEGALAID__SHIFT_ROLE__PRIMARY,
                  modes->values[i / 2].value);
        Legalaid__ShiftAssigned sa = LEGALAID__SHIFT_ASSIGNED__INIT;
        sa.shift = &s;
        ev.body_case = LEGALAID__EVENT__BODY_SHIFT_ASSIGNED;
        ev.shift_assigned = &sa;
        feed(f, "roster", &ev);
    }
    const ProtobufCEnumDescriptor *kinds = &legalaid__duty_request_kind__descriptor;
    const ProtobufCEnumDescriptor *routes = &legalaid__routed_to__descriptor;
    for (unsigned k = 0; k < kinds->n_values; k++)
        for (unsigned r = 0; r < routes->n_values; r++)
            for (unsigned x = 0; x < 2; x++) {
                Legalaid__DutyRequest q = LEGALAID__DUTY_REQUEST__INIT;
                q.id = "DR-2026-000001";
                q.station = "BT-DC-01";
                q.kind = kinds->values[k].value;
                q.person_name = "刘某";
                q.detail = "needs a lawyer now";
                q.routed_to = routes->values[r].value;
                q.has_kind = q.has_routed_to = 1;
                if (q.routed_to != LEGALAID__ROUTED_TO__ROUTED_CENTRE) {
                    q.lawyer_id = "L-003";
                    q.lawyer_name = "孙三";
                    q.lawyer_phone = "13900000003";
                }
                q.ack_due_at = T0 + 1800000;
                q.answer_due_at = T0 + MS_PER_DAY;
                q.meeting_slot_at = T0 + 3600000;
                q.has_ack_due_at = q.has_meeting_slot_at = 1;
                q.has_answer_due_at = x;
                q.escalations = x;
                q.has_escalations = 1;
                Legalaid__DutyRequestAssigned a = LEGALAID__DUTY_REQUEST_ASSIGNED__INIT;
                a.request = &q;
                ev.body_case = LEGALAID__EVENT__BODY_DUTY_REQUEST_ASSIGNED;
                ev.duty_request_assigned = &a;
                feed(f, "roster", &ev);
            }
    Legalaid__Shift b = shift("BT-COURT-02", "L-004", "周五", LEGALAID__SHIFT_ROLE__BACKUP,
                              LEGALAID__DUTY_MODE__ON_SITE);
    Legalaid__Shift a = shift("BT-COURT-02", "L-002", "赵六", LEGALAID__SHIFT_ROLE__PRIMARY,
                              LEGALAID__DUTY_MODE__ON_SITE);
    Legalaid__BackupActivated ba = LEGALAID__BACKUP_ACTIVATED__INIT;
    ba.backup = &b;
    ba.absent = &a;
    ev.body_case = LEGALAID__EVENT__BODY_BACKUP_ACTIVATED;
    ev.backup_activated = &ba;
    feed(f, "roster", &ev);
    const ProtobufCEnumDescriptor *gaps = &legalaid__gap_reason__descriptor;
    for (unsigned i = 0; i < gaps->n_values; i++) {
        Legalaid__CoverageGap g = LEGALAID__COVERAGE_GAP__INIT;
        g.station = "BT-COURT-02";
        g.starts_at = T0;
        g.ends_at = T0 + 8 * 3600000LL;
        g.has_starts_at = g.has_ends_at = 1;
        g.reason = gaps->values[i].value;
        g.has_reason = 1;
        g.request_id = "DR-2026-000002";
        g.detail = "nobody checked in";
        ev.body_case = LEGALAID__EVENT__BODY_COVERAGE_GAP;
        ev.coverage_gap = &g;
        feed(f, "roster", &ev);
    }
    static const char *const because[] = {"SW-000001", "LV-000001"};
    for (unsigned i = 0; i < 2; i++) {
        Legalaid__ShiftChanged ch = LEGALAID__SHIFT_CHANGED__INIT;
        ch.before = &a;
        ch.after = &b;
        ch.because = (char *)because[i];
        ev.body_case = LEGALAID__EVENT__BODY_SHIFT_CHANGED;
        ev.shift_changed = &ch;
        feed(f, "roster", &ev);
    }
}

/* The internship case whose candidate the deadlines below may be owned by. */
#define INTERN_CASE "INT-2026-A20261501000123"

/* Every internship event and answer; a published match leaving candidates
 * and places with each reason there is (a reason without Chinese words
 * fails here). */
static void feed_intern_events(fixture_t *f)
{
    Legalaid__InternCandidate cand = LEGALAID__INTERN_CANDIDATE__INIT;
    cand.period = "2026";
    cand.certificate = "A20261501000123";
    cand.name = "韩梅";
    cand.phone = "13900000123";
    cand.county = "昆都仑区";
    Legalaid__InternStanding st = LEGALAID__INTERN_STANDING__INIT;
    st.candidate = &cand;
    st.case_id = INTERN_CASE;
    st.place_id = "P-2026-01";
    st.firm = "内蒙古正义律师事务所";
    st.supervisor_name = "王明";
    st.contact_phone = "04725100000";
    st.starts_on = "2026-04-01";
    st.reply_by = T0 + 3 * MS_PER_DAY;
    st.wish_rank = 1;
    st.has_reply_by = st.has_wish_rank = st.has_state = 1;
    st.state = LEGALAID__INTERN_STATE__INTERN_OFFERED;
    Legalaid__Event ev = LEGALAID__EVENT__INIT;
    ev.case_id = INTERN_CASE;
    Legalaid__InternOffered io = LEGALAID__INTERN_OFFERED__INIT;
    io.standing = &st;
    ev.body_case = LEGALAID__EVENT__BODY_INTERN_OFFERED;
    ev.intern_offered = &io;
    feed(f, "dispatch", &ev);
    static const Legalaid__InternState answers[] = {LEGALAID__INTERN_STATE__INTERN_ACCEPTED,
                                                    LEGALAID__INTERN_STATE__INTERN_DECLINED,
                                                    LEGALAID__INTERN_STATE__INTERN_CONFIRMED};
    Legalaid__InternAnswered ia = LEGALAID__INTERN_ANSWERED__INIT;
    ia.standing = &st;
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        st.state = answers[i];
        ev.body_case = LEGALAID__EVENT__BODY_INTERN_ANSWERED;
        ev.intern_answered = &ia;
        feed(f, "dispatch", &ev);
    }
    st.state = LEGALAID__INTERN_STATE__INTERN_LAPSED;
    Legalaid__InternLapsed il = LEGALAID__INTERN_LAPSED__INIT;
    il.standing = &st;
    ev.body_case = LEGALAID__EVENT__BODY_INTERN_LAPSED;
    ev.intern_lapsed = &il;
    feed(f, "dispatch", &ev);

    const ProtobufCEnumDescriptor *reasons = &legalaid__intern_reason__descriptor;
    Legalaid__InternMatchRow rows[16], *left[16];
    Legalaid__InternPlaceRow places[16], *empty[16];
    assert_true(reasons->n_values <= 16);
    for (unsigned i = 0; i < reasons->n_values; i++) {
        int r = reasons->values[i].value;
        if (r != LEGALAID__INTERN_REASON__INTERN_REASON_UNSPECIFIED &&
            !notify_words_intern_reason(r))
            fail_msg("intern reason %s has no Chinese words", reasons->values[i].name);
        legalaid__intern_match_row__init(&rows[i]);
        rows[i].certificate = "A20261501000124";
        rows[i].name = "李雷";
        rows[i].county = i % 2 ? "青山区" : NULL;
        rows[i].reason = r;
        rows[i].has_reason = 1;
        left[i] = &rows[i];
        legalaid__intern_place_row__init(&places[i]);
        places[i].place_id = "P-2026-02";
        places[i].firm = "包头市明理律师事务所";
        places[i].county = "东河区";
        places[i].count = 2;
        places[i].filled = i % 2;
        places[i].has_count = places[i].has_filled = 1;
        places[i].reason = r;
        places[i].has_reason = 1;
        empty[i] = &places[i];
    }
    Legalaid__InternMatchPublished mp = LEGALAID__INTERN_MATCH_PUBLISHED__INIT;
    mp.period = "2026";
    mp.offers = 12;
    mp.unplaced = 60; /* more than the event lists */
    mp.unfilled = reasons->n_values;
    mp.has_offers = mp.has_unplaced = mp.has_unfilled = 1;
    mp.left = left;
    mp.n_left = reasons->n_values;
    mp.empty = empty;
    mp.n_empty = reasons->n_values;
    Legalaid__Event pub = LEGALAID__EVENT__INIT;
    pub.body_case = LEGALAID__EVENT__BODY_INTERN_MATCH_PUBLISHED;
    pub.intern_match_published = &mp;
    feed(f, "dispatch", &pub);
    /* Everyone placed, every place filled. */
    mp.period = "2026-2";
    mp.unplaced = mp.unfilled = 0;
    mp.n_left = mp.n_empty = 0;
    feed(f, "dispatch", &pub);
}

static void feed_dead_letters(fixture_t *f)
{
    /* notify's own dead letters are on its own stream, which it does not read. */
    assert_non_null(notify_words_daemon("notify"));
    for (size_t i = 0; i < 4; i++) {
        Legalaid__DeadLettered dl = LEGALAID__DEAD_LETTERED__INIT;
        dl.daemon = (char *)upstreams[i];
        dl.stream = (char *)upstreams[(i + 1) % 4];
        dl.seq = 42;
        dl.has_seq = 1;
        dl.reason = "the decision has no case_id";
        dl.id = 3;
        dl.has_id = 1;
        Legalaid__Event ev = LEGALAID__EVENT__INIT;
        ev.body_case = LEGALAID__EVENT__BODY_DEAD_LETTERED;
        ev.dead_lettered = &dl;
        if (!notify_words_daemon(upstreams[i])) fail_msg("daemon %s has no Chinese name", upstreams[i]);
        feed(f, upstreams[i], &ev);
    }
}

/* Each deadline key the daemons set, owed by each party, on a case of its
 * own, carried by an event that tells nobody else (DeadlineMissed). */
static void feed_deadlines(fixture_t *f)
{
    char keys[MAX_FOUND][64];
    size_t n = deadline_keys(keys);
    static const Legalaid__Party owners[] = {
        LEGALAID__PARTY__APPLICANT, LEGALAID__PARTY__LAWYER, LEGALAID__PARTY__AUTHORITY,
        LEGALAID__PARTY__STATION,   LEGALAID__PARTY__STAFF,  LEGALAID__PARTY__CANDIDATE};
    static char keybuf[MAX_FOUND][80];
    for (size_t i = 0; i < n; i++) {
        snprintf(keybuf[i], sizeof keybuf[i], "%s%s", keys[i],
                 !strcmp(keys[i], "checkin:")  ? "BT-COURT-02:1772503200000"
                 : !strcmp(keys[i], "answer:") ? "DR-2026-000001"
                                               : "");
        for (size_t o = 0; o < sizeof owners / sizeof owners[0]; o++) {
            const char *case_id = next_case(f);
            feed_intake(f, case_id, 1);
            Legalaid__Deadline dl = LEGALAID__DEADLINE__INIT;
            Legalaid__Deadline *dls[] = {&dl};
            Legalaid__Party inform[] = {LEGALAID__PARTY__AUTHORITY};
            dl.key = keybuf[i];
            dl.due_at = T0 + 3 * MS_PER_DAY;
            dl.has_due_at = 1;
            dl.owner = owners[o];
            dl.has_owner = 1;
            dl.owner_id = owners[o] == LEGALAID__PARTY__LAWYER      ? "L-001"
                          : owners[o] == LEGALAID__PARTY__STATION   ? "BT-DC-01"
                          : owners[o] == LEGALAID__PARTY__CANDIDATE ? INTERN_CASE
                                                                    : NULL;
            dl.what = "sign the entrustment agreement with the recipient";
            dl.article = (i % 3 == 0)   ? "Legal Aid Law art. 36, 43(1)"
                         : (i % 3 == 1) ? "法律援助法实施程序规定 art. 27"
                                        : "CPL interpretation art. 50";
            dl.inform = inform;
            dl.n_inform = 1;
            if (!strcmp(keys[i], "hearing")) dl.place = "第三法庭";
            if (!strncmp(keys[i], "answer:", 7)) dl.place = "BT-DC-01", dl.person_name = "刘某";
            Legalaid__DeadlineMissed m = LEGALAID__DEADLINE_MISSED__INIT;
            m.case_id = (char *)case_id;
            Legalaid__Event ev = LEGALAID__EVENT__INIT;
            ev.case_id = (char *)case_id;
            ev.body_case = LEGALAID__EVENT__BODY_DEADLINE_MISSED;
            ev.deadline_missed = &m;
            ev.deadlines = dls;
            ev.n_deadlines = 1;
            feed(f, "dispatch", &ev);
        }
    }
}

/* Ticks at `at` until the timers have nothing more to tell. */
static void tick_at(fixture_t *f, int64_t at)
{
    clock_set_ms(at);
    for (int i = 0; i < 50; i++) {
        size_t before = f->n;
        assert_int_equal(daemon_tick(f->td.d), 0);
        take(f);
        if (f->n == before && i > 0) break;
    }
}

static void test_every_text_is_chinese(void **state)
{
    fixture_t *f = *state;
    feed_decisions(f);
    feed_applicant_events(f);
    feed_dispatch_events(f);
    feed_roster_events(f);
    feed_dead_letters(f);
    feed_intern_events(f);
    feed_deadlines(f);
    take(f);
    tick_at(f, T0 + 2 * MS_PER_DAY + 60000); /* the reminders */
    tick_at(f, T0 + 3 * MS_PER_DAY + 60000); /* the breaches */

    arena_t arena, *a = &arena;
    arena_init(a);
    size_t ndefs;
    notify_template_def_t *defs = notify_rules_templates(a, &ndefs);
    int bad = 0;
    for (size_t i = 0; i < f->n; i++) {
        char w[128];
        if (ascii_word(f->notes[i]->text, w, sizeof w)) {
            fprintf(stderr, "%s: \"%s\" in: %s\n", f->notes[i]->template_, w, f->notes[i]->text);
            bad++;
        }
    }
    for (size_t k = 0; k < ndefs; k++) {
        size_t rendered = 0;
        for (size_t i = 0; i < f->n; i++) rendered += !strcmp(f->notes[i]->template_, defs[k].id);
        if (!rendered) {
            fprintf(stderr, "template %s was never rendered\n", defs[k].id);
            bad++;
        }
    }
    arena_destroy(a);
    if (getenv("NOTIFY_SMS_PRINT"))
        for (size_t i = 0; i < f->n; i++)
            printf("%s: %s\n", f->notes[i]->template_, f->notes[i]->text);
    assert_true(f->n > 300);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allow_list_catches_words),
        cmocka_unit_test(test_citations_read_in_chinese),
        cmocka_unit_test(test_every_deadline_key_has_words),
        cmocka_unit_test_setup_teardown(test_every_text_is_chinese, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
