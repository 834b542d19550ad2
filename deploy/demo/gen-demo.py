#!/usr/bin/env python3
"""gen-demo.py - writes the demo reference data and applications of Baotou.

    python3 deploy/demo/gen-demo.py [OUT_DIR]      (default: next to this script)

stations.jsonl     the duty stations: 12 courts, 12 procuratorates, 7 detention
                   centres and the public legal service centre's window
lawyers.jsonl      180 providers (art. 12-15): lawyers of 20 Baotou law firms, 12
                   grassroots legal workers, 5 university volunteers, 3 qualified
                   centre staff; licence and criminal-defence dates, specialties,
                   languages (some Mongolian), counties served, juvenile-qualified
                   ones, declared conflicts, two former judges; a few suspended,
                   two left; four rows recruitment rejects (printed at the end:
                   two with a disciplinary record, two under two years of practice)
lawyers.csv        the same pool as CSV (lists joined by ';')
applications.jsonl about 60 applications: walk-ins with and without a commitment
                   letter, migrant workers' wage claims, home visits for the
                   elderly, custody forwards, and court / procuratorate / police
                   notifications for minors, life imprisonment or death, and
                   compulsory treatment
applications-with-errors.jsonl  lines with the mistakes staff make, to show how
                   legalaidctl reports them by line and field

The output is deterministic (fixed seed) and committed; the names, numbers and
people are invented. Resident ID numbers (GB 11643) get their check digit
computed here, never typed. Applications carry no received_at: intake stamps
them when they arrive, so the file stays valid whatever the date (custody
forwards carry the time the detention centre received them, on the demo day
2026-03-02: applied later, they are accepted and flagged as forwarded late).
"""
import csv
import json
import os
import random
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20260302)

COUNTIES = ["昆都仑区", "青山区", "东河区", "九原区", "石拐区", "白云鄂博矿区",
            "土默特右旗", "固阳县", "达尔罕茂明安联合旗"]
# GB/T 2260 codes of Baotou's districts and counties, for ID numbers.
REGION = {"东河区": "150202", "昆都仑区": "150203", "青山区": "150204", "石拐区": "150205",
          "白云鄂博矿区": "150206", "九原区": "150207", "土默特右旗": "150221",
          "固阳县": "150222", "达尔罕茂明安联合旗": "150223"}
# Ulanqab, where many of Baotou's migrant workers come from.
ULANQAB = ["150902", "150921", "150922", "150923", "150924", "150925", "150981"]
COURT_CODE = {"东河区": "0202", "昆都仑区": "0203", "青山区": "0204", "石拐区": "0205",
              "白云鄂博矿区": "0206", "九原区": "0207", "土默特右旗": "0221",
              "固阳县": "0222", "达尔罕茂明安联合旗": "0223"}
SHORT = {"东河区": "东", "昆都仑区": "昆", "青山区": "青", "石拐区": "石", "白云鄂博矿区": "白",
         "九原区": "九", "土默特右旗": "土右", "固阳县": "固", "达尔罕茂明安联合旗": "达茂"}


def id_check_digit(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def id_number(region, year, male=None):
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    seq = rng.randint(1, 99)
    if male is None:
        male = rng.random() < 0.5
    gender = rng.choice("13579" if male else "02468")
    first17 = f"{region}{year:04d}{month:02d}{day:02d}{seq:02d}{gender}"
    return first17 + id_check_digit(first17)


MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "156", "157", "158", "159", "176", "177", "180", "181",
                   "182", "183", "185", "186", "187", "188", "189", "191", "199"]
used_phones = set()


def mobile():
    while True:
        p = rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
        if p not in used_phones:
            used_phones.add(p)
            return p


SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉鹏飞斌宇浩凯健俊帆帅旭宁琳晨欣雪梅海波瑞峰志国庆春燕丹婷佳慧颖鑫龙成")
MONGOL_NAMES = ["巴特尔", "乌云其其格", "斯琴", "额尔敦", "那仁", "图雅", "苏日娜", "宝音",
                "其木格", "朝鲁", "阿拉坦", "萨仁高娃", "吉日木图", "哈斯"]
used_names = set()


