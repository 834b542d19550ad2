#!/usr/bin/env python3
"""gen-intern.py - writes the demo year of internship places (issue 19): the
qualification office's certificate list and the firms' places, for the pool
of lawyers.jsonl (next to this script; gen-demo.py writes it).

    python3 deploy/demo/gen-intern.py [OUT_DIR]    (default: next to this script)

intern-places.jsonl      the 20 law firms of the pool offer 60 places for 2027,
                         in rows of one or two under a supervisor of the firm
                         (a practising lawyer, active, licensed three years or
                         more, no disciplinary record: at most two interns
                         each), with areas of practice, county, the firm's
                         phone and the first day
intern-candidates.csv    110 holders of the 2026 certificate (法律职业资格证书)
                         registered for 2027: name, certificate number, ID
                         number, phone, county, education and wishes (firms
                         by name, areas of practice, or * for any place);
                         five do not want to practise, and the last two rows
                         are wrong on purpose (an ID number whose check
                         character is wrong, a missing phone) to show the
                         import naming line and field

The same seed gives the same files on every run.
"""
import csv
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else HERE
rng = random.Random(20261202)
PERIOD = "2027"
AREAS = ["民事", "刑事", "行政", "劳动", "婚姻家事", "公司", "知识产权"]
REGIONS = {"东河区": "150202", "昆都仑区": "150203", "青山区": "150204", "石拐区": "150205",
           "白云鄂博矿区": "150206", "九原区": "150207", "土默特右旗": "150221",
           "固阳县": "150222", "达尔罕茂明安联合旗": "150223"}
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰萍红建文辉鹏飞斌宇浩凯健俊帆旭宁琳晨欣雪")


def id_number(region, year):
    first17 = f"{region}{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(10, 99)}{rng.randint(0, 9)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def main():
    pool = [json.loads(line) for line in open(os.path.join(HERE, "lawyers.jsonl"), encoding="utf-8")]
    firms = {}
    for l in pool:
        fit = (l.get("kind", "lawyer") == "lawyer" and l.get("status", "active") == "active"
               and not l.get("disciplinary_record") and l.get("licence_date", "9999") <= "2023-01-01")
        if l.get("kind", "lawyer") == "lawyer":
            firms.setdefault(l["firm"], {"county": l.get("county"), "supervisors": []})
            if fit:
                firms[l["firm"]]["supervisors"].append(l["id"])
    places, slots, n = [], 0, 0
    names = sorted(firms)
    while slots < 60:
        for firm in names:
            f = firms[firm]
            if not f["supervisors"] or slots >= 60:
                continue
            sup = f["supervisors"].pop(0)
            count = 2 if rng.random() < 0.35 and slots + 2 <= 60 else 1
            n += 1
            places.append({"period": PERIOD, "id": f"P{PERIOD}-{n:03d}", "firm": firm, "count": count,
                           "areas": rng.sample(AREAS, rng.choice([1, 2, 2, 3])), "county": f["county"],
                           "supervisor_id": sup, "contact_phone": f"0472{rng.randint(2000000, 7999999)}",
                           "starts_on": "2027-03-01"})
            slots += count
    with open(os.path.join(OUT, "intern-places.jsonl"), "w", encoding="utf-8") as out:
        for p in places:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")

    counties = list(REGIONS)
    rows, used = [], set()
    for i in range(110):
        while True:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
            if name not in used:
                used.add(name)
                break
        county = rng.choice(counties[:6]) if rng.random() < 0.8 else rng.choice(counties)
        wishes = []
        for _ in range(rng.randint(1, 4)):
            r = rng.random()
            w = rng.choice(names) if r < 0.45 else rng.choice(AREAS) if r < 0.9 else "*"
            if w not in wishes:
                wishes.append(w)
        rows.append({"period": PERIOD, "certificate": f"A2026150{rng.randint(1000000, 9999999)}",
                     "name": name, "id_number": id_number(REGIONS[county], rng.randint(1994, 2002)),
                     "phone": f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
                     "county": county, "education": rng.choice(["本科", "本科", "硕士", "硕士", "博士"]),
                     "wishes": "; ".join(wishes), "practise": "否" if i % 22 == 5 else "是"})
    bad_id = dict(rows[0], certificate="A20261509999998", name="错号码", phone="13900000001")
    bad_id["id_number"] = bad_id["id_number"][:17] + ("1" if bad_id["id_number"][17] != "1" else "2")
    no_phone = dict(rows[1], certificate="A20261509999999", name="缺电话", phone="")
    rows += [bad_id, no_phone]
    with open(os.path.join(OUT, "intern-candidates.csv"), "w", encoding="utf-8", newline="") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"intern-places.jsonl: {len(places)} rows, {slots} places; "
          f"intern-candidates.csv: {len(rows)} rows", file=sys.stderr)


main()
