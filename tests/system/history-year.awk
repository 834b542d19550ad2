# history-year.awk - a year of the previous system's records the size of
# Baotou's 2022 (DOMAIN.md): 1,889 cases aided (981 civil, 688 criminal,
# 14 administrative, 206 legal help by duty lawyers), 1,915 aided
# person-times, 7,323 consultations by channel, amounts recovered, priority
# groups and file grades; plus refused applications, which are not cases.
# Writes OUT/history.jsonl, OUT/consultations.csv and OUT/expected (the
# totals the report must reproduce, "key value" a line).
#
#   usage: awk -v out=DIR -v year=2022 -f history-year.awk
function id(seq,    p, s, j) {
    p = sprintf("150203%04d%02d%02d%03d", 1950 + seq % 50, 1 + seq % 12, 1 + seq % 28, seq % 1000)
    s = 0
    for (j = 1; j <= 17; j++) s += substr(p, j, 1) * w[j]
    return p substr("10X98765432", s % 11 + 1, 1)
}
# The n-th record's days: received, then plus d days (d <= 2) in the same
# month; concluded the month after (never past December: months 1-11).
function day(n, d) { return sprintf("%s-%02d-%02d", year, 1 + n % 11, 1 + n % 26 + d) }
function later(n) { return sprintf("%s-%02d-%02d", year, 2 + n % 11, 1 + n % 26) }
BEGIN {
    split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
    split("昆都仑区 青山区 东河区 九原区 石拐区 白云鄂博矿区 土默特右旗 固阳县 达尔罕茂明安联合旗", counties, " ")
    cases = out "/history.jsonl"
    n = 0
    # kind, how many, category
    kinds[1] = "civil"; many[1] = 981; cat[1] = "civil"; extra[1] = ",\"scope_item\":4"
    kinds[2] = "criminal"; many[2] = 688; cat[2] = "criminal_defence"; extra[2] = ",\"custody_facility\":\"包头市看守所\""
    kinds[3] = "administrative"; many[3] = 14; cat[3] = "administrative"; extra[3] = ",\"scope_item\":2"
    kinds[4] = "legal_help"; many[4] = 206; cat[4] = "criminal_defence"; extra[4] = extra[2]
    grades[0] = "excellent"; grades[1] = "good"; grades[2] = "pass"
    for (k = 1; k <= 4; k++) {
        for (i = 0; i < many[k]; i++) {
            n++
            # 12 people come back with a second case: one person, two cases
            person = (n > 1800 && n <= 1812) ? n - 1000 : n
            group = ""
            if (k == 1 && n % 4 == 0) { group = "\"groups\":[\"migrant_worker\"],"; g["migrant_worker"]++ }
            else if (n % 9 == 0) { group = "\"groups\":[\"elderly\"],"; g["elderly"]++ }
            also = ""
            if ((n % 70 == 1 || n == 2) && k != 4) { # 26 cases aid a second person
                also = sprintf(",\"also_aided\":[{\"name\":\"同案受援人%d\",\"id_number\":\"%s\"}]", n, id(50000 + n))
                persons++; seen[id(50000 + n)] = 1
            }
            persons++
            seen[id(person)] = 1
            county = counties[1 + n % 9]
            bycounty[county]++
            amount = 0; concluded = ""; grade = ""
            if (k == 1) { amount = (n % 40 + 1) * 93000; recovered += amount }
            if (n % 3 != 0) {
                concluded = sprintf(",\"concluded_at\":\"%s\",\"result\":\"结案\",\"amount_recovered_fen\":%d", later(n), amount)
                if (n % 2 == 0) { grade = sprintf(",\"grade\":\"%s\"", grades[n % 3 == 1 ? 0 : 1]); gr[grades[n % 3 == 1 ? 0 : 1]]++ }
            } else recovered -= amount
            printf "{\"channel\":\"window\",\"station\":\"BT-CENTRE\",\"applicant\":{\"name\":\"历史申请人%d\",\"id_number\":\"%s\"},\"category\":\"%s\"%s,\"matter\":\"原系统案件 %d\",\"county\":\"%s\",%s\"received_at\":\"%s\",\"history\":{\"source_id\":\"OLD-%s-%05d\",\"granted\":true,\"decided_at\":\"%s\",\"lawyer_id\":\"OLD-L%03d\",\"lawyer_name\":\"原律师%d\",\"firm\":\"原律所%d\",\"assigned_at\":\"%s\"%s%s%s%s}}\n", \
                n, id(person), cat[k], extra[k], n, county, group, day(n, 0), year, n, day(n, 1), n % 90, n % 90, n % 12, day(n, 2), \
                (k == 4 ? ",\"legal_help\":true" : ""), concluded, grade, also > cases
        }
    }
    for (i = 1; i <= 30; i++) { # refused: applications, never cases
        n++
        printf "{\"channel\":\"phone\",\"applicant\":{\"name\":\"历史申请人%d\",\"id_number\":\"%s\"},\"category\":\"civil\",\"scope_item\":4,\"matter\":\"原系统不予援助 %d\",\"county\":\"%s\",\"received_at\":\"%s\",\"history\":{\"source_id\":\"OLD-%s-%05d\",\"granted\":false,\"decision_reason\":\"经济状况超过标准\",\"decided_at\":\"%s\"}}\n", \
            n, id(90000 + i), n, counties[1], day(i, 0), year, n, day(i, 1) > cases
    }
    consult = out "/consultations.csv"
    print "source_id,channel,station,category,topic,at" > consult
    split("visit by_telephone internet letter", chans, " ")
    split("4120 2510 668 25", chan_n, " ")
    c = 0
    for (k = 1; k <= 4; k++)
        for (i = 0; i < chan_n[k]; i++) {
            c++
            printf "OLDC-%s-%05d,%s,BT-CENTRE,civil,\"咨询, 第%d号\",%s 09:30\n", year, c, chans[k], c, day(c, 0) > consult
        }
    for (p in seen) distinct++
    e = out "/expected"
    print "cases", n - 30 > e
    for (k = 1; k <= 4; k++) print "kind." kinds[k], many[k] > e
    print "person_times", persons > e
    print "distinct", distinct > e
    print "consultations", c > e
    for (k = 1; k <= 4; k++) print "channel." chans[k], chan_n[k] > e
    print "recovered_fen", recovered > e
    for (x in g) print "group." x, g[x] > e
    for (x in gr) print "grade." x, gr[x] > e
    print "county." counties[1], bycounty[counties[1]] > e
}