def person_name():
    while True:
        if rng.random() < 0.08:
            name = rng.choice(MONGOL_NAMES)
            if rng.random() < 0.5:
                name = rng.choice(["包", "白", "云", "韩", "鲍"]) + name
        else:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        if name not in used_names:
            used_names.add(name)
            return name


def write(name, records):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{path}: {len(records)} lines")


# --- stations -------------------------------------------------------------
stations = []
courts = [("包头市中级人民法院", "昆都仑区")] + [(f"包头市{c}人民法院" if c.endswith("区") else f"{c}人民法院", c)
                                        for c in COUNTIES] + [
    ("包头稀土高新技术产业开发区人民法院", "九原区"), ("包头铁路运输法院", "东河区")]
procuratorates = [("包头市人民检察院", "昆都仑区")] + [
    (f"包头市{c}人民检察院" if c.endswith("区") else f"{c}人民检察院", c) for c in COUNTIES] + [
    ("包头稀土高新技术产业开发区人民检察院", "九原区"), ("包头铁路运输检察院", "东河区")]
detention = [("包头市第一看守所", "昆都仑区"), ("包头市第二看守所", "九原区"), ("包头市第三看守所", "东河区"),
             ("土默特右旗看守所", "土默特右旗"), ("固阳县看守所", "固阳县"),
             ("达尔罕茂明安联合旗看守所", "达尔罕茂明安联合旗"), ("白云鄂博矿区看守所", "白云鄂博矿区")]
for i, (name, county) in enumerate(courts, 1):
    stations.append({"code": f"BT-COURT-{i:02d}", "name": name + "法律援助工作站", "kind": "court",
                     "county": county})
for i, (name, county) in enumerate(procuratorates, 1):
    stations.append({"code": f"BT-PROC-{i:02d}", "name": name + "法律援助工作站", "kind": "procuratorate",
                     "county": county})
for i, (name, county) in enumerate(detention, 1):
    stations.append({"code": f"BT-DC-{i:02d}", "name": name + "值班律师工作站", "kind": "detention_centre",
                     "county": county})
stations.append({"code": "BT-CENTRE", "name": "包头市公共法律服务中心法律援助窗口", "kind": "service_window",
                 "county": "青山区"})
assert len(courts) == 12 and len(procuratorates) == 12 and len(detention) == 7
write("stations.jsonl", stations)

# --- lawyers ----------------------------------------------------------------
FIRMS = [("内蒙古鹿城律师事务所", "昆都仑区"), ("内蒙古钢城律师事务所", "昆都仑区"),
         ("内蒙古阿尔丁律师事务所", "昆都仑区"), ("内蒙古昆仑律师事务所", "昆都仑区"),
         ("内蒙古青山律师事务所", "青山区"), ("内蒙古敕勒川律师事务所", "青山区"),
         ("内蒙古赛汗塔拉律师事务所", "青山区"), ("内蒙古北梁律师事务所", "东河区"),
         ("内蒙古南海湖律师事务所", "东河区"), ("内蒙古黄河律师事务所", "东河区"),
         ("内蒙古九原律师事务所", "九原区"), ("内蒙古稀土高新律师事务所", "九原区"),
         ("内蒙古石拐律师事务所", "石拐区"), ("内蒙古白云鄂博律师事务所", "白云鄂博矿区"),
         ("内蒙古美岱召律师事务所", "土默特右旗"), ("内蒙古萨拉齐律师事务所", "土默特右旗"),
         ("内蒙古春坤山律师事务所", "固阳县"), ("内蒙古秦长城律师事务所", "固阳县"),
         ("内蒙古百灵庙律师事务所", "达尔罕茂明安联合旗"), ("内蒙古希拉穆仁律师事务所", "达尔罕茂明安联合旗")]
# Bigger firms in the city districts: 180 lawyers in all.
SIZES = [15, 14, 13, 12, 12, 11, 10, 12, 10, 10, 9, 9, 6, 5, 7, 6, 6, 5, 4, 4]
assert len(FIRMS) == 20 and sum(SIZES) == 180
lawyers = []
n = 0
for (firm, county), size in zip(FIRMS, SIZES):
    for _ in range(size):
        n += 1
        lawyers.append({"id": f"BT-L{n:04d}", "name": person_name(), "firm": firm, "phone": mobile(),
                        "status": "active", "capacity": rng.randint(8, 15), "county": county})
