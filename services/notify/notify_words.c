/*
 * notify_words.c - the table of Chinese words for the stable codes the
 * events carry (see notify_words.h). One row per code; the article each
 * deadline or ground rests on is cited beside it. A code added in a daemon
 * without a row here fails tests/unit/test-notify-sms-zh.c.
 */
#include "notify_words.h"

#include <string.h>

#include "legalaid.pb-c.h"

typedef struct words_deadline {
    const char *key;
    const char *words;         /* owed by the staff, or by anyone */
    const char *words_lawyer;  /* owed by a lawyer, when it differs (NULL) */
    const char *words_informed; /* when the authority hears of the breach (NULL) */
} words_deadline_t;

static const words_deadline_t words_deadlines[] = {
    /* eligibility (eligibility_deadline.c) */
    /* Legal Aid Law art. 43(1): decided within 7 days of receipt. */
    {"decision", "作出是否给予法律援助的决定", NULL, NULL},
    /* art. 43(2): the missing materials, else the application is withdrawn. */
    {"materials", "补充所缺材料（逾期视为撤回申请）", NULL, NULL},
    /* art. 43(1), 44; art. 36: the notifying authority is told. */
    {"assignment", "指派法律援助人员", NULL, "指派律师并告知通知机关"},
    /* art. 41: a commitment letter is checked afterwards. */
    {"verification", "核查经济困难告知承诺是否属实", NULL, NULL},
    /* art. 49: the justice bureau decides an objection within 5 days. */
    {"objection", "司法行政部门对异议作出审查决定", NULL, NULL},
    /* dispatch (dispatch_offer.c, dispatch_end.c, dispatch_lifecycle.c,
     * dispatch_agency.c, dispatch_tick.c) */
    /* art. 16: the lawyer answers the offer of a case. */
    {"offer", "答复案件指派（接受或谢绝）", NULL, NULL},
    /* 法律援助法实施程序规定 art. 27: the agreement within 3 working days. */
    {"agreement", "与受援人签订委托协议", NULL, NULL},
    /* 刑诉法解释 art. 50: a defendant who refuses the appointed lawyer
     * retains another within 5 days, else one is appointed again. */
    {"own_counsel", "自行委托辩护人（逾期将另行指派律师）", NULL, NULL},
    /* art. 50: the closing file within 30 days of the end. */
    {"closing_file", "提交结案材料（法律文书副本、承办情况报告等）", NULL, NULL},
    /* art. 57, 59: the file is reviewed (一卷二评). */
    {"file_review", "评查结案卷宗（一卷二评）", NULL, NULL},
    /* 刑诉法解释 art. 49: the hearing. */
    {"hearing", "安排承办律师出庭参加庭审", "出庭参加庭审", NULL},
    /* dispatch (internship places, intern.proto): the candidate answers an
     * offer by reply_by; dispatch lapses it then by itself. */
    {"intern_reply", "答复实习岗位录用通知（接受或谢绝；逾期未答复的，录用通知失效）", NULL, NULL},
};

/* roster (roster_deadline.c): keys with parameters. */
#define WORDS_CHECKIN "checkin:"
#define WORDS_ANSWER "answer:"

const char *notify_words_deadline(arena_t *a, const Legalaid__Deadline *dl)
{
    const char *key = dl->key, *what = dl->what;
    int lawyer = dl->owner == LEGALAID__PARTY__LAWYER, informed = 0;
    for (size_t i = 0; i < dl->n_inform; i++) informed |= dl->inform[i] == LEGALAID__PARTY__AUTHORITY;
    if (!key) return NULL;
    for (size_t i = 0; i < sizeof words_deadlines / sizeof words_deadlines[0]; i++) {
        const words_deadline_t *w = &words_deadlines[i];
        if (strcmp(key, w->key) != 0) continue;
        const char *words = informed && w->words_informed ? w->words_informed
                            : lawyer && w->words_lawyer ? w->words_lawyer
                                                        : w->words;
        return dl->place && dl->place[0] ? arena_printf(a, "%s：%s", words, dl->place) : words;
    }
    /* DOMAIN R-DUTY: the A post checks in at the shift's start. */
    if (strncmp(key, WORDS_CHECKIN, strlen(WORDS_CHECKIN)) == 0) {
        const char *station = key + strlen(WORDS_CHECKIN), *end = strrchr(station, ':');
        int n = end && end > station ? (int)(end - station) : (int)strlen(station);
        return arena_printf(a, "到工作站%.*s签到值班（A岗（主班））", n, station);
    }
    /* 公安机关办理刑事案件程序规定 art. 49: a detention-centre request is
     * answered within 24 hours. */
    if (strncmp(key, WORDS_ANSWER, strlen(WORDS_ANSWER)) == 0) {
        int station = dl->place && dl->place[0], person = dl->person_name && dl->person_name[0];
        return arena_printf(a, "答复%s%s%s值班请求%s%s%s%s", station ? "工作站" : "",
                            station ? dl->place : "", station ? "的" : "", key + strlen(WORDS_ANSWER),
                            person ? "（当事人" : "", person ? dl->person_name : "",
                            person ? "）" : "");
    }
    /* A key of no daemon here (a test's, a later one's): its words when
     * they are Chinese already. */
    for (const char *p = what; p && *p; p++)
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) return NULL;
    return what && what[0] ? what : NULL;
}

