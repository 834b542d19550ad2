/*
 * rosterkit.c - the shared roster fixtures (see rosterkit.h).
 */
#include "rosterkit.h"

#include <stdio.h>

#include "testutil.h"

#define RK_NAME "值班律师"
#define RK_PHONE "13947201234"

Legalaid__Reply *rk_import_stations(daemon_t *d, Legalaid__Station **s, size_t n)
{
    Legalaid__ImportStations is = LEGALAID__IMPORT_STATIONS__INIT;
    is.stations = s;
    is.n_stations = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_STATIONS;
    req.import_stations = &is;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_import_agreements(daemon_t *d, Legalaid__Agreement **a, size_t n)
{
    Legalaid__ImportAgreements ia = LEGALAID__IMPORT_AGREEMENTS__INIT;
    ia.agreements = a;
    ia.n_agreements = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_AGREEMENTS;
    req.import_agreements = &ia;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_import_shifts(daemon_t *d, Legalaid__Shift **s, size_t n)
{
    Legalaid__ImportShifts is = LEGALAID__IMPORT_SHIFTS__INIT;
    is.shifts = s;
    is.n_shifts = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_SHIFTS;
    req.import_shifts = &is;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_import_templates(daemon_t *d, Legalaid__ShiftTemplate **t, size_t n)
{
    Legalaid__ImportTemplates it = LEGALAID__IMPORT_TEMPLATES__INIT;
    it.templates = t;
    it.n_templates = n;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_IMPORT_TEMPLATES;
    req.import_templates = &it;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_generate(daemon_t *d, const char *from, const char *to)
{
    Legalaid__GenerateSchedule g = LEGALAID__GENERATE_SCHEDULE__INIT;
    g.from = (char *)from;
    g.to = (char *)to;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_GENERATE_SCHEDULE;
    req.generate_schedule = &g;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_publish(daemon_t *d, const char *id)
{
    Legalaid__PublishSchedule p = LEGALAID__PUBLISH_SCHEDULE__INIT;
    p.id = (char *)id;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_PUBLISH_SCHEDULE;
    req.publish_schedule = &p;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_check_in(daemon_t *d, const char *station, const char *lawyer)
{
    Legalaid__CheckIn c = LEGALAID__CHECK_IN__INIT;
    c.station = (char *)station;
    c.lawyer_id = (char *)lawyer;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_CHECK_IN;
    req.check_in = &c;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_ack(daemon_t *d, const char *id, const char *lawyer)
{
    Legalaid__AckDutyRequest a = LEGALAID__ACK_DUTY_REQUEST__INIT;
    a.id = (char *)id;
    a.lawyer_id = (char *)lawyer;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_ACK_DUTY_REQUEST;
    req.ack_duty_request = &a;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_raise(daemon_t *d, const char *station, int kind, const char *person,
                          int64_t meeting_at)
{
    Legalaid__DutyRequest r = LEGALAID__DUTY_REQUEST__INIT;
    r.station = (char *)station;
    r.has_kind = 1;
    r.kind = (Legalaid__DutyRequestKind)kind;
    r.person_name = (char *)person;
    if (meeting_at) {
        r.has_meeting_at = 1;
        r.meeting_at = meeting_at;
    }
    Legalaid__RaiseDutyRequest rr = LEGALAID__RAISE_DUTY_REQUEST__INIT;
    rr.request = &r;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_RAISE_DUTY_REQUEST;
    req.raise_duty_request = &rr;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_complete(daemon_t *d, const char *id, const char *lawyer,
                             Legalaid__DutyLog *log)
{
    Legalaid__CompleteDutyRequest c = LEGALAID__COMPLETE_DUTY_REQUEST__INIT;
    c.id = (char *)id;
    c.lawyer_id = (char *)lawyer;
    c.log = log;
    Legalaid__Request req = LEGALAID__REQUEST__INIT;
    req.body_case = LEGALAID__REQUEST__BODY_COMPLETE_DUTY_REQUEST;
    req.complete_duty_request = &c;
    return test_call_new(d, &req);
}

Legalaid__Reply *rk_import_two_stations(daemon_t *d, uint32_t meeting_capacity)
{
    Legalaid__Station s[2], *sp[2] = {&s[0], &s[1]};
    legalaid__station__init(&s[0]);
    legalaid__station__init(&s[1]);
    s[0].code = "BT-COURT-02";
    s[0].name = "昆都仑区人民法院法律援助工作站";
    s[1].code = "BT-DC-01";
    s[1].name = "包头市第一看守所值班律师工作站";
    s[0].has_kind = s[1].has_kind = 1;
    s[0].kind = LEGALAID__STATION_KIND__COURT_STATION;
    s[1].kind = LEGALAID__STATION_KIND__DETENTION_CENTRE;
    if (meeting_capacity > 0) {
        s[1].has_meeting_capacity = 1;
        s[1].meeting_capacity = meeting_capacity;
    }
    return rk_import_stations(d, sp, 2);
}

Legalaid__Reply *rk_import_one_agreement(daemon_t *d, uint64_t *pool_seq, const char *const *ids,
                                         const char *const *names, const char *const *phones,
                                         size_t n)
{
    Legalaid__DutyLawyer dl[16], *dlp[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++) {
        legalaid__duty_lawyer__init(&dl[i]);
        dl[i].id = (char *)ids[i];
        dl[i].name = (char *)(names ? names[i] : RK_NAME);
        dl[i].phone = (char *)(phones ? phones[i] : RK_PHONE);
        dlp[i] = &dl[i];
    }
    Legalaid__Agreement ag = LEGALAID__AGREEMENT__INIT, *agp = &ag;
    ag.id = "AG-1";
    ag.firm = "内蒙古鹿城律师事务所";
    ag.starts = "2026-01-01";
    ag.ends = "2026-12-31";
    ag.has_share = 1;
    ag.share = 100;
    ag.lawyers = dlp;
    ag.n_lawyers = n;
    /* The duty lawyers are vetted members of dispatch's pool. */
    test_feed_pool(d, pool_seq, (char *const *)ids, n, ag.firm);
    return rk_import_agreements(d, &agp, 1);
}

Legalaid__Reply *rk_import_four_shifts(daemon_t *d, const char *const *ids,
                                       const char *const *names, const char *const *phones,
                                       int64_t starts_at, int64_t ends_at)
{
    Legalaid__Shift s[4], *sp[4];
    const char *st[] = {"BT-COURT-02", "BT-COURT-02", "BT-DC-01", "BT-DC-01"};
    for (int i = 0; i < 4; i++) {
        legalaid__shift__init(&s[i]);
        s[i].station = (char *)st[i];
        s[i].lawyer_id = (char *)ids[i];
        s[i].lawyer_name = (char *)(names ? names[i] : RK_NAME);
        s[i].lawyer_phone = (char *)(phones ? phones[i] : RK_PHONE);
        s[i].has_starts_at = s[i].has_ends_at = s[i].has_role = 1;
        s[i].starts_at = starts_at;
        s[i].ends_at = ends_at;
        s[i].role = i % 2 ? LEGALAID__SHIFT_ROLE__BACKUP : LEGALAID__SHIFT_ROLE__PRIMARY;
        sp[i] = &s[i];
    }
    return rk_import_shifts(d, sp, 4);
}

void rk_station_code(int i, char out[32])
{
    if (i < 12)
        snprintf(out, 32, "BT-COURT-%02d", i + 1);
    else if (i < 24)
        snprintf(out, 32, "BT-PROC-%02d", i - 11);
    else
        snprintf(out, 32, "BT-DC-%02d", i - 23);
}

void rk_baotou_build(rk_baotou_t *b, int dc_on_holidays)
{
    for (int i = 0; i < RK_NSTATIONS; i++) {
        rk_station_code(i, b->codes[i]);
        legalaid__station__init(&b->st[i]);
        b->st[i].code = b->codes[i];
        b->st[i].name = "法律援助工作站";
        b->st[i].has_kind = 1;
        b->st[i].kind = i < 12   ? LEGALAID__STATION_KIND__COURT_STATION
                        : i < 24 ? LEGALAID__STATION_KIND__PROCURATORATE_STATION
                                 : LEGALAID__STATION_KIND__DETENTION_CENTRE;
        b->sp[i] = &b->st[i];
        legalaid__shift_template__init(&b->tp[i]);
        b->tp[i].station = b->codes[i];
        b->tp[i].name = "day";
        b->tp[i].days = i < 24 ? "mon-fri" : "daily";
        b->tp[i].starts = i < 24 ? "09:00" : "08:30";
        b->tp[i].ends = i < 24 ? "17:00" : "17:30";
        if (dc_on_holidays) b->tp[i].on_holidays = b->tp[i].has_on_holidays = i >= 24;
        b->tpp[i] = &b->tp[i];
    }
}

const unsigned rk_firm_shares[RK_NFIRMS] = {40, 30, 20, 10};
const int rk_firm_lawyers[RK_NFIRMS] = {30, 24, 16, 10};

void rk_firms_build(rk_firms_t *fm, const char *const *firms)
{
    for (int k = 0; k < RK_NFIRMS; k++) {
        legalaid__agreement__init(&fm->ag[k]);
        snprintf(fm->agid[k], sizeof fm->agid[k], "AG-2026-%02d", k + 1);
        fm->ag[k].id = fm->agid[k];
        fm->ag[k].firm = (char *)firms[k];
        fm->ag[k].starts = "2026-01-01";
        fm->ag[k].ends = "2026-12-31";
        fm->ag[k].has_share = 1;
        fm->ag[k].share = rk_firm_shares[k];
        for (int j = 0; j < rk_firm_lawyers[k]; j++) {
            legalaid__duty_lawyer__init(&fm->dl[k][j]);
            snprintf(fm->ids[k][j], sizeof fm->ids[k][j], "F%d-L%02d", k, j);
            fm->dl[k][j].id = fm->ids[k][j];
            fm->dl[k][j].name = RK_NAME;
            fm->dl[k][j].phone = RK_PHONE;
            fm->dlp[k][j] = &fm->dl[k][j];
            fm->pool[k][j] = fm->ids[k][j];
        }
        fm->ag[k].lawyers = fm->dlp[k];
        fm->ag[k].n_lawyers = (size_t)rk_firm_lawyers[k];
        fm->agp[k] = &fm->ag[k];
    }
}