for i in rng.sample(range(180), 7):
    lawyers[i]["status"] = "suspended"
for i in rng.sample([i for i in range(180) if lawyers[i]["status"] == "active"], 2):
    lawyers[i]["status"] = "left"

# What dispatch matches on (DOMAIN R-ASSIGN-01..09). A second generator, so
# that the names, phones and applications above stay as they were.
rng2 = random.Random(20260401)
SPECIALTIES = ["civil", "labour_arbitration", "administrative", "criminal_victim",
               "state_compensation", "compulsory_medical"]
NEIGHBOURS = {"昆都仑区": ["青山区", "九原区", "白云鄂博矿区"], "青山区": ["昆都仑区", "东河区", "石拐区"],
              "东河区": ["青山区", "九原区", "土默特右旗"], "九原区": ["昆都仑区", "东河区", "土默特右旗"],
              "石拐区": ["青山区", "固阳县"], "白云鄂博矿区": ["昆都仑区", "达尔罕茂明安联合旗"],
              "土默特右旗": ["东河区", "九原区"], "固阳县": ["石拐区", "达尔罕茂明安联合旗"],
              "达尔罕茂明安联合旗": ["白云鄂博矿区", "固阳县"]}
# 基层法律服务所 for the grassroots legal workers (art. 12), one per county.
SERVICE_OFFICES = {"昆都仑区": "昆都仑区昆北法律服务所", "青山区": "青山区富强法律服务所",
                   "东河区": "东河区西脑包法律服务所", "九原区": "九原区沙河法律服务所",
                   "土默特右旗": "土默特右旗萨拉齐法律服务所", "固阳县": "固阳县金山法律服务所"}


def date_in(year_from, year_to):
    y = rng2.randint(year_from, year_to)
    return f"{y:04d}-{rng2.randint(1, 12):02d}-{rng2.randint(1, 28):02d}"


def mongolian_name(name):
    return any(name.endswith(m) for m in MONGOL_NAMES)


ordinary = list(range(1, 180))  # BT-L0001 stays a plain duty lawyer (the selftest books it)
rng2.shuffle(ordinary)
grassroots, volunteers, staff = ordinary[:12], ordinary[12:17], ordinary[17:20]
disciplined, too_new = ordinary[20:22], ordinary[22:24]
conflicted, former_judges = ordinary[24:28], ordinary[28:30]
for i, l in enumerate(lawyers):
    county = l["county"]
    l["kind"] = "lawyer"
    l["licence_date"] = date_in(1996, 2022)
    specs = rng2.sample(SPECIALTIES[:3], rng2.randint(1, 2))
    # About half do criminal defence; most of them for three years or more
    # (art. 26: life and death cases).
    if rng2.random() < 0.55:
        first = int(l["licence_date"][:4])
        l["criminal_defence_since"] = date_in(first, max(first, 2024))
        specs = ["criminal_defence"] + specs
        if rng2.random() < 0.3:
            specs.append(rng2.choice(SPECIALTIES[3:]))
    l["specialties"] = specs
    l["languages"] = ["mandarin", "mongolian"] if mongolian_name(l["name"]) or rng2.random() < 0.08 \
        else ["mandarin"]
    l["counties"] = rng2.sample(NEIGHBOURS[county], rng2.randint(0, min(2, len(NEIGHBOURS[county]))))
    l["juvenile_qualified"] = rng2.random() < 0.22
for i in grassroots:
    l = lawyers[i]
    office_county = rng2.choice(list(SERVICE_OFFICES))
    l.update(kind="grassroots", firm=SERVICE_OFFICES[office_county], county=office_county,
             specialties=["civil", "labour_arbitration"], juvenile_qualified=False)
    l.pop("criminal_defence_since", None)
    l["counties"] = []
for i in volunteers:  # university teachers: consultation and drafting only (art. 17)
    l = lawyers[i]
    l.update(kind="volunteer", firm="内蒙古科技大学法学院法律援助工作站", county="昆都仑区",
             specialties=["civil"], juvenile_qualified=False, capacity=4, counties=[])
    l.pop("criminal_defence_since", None)