const char *notify_words_termination(int reason)
{
    /* Legal Aid Law art. 48(1)-(8). */
    switch (reason) {
    case LEGALAID__TERMINATION_REASON__DECEPTION:
        return "以欺骗或者其他不正当手段获得法律援助";
    case LEGALAID__TERMINATION_REASON__CONCEALMENT:
        return "故意隐瞒与案件有关的重要事实或者提供虚假证据";
    case LEGALAID__TERMINATION_REASON__UNLAWFUL_USE:
        return "利用法律援助从事违法活动";
    case LEGALAID__TERMINATION_REASON__MEANS_CHANGED:
        return "受援人的经济状况发生变化，不再符合法律援助条件";
    case LEGALAID__TERMINATION_REASON__MATTER_ENDED:
        return "案件终止审理或者已经被撤销";
    case LEGALAID__TERMINATION_REASON__OWN_COUNSEL:
        return "受援人自行委托律师或者其他代理人";
    case LEGALAID__TERMINATION_REASON__RECIPIENT_REQUEST:
        return "受援人有正当理由要求终止法律援助";
    case LEGALAID__TERMINATION_REASON__OTHER_LAW:
        return "法律法规规定的其他情形";
    default:
        return NULL;
    }
}

const char *notify_words_intern_reason(int reason)
{
    switch (reason) {
    case LEGALAID__INTERN_REASON__INTERN_WISH_FIRM:
        return "按所填志愿中的律师事务所安排";
    case LEGALAID__INTERN_REASON__INTERN_WISH_AREA:
        return "按所填志愿中的业务领域安排";
    case LEGALAID__INTERN_REASON__INTERN_WISH_ANY:
        return "按服从安排的志愿安排";
    case LEGALAID__INTERN_REASON__INTERN_NO_WISH_OPEN:
        return "志愿中没有本期的实习岗位";
    case LEGALAID__INTERN_REASON__INTERN_OUTRANKED:
        return "所填志愿的岗位均已由排序在前的人选占满";
    case LEGALAID__INTERN_REASON__INTERN_NOT_WISHED:
        return "无人填报（或填报不足）";
    case LEGALAID__INTERN_REASON__INTERN_REOFFER:
        return "他人谢绝或逾期未答复后重新安排";
    case LEGALAID__INTERN_REASON__INTERN_SUPERVISOR_UNFIT:
        return "指导律师目前不能指导（已退出人员库或不再符合条件）";
    default:
        return NULL;
    }
}

static const struct {
    const char *code, *words;
} words_rules[] = {
    {"inactive", "已暂停或退出名册"},
    {"capacity", "在办案件已满"},
    /* Legal Aid Law art. 25; 刑事诉讼法 art. 33-34. */
    {"defence_lawyers", "刑事辩护须由律师承担"},
    /* art. 17: volunteers only advise and draft. */
    {"volunteer", "志愿者仅可提供法律咨询、代拟法律文书"},
    /* art. 13. */
    {"staff", "工作人员须具有法律职业资格"},
    /* art. 26: years of criminal defence. */
    {"capital", "可能判处无期徒刑、死刑的案件须由具有相应刑事辩护年限的律师承担"},
    /* 未成年人保护法 art. 104. */
    {"minor", "未成年人案件须由熟悉未成年人身心特点的律师承担"},
    /* 刑诉法解释 art. 41. */
    {"judicial", "原法院工作人员尚在离任回避期内"},
    /* 律师法 art. 39; 刑诉法解释 art. 43. */
    {"conflict", "存在利益冲突"},
    {"declined", "已谢绝、逾期未答复或已退出本案"},
};

const char *notify_words_match_rule(const char *code)
{
    for (size_t i = 0; code && i < sizeof words_rules / sizeof words_rules[0]; i++)
        if (strcmp(code, words_rules[i].code) == 0) return words_rules[i].words;
    return NULL;
}

static const struct {
    const char *name, *words;
} words_daemons[] = {
    {"intake", "受理服务"},      {"eligibility", "审查服务"}, {"dispatch", "指派服务"},
    {"roster", "值班排班服务"},  {"notify", "通知服务"},      {"gateway", "网关服务"},
};

const char *notify_words_daemon(const char *name)
{
    for (size_t i = 0; name && i < sizeof words_daemons / sizeof words_daemons[0]; i++)
        if (strcmp(name, words_daemons[i].name) == 0) return words_daemons[i].words;
    return NULL;
}
