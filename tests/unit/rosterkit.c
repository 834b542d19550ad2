/*
 * rosterkit.c - the shared roster fixtures (see rosterkit.h).
 */
#include "rosterkit.h"

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