for i in staff:  # centre staff holding a qualification (art. 13)
    l = lawyers[i]
    l.update(kind="staff", firm="包头市法律援助中心", county="青山区", qualified=True,
             counties=["昆都仑区", "东河区", "九原区"], capacity=6)
for i in disciplined:  # recruitment rejects these: a disciplinary record
    lawyers[i]["disciplinary_record"] = True
for i in too_new:  # ... and these: under two years of practice
    lawyers[i]["licence_date"] = date_in(2025, 2025)
    lawyers[i].pop("criminal_defence_since", None)
    lawyers[i]["specialties"] = [s for s in lawyers[i]["specialties"] if s != "criminal_defence"] \
        or ["civil"]
CONFLICTS = [["包头某建筑公司"], ["(2026)内0202刑初45号"], ["包头市某物业服务有限公司", "王建国"],
             ["(2026)内0207刑初47号"]]
for i, c in zip(conflicted, CONFLICTS):
    lawyers[i]["conflicts"] = c
lawyers[former_judges[0]]["left_judicial_office"] = "2025-06-30"  # S3 art. 41: 2 years
lawyers[former_judges[1]]["left_judicial_office"] = "2019-12-31"
write("lawyers.jsonl", lawyers)

# The same pool as CSV, for staff who keep it in a spreadsheet: lists joined by ';'.
CSV_COLUMNS = ["id", "name", "kind", "firm", "phone", "status", "capacity", "county", "counties",
               "licence_date", "criminal_defence_since", "specialties", "languages",
               "juvenile_qualified", "qualified", "disciplinary_record", "conflicts",
               "left_judicial_office"]
path = os.path.join(OUT, "lawyers.csv")
with open(path, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for l in lawyers:
        row = []
        for c in CSV_COLUMNS:
            v = l.get(c, "")
            if isinstance(v, bool):
                v = "true" if v else "false"
            elif isinstance(v, list):
                v = ";".join(v)
            row.append(v)
        w.writerow(row)
print(f"{path}: {len(lawyers) + 1} lines")
print("recruitment rejects: " + ", ".join(
    f"{lawyers[i]['id']} ({why})" for why, ids in [("disciplinary record", disciplined),
                                                   ("under two years of practice", too_new)]
    for i in ids))

# --- applications -----------------------------------------------------------
apps = []


def applicant(region=None, year=None, phone=True):
    region = region or REGION[rng.choice(COUNTIES[:4] + COUNTIES[6:])]
    year = year or rng.randint(1962, 1998)
    p = {"name": person_name(), "id_number": id_number(region, year)}
    if phone:
        p["phone"] = mobile()
    return p


# (category, art. 31 item, matter): the item of Legal Aid Law art. 31 the
# matter falls under (1 state compensation, 2 social insurance or assistance,
# 4 maintenance, 5 labour relation or pay, 7 injury from work, traffic or
# medical accidents, 9 other cases).
WALK_IN_MATTERS = [
    ("civil", 4, "离婚纠纷，涉及两名未成年子女抚养及共同房产分割"),
    ("civil", 7, "交通事故人身损害赔偿，对方车辆未投保商业险，医疗费约八万元"),
    ("civil", 4, "赡养费纠纷，三名子女均拒绝支付赡养费"),
    ("civil", 9, "房屋租赁押金及装修损失纠纷"),
    ("civil", 7, "医疗损害责任纠纷，术后感染致二次手术"),
    ("civil", 9, "民间借贷纠纷，被诉偿还他人借款"),
    ("labour_arbitration", 7, "工伤认定后用人单位拒绝支付一次性伤残补助金"),
    ("labour_arbitration", 5, "劳动合同解除未支付经济补偿金，工作七年"),
    ("administrative", 2, "最低生活保障被取消，申请行政复议后不服"),
    ("state_compensation", 1, "羁押后被决定不起诉，申请国家赔偿"),
    ("civil", 4, "抚养费纠纷，前夫连续两年未支付抚养费"),
    ("civil", 9, "人身损害赔偿，在小区内被狗咬伤"),
]
WAGE_SITES = ["昆都仑区某住宅小区建筑工地", "九原区某物流园装卸", "青山区某商业综合体装修工程",
              "东河区某老旧小区改造工程", "稀土高新区某厂房钢结构工程", "土默特右旗某光伏电站施工"]

# Walk-ins at the centre's window with a commitment letter (art. 41; R-LOC-02).
for category, item, matter in WALK_IN_MATTERS[:8]:
    apps.append({"centre": "BT", "channel": "window", "station": "BT-CENTRE", "applicant": applicant(),
                 "category": category, "scope_item": item, "matter": matter, "commitment_signed": True})
# Walk-ins without one: the one-time notice of what is missing (art. 43(2)).
for category, item, matter in WALK_IN_MATTERS[8:]:
    apps.append({"centre": "BT", "channel": "window", "station": "BT-CENTRE", "applicant": applicant(),
                 "category": category, "scope_item": item, "matter": matter, "commitment_signed": False})
# Migrant workers' wage claims at the migrant workers' workstation (green channel).
for i in range(14):
    amount = rng.choice(["一万八千", "两万三千", "三万二千", "四万六千", "九千五百", "一万二千"])
    site = rng.choice(WAGE_SITES)
    signed = i % 4 != 3
    apps.append({"centre": "BT", "channel": "workstation", "station": "BT-MIGRANT-WS",
                 "applicant": applicant(region=rng.choice(ULANQAB), year=rng.randint(1966, 1995)),
                 "category": "labour_arbitration", "scope_item": 5,
                 "matter": f"农民工讨要拖欠工资{amount}元（{site}），包工头失联", "commitment_signed": signed})
# Home visits to the elderly, the seriously ill and people with disabilities.
HOME = [(9, "独居老人被继承人遗嘱纠纷，行动不便"), (4, "重病在床，要求子女支付医疗费及赡养费"),
        (7, "工伤致残行动不便，用人单位拒不支付伤残津贴"), (9, "老人被骗购买保健品，要求返还价款")]
for item, matter in HOME:
    apps.append({"centre": "BT", "channel": "home_visit", "station": "BT-CENTRE",
                 "applicant": applicant(year=rng.randint(1944, 1960)), "category": "civil",
                 "scope_item": item, "matter": matter, "commitment_signed": True})
# Phone and online applications; workstations and liaison points.
for channel, station, category, item, matter, signed in [
        ("phone", None, "civil", 9, "拨打2812348申请：物业公司起诉其拖欠物业费及滞纳金", True),
        ("online", None, "labour_arbitration", 5, "蒙速办平台申请：快递员被以承包协议名义拒认劳动关系", True),
        ("online", None, "civil", 9, "网上申请：网购商品质量问题索赔被拒", False),
        ("workstation", "GY-JUSTICE-WS", "civil", 9, "固阳县金山镇司法所工作站：土地承包经营权纠纷", True),
        ("workstation", "DM-JUSTICE-WS", "civil", 9, "达茂旗百灵庙镇司法所工作站：草场承包合同纠纷", True),
        ("liaison_point", "TY-SLQ-LP07", "civil", 9, "萨拉齐镇联络点转来：邻里宅基地纠纷", False),
        ("workstation", "BT-UNI-WS1", "criminal_victim", None, "高校工作站：学生遭电信诈骗，申请作为被害人代理", True),
        ("liaison_point", "KDL-SHLY-LP02", "civil", 9, "少先路街道联络点转来：家庭暴力，申请人身安全保护令", True)]:
    a = {"centre": "BT", "channel": channel, "applicant": applicant(), "category": category,
         "matter": matter, "commitment_signed": signed}
    if item:
        a["scope_item"] = item
    if category == "criminal_victim":
        a["opposing_party"] = "身份不明的电信诈骗犯罪嫌疑人"  # art. 29: the other side, even if unknown
    if station:
        a["station"] = station
    apps.append(a)
# Forwarded from custody within 24 hours (art. 39): the detention centre
# and when it received the application there (the demo day; applied on a
# later day, intake accepts them and flags the forward as late).
for dc, facility in [("BT-DC-01", "包头市第一看守所"), ("BT-DC-02", "包头市第二看守所"),
                     ("BT-DC-04", "土默特右旗看守所")]:
    apps.append({"centre": "BT", "channel": "custody_forward", "station": dc,
                 "custody_facility": facility, "custody_received_at": "2026-03-02T09:00:00+08:00",
                 "applicant": applicant(), "category": "criminal_defence",
                 "matter": "看守所转交在押犯罪嫌疑人的法律援助申请（涉嫌盗窃），电话为其近亲属联系电话",
                 "commitment_signed": True})

# Court, procuratorate and police notifications (art. 25(1), 28, 36).
court_seq = [0]


def court_ref(county, kind):
    court_seq[0] += 1
    return f"(2026)内{COURT_CODE[county]}{kind}{court_seq[0] + 40}号"


def notice(kind, county, ground, matter, minor=False, phone=False, id_known=True, category="criminal_defence"):
    if kind == "court":
        name = courts[1 + COUNTIES.index(county)][0]
        ref = court_ref(county, "刑初" if category == "criminal_defence" else "刑医")
        auth_phone = "0472-" + str(rng.randint(5100000, 5199999))
    elif kind == "procuratorate":
        name = procuratorates[1 + COUNTIES.index(county)][0]
        ref = f"包{SHORT[county]}检刑诉〔2026〕{rng.randint(10, 199)}号"
        auth_phone = "0472-" + str(rng.randint(6100000, 6199999))
    else:
        name = f"包头市公安局{county}分局" if county.endswith("区") else f"{county}公安局"
        ref = f"包公({SHORT[county]})刑字〔2026〕{rng.randint(100, 999)}号"
        auth_phone = "0472-" + str(rng.randint(2100000, 2199999))
    person = {"name": person_name()}
    if id_known:
        year = rng.randint(2009, 2011) if minor else rng.randint(1965, 2000)
        person["id_number"] = id_number(REGION[county], year)
    if phone:
        person["phone"] = mobile()
    return {"centre": "BT", "channel": "authority_notice", "applicant": person, "category": category,
            "matter": matter, "authority": {"kind": kind, "name": name, "reference": ref, "phone": auth_phone},
            "ground": ground}


NOTICES = [
    ("court", "昆都仑区", "minor", "未成年被告人涉嫌寻衅滋事罪，审判阶段无辩护人", True),
    ("court", "青山区", "minor", "未成年被告人涉嫌抢劫罪，审判阶段无辩护人", True),
    ("court", "东河区", "life_or_death", "被告人涉嫌故意杀人罪，可能判处无期徒刑以上刑罚", False),
    ("court", "九原区", "life_or_death", "被告人涉嫌运输毒品罪，可能判处无期徒刑", False),
    ("court", "土默特右旗", "blind_deaf_mute", "聋哑被告人涉嫌盗窃罪，需手语翻译", False),
    ("court", "固阳县", "mental_capacity", "被告人系尚未完全丧失辨认或者控制自己行为能力的精神病人", False),
    ("procuratorate", "昆都仑区", "minor", "审查起诉阶段，未成年犯罪嫌疑人涉嫌故意伤害罪", True),
    ("procuratorate", "青山区", "minor", "审查起诉阶段，未成年犯罪嫌疑人涉嫌诈骗罪（帮信）", True),
    ("procuratorate", "东河区", "life_or_death", "审查起诉阶段，犯罪嫌疑人涉嫌抢劫致人死亡", False),
    ("procuratorate", "达尔罕茂明安联合旗", "minor", "审查起诉阶段，未成年犯罪嫌疑人涉嫌盗窃牲畜", True),
    ("police", "昆都仑区", "minor", "侦查阶段，未成年犯罪嫌疑人涉嫌聚众斗殴罪", True),
    ("police", "九原区", "life_or_death", "侦查阶段，犯罪嫌疑人涉嫌故意杀人罪", False),
    ("police", "白云鄂博矿区", "minor", "侦查阶段，未成年犯罪嫌疑人涉嫌盗窃罪", True),
    ("police", "石拐区", "mental_capacity", "侦查阶段，犯罪嫌疑人疑似精神疾病，辨认能力受限", False),
    ("court", "白云鄂博矿区", "minor", "未成年被告人涉嫌故意伤害罪，审判阶段无辩护人", True),
    ("procuratorate", "九原区", "blind_deaf_mute", "审查起诉阶段，盲人犯罪嫌疑人涉嫌诈骗罪", False),
    ("police", "土默特右旗", "minor", "侦查阶段，未成年犯罪嫌疑人涉嫌抢夺罪", True),
]
for kind, county, ground, matter, minor in NOTICES:
    apps.append(notice(kind, county, ground, matter, minor=minor))
# A notification before the defendant's identity is confirmed (no ID number yet).
apps.append(notice("police", "东河区", "life_or_death", "侦查阶段，身份尚未核实的犯罪嫌疑人涉嫌故意杀人罪",
                   id_known=False))
# Compulsory medical treatment (art. 28): the court appoints an agent.
apps.append(notice("court", "昆都仑区", "compulsory_treatment",
                   "检察院申请对实施暴力行为的精神病人强制医疗，被申请人没有委托诉讼代理人",
                   category="compulsory_medical", phone=False))


# What dispatch matches on: the county of the matter (a Baotou applicant's
# own county by the ID number, a notice's court or authority), the
# language (Mongolian for some in the banners), co-defendants and related
# cases in joint crimes. rng2: the applications above stay as they were.
COUNTY_OF_REGION = {v: k for k, v in REGION.items()}


def id2(region, year):
    first17 = f"{region}{year:04d}{rng2.randint(1, 12):02d}{rng2.randint(1, 28):02d}" \
              f"{rng2.randint(1, 99):02d}{rng2.choice('0123456789')}"
    return first17 + id_check_digit(first17)


def name2():
    return rng2.choice(SURNAMES) + "".join(rng2.choice(GIVEN) for _ in range(rng2.choice([1, 2])))


for a in apps:
    ident = a["applicant"].get("id_number", "")
    if a["channel"] == "authority_notice":
        name = a["authority"]["name"]
        for c in COUNTIES:
            if c in name or SHORT[c] in a["authority"].get("reference", ""):
                a["county"] = c
                break
    elif ident[:6] in COUNTY_OF_REGION:
        a["county"] = COUNTY_OF_REGION[ident[:6]]
    if mongolian_name(a["applicant"]["name"]) or a.get("county") == "达尔罕茂明安联合旗" and \
            rng2.random() < 0.5:
        a["language"] = "mongolian"
# Joint crimes: co-defendants (one defender may not defend two, S3 art. 43)
# and the related case handled separately. Not on the minors' lines.
for a in apps:
    if a["channel"] != "authority_notice" or a.get("ground") == "minor":
        continue
    if "抢劫" in a["matter"] or "运输毒品" in a["matter"]:
        county = a.get("county", "东河区")
        a["co_defendants"] = [{"name": name2(), "id_number": id2(REGION[county], rng2.randint(1975, 2000))},
                              {"name": name2()}]
        a["related_cases"] = [f"(2026)内{COURT_CODE[county]}刑初{rng2.randint(60, 99)}号"]
write("applications.jsonl", apps)

# --- lines with mistakes ----------------------------------------------------
good = applicant()
bad_check = good["id_number"][:17] + ("0" if good["id_number"][17] != "0" else "1")
errors = [
    {"centre": "BT", "channel": "window", "station": "BT-CENTRE",
     "applicant": {"name": person_name(), "id_number": bad_check, "phone": mobile()},
     "category": "civil", "matter": "身份证号最后一位抄错（校验位不符）", "commitment_signed": True},
    {"centre": "BT", "channel": "walk_in", "station": "BT-CENTRE", "applicant": applicant(),
     "category": "civil", "matter": "渠道写成了 walk_in", "commitment_signed": True},
    {"centre": "BT", "channel": "window", "station": "BT-CENTRE", "applicant": applicant(),
     "category": "civil", "matter": "字段名拼错", "commitment": True},
    {"centre": "BT", "channel": "authority_notice", "applicant": {"name": person_name()},
     "category": "criminal_defence", "matter": "法院通知漏填通知机关",
     "ground": "minor"},
]
path = os.path.join(OUT, "applications-with-errors.jsonl")
with open(path, "w", encoding="utf-8") as f:
    for r in errors:
        f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    f.write('{"centre":"BT","channel":"window","applicant":{"name":"半行JSON"\n')
    first = {k: v for k, v in apps[0].items() if k not in ("county", "language")}
    f.write(json.dumps(first | {"applicant": applicant(), "matter": "这一行是正确的：坏行不会挡住好行"},
                       ensure_ascii=False, separators=(",", ":")) + "\n")
print(f"{path}: {len(errors) + 2} lines")
