// pages.mjs - the gateway's pages in a real browser (Debian's chromium,
// headless, driven by puppeteer-core): what tests/system/web.sh prepared is
// given in the environment. Prints "ok ..." / "FAIL ..." lines; exits 1 on
// any failure. Screenshots go to SHOTS (look at them: cut or overflowing
// Chinese, an empty table, are defects).
//
//   URL OPS_PASSWORD DESK_PASSWORD LAWYER_PASSWORD QUEUES_JSON DAILY_JSON DUTY_JSON STATIONS
//   OFFER_LINK LAPSED_LINK SHOTS CHROMIUM
import fs from 'node:fs';
import { createRequire } from 'node:module';

// puppeteer-core from the npm cache web.sh fills (NODE_PATH is not read by
// ES modules).
const puppeteer = createRequire(process.env.NODE_PATH + '/')('puppeteer-core');

const env = process.env;
let fails = 0;
const ok = (m) => console.log('ok    ' + m);
const bad = (m) => { console.log('FAIL  ' + m); fails++; };
const check = (m, cond) => (cond ? ok(m) : bad(m));

const browser = await puppeteer.launch({
  executablePath: env.CHROMIUM,
  headless: true,
  // No background traffic: CI's network is closed (and these are loopback tests).
  args: ['--no-sandbox', '--disable-gpu', '--lang=zh-CN', '--font-render-hinting=none',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-quic', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900 });

  // Sign in: a wrong password first, then the right one.
  await page.goto(env.URL + '/board');
  check('an unsigned visit to the board lands on the sign-in page', page.url().endsWith('/login'));
  await page.screenshot({ path: env.SHOTS + '/login.png' });
  await page.type('input[name=name]', 'ops');
  await page.type('input[name=password]', 'wrong-password');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  const err = await page.$eval('.error', (e) => e.textContent).catch(() => '');
  check('a wrong password is refused, saying so (' + err + ')', err.includes('用户名或密码错误'));
  await page.$eval('input[name=name]', (e) => { e.value = ''; }); // kept from the refusal
  await page.type('input[name=name]', 'ops');
  await page.type('input[name=password]', env.OPS_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  check('ops signs in and sees the operations board', page.url().endsWith('/board'));
  const cookies = await page.cookies();
  const sess = cookies.find((c) => c.name === 'la_session');
  check('the session cookie is HttpOnly and SameSite=Strict',
        sess && sess.httpOnly && sess.sameSite === 'Strict');

  // The board's figures are the daemons' own, as legalaidctl queues --json.
  await page.waitForSelector('#board[data-loaded="1"]', { timeout: 15000 });
  const shown = await page.$$eval('#counters dd[data-counter]', (dds) =>
    dds.map((d) => [d.dataset.counter, d.lastElementChild.textContent]));
  const queues = JSON.parse(fs.readFileSync(env.QUEUES_JSON, 'utf8'));
  const want = {};
  for (const d of queues) for (const c of d.counters || []) want[d.daemon + '.' + c.name] = String(c.value || 0);
  const differ = Object.keys(want).filter((k) => !shown.some(([n, v]) => n === k && v === want[k]));
  check(`the board shows every counter of legalaidctl queues --json (${Object.keys(want).length}), ` +
        `equal${differ.length ? ': differ ' + differ.join(', ') : ''}`,
        Object.keys(want).length > 20 && differ.length === 0);
  const up = await page.$$eval('#daemons tbody tr td.up', (t) => t.length);
  check('all five daemons show as running', up === 5);
  const waiting = await page.$eval('[data-counter="dispatch.offered_now"] .value', (e) => e.textContent);
  const wantOffered = want['dispatch.offered_now'];
  check(`the queue tile "offered" shows ${wantOffered}`, waiting === wantOffered);
  const consumers = await page.$$eval('#consumers tbody tr', (r) => r.length);
  check(`the stream consumers are listed (${consumers})`, consumers >= 5);
  // Every domain queue's ages, as legalaidctl queues --json has them.
  const ages = await page.$$eval('#ages tr[data-queue]', (trs) =>
    trs.map((t) => [t.dataset.queue, Array.from(t.children).slice(1, 7).map((c) => c.textContent)]));
  const wantAges = [];
  for (const d of queues) for (const q of d.queue_ages || [])
    wantAges.push([d.daemon + '.' + q.name, (q.buckets || []).map(String).concat(String(q.total || 0))]);
  const agesDiffer = wantAges.filter(([n, v]) => !ages.some(([m, w]) => m === n && w.join() === v.join()));
  check(`the board shows each queue's ages as legalaidctl queues --json (${wantAges.length} queues` +
        `${agesDiffer.length ? ', differ: ' + agesDiffer.map((x) => x[0]).join(' ') : ''})`,
        wantAges.length >= 5 && agesDiffer.length === 0);
  const offeredAges = ages.find(([n]) => n === 'dispatch.offered');
  check(`dispatch's two offers are in the offered queue's newest bucket (${offeredAges && offeredAges[1]})`,
        offeredAges && offeredAges[1][0] === '1' && offeredAges[1][5] === '2');
  await page.screenshot({ path: env.SHOTS + '/board.png', fullPage: true });

  // A POST without the CSRF token is refused; with it, it reaches the daemon.
  const noToken = await page.evaluate(async () => {
    const r = await fetch('/api/redrive', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                            body: JSON.stringify({ daemon: 'intake', id: 1 }) });
    return r.status;
  });
  check(`a re-drive without the CSRF token is refused (${noToken})`, noToken === 403);
  const withToken = await page.evaluate(async () => {
    const csrf = document.getElementById('board').dataset.csrf;
    const r = await fetch('/api/redrive', { method: 'POST', body: JSON.stringify({ daemon: 'intake', id: 99 }),
                                            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } });
    return [r.status, (await r.json()).detail];
  });
  check(`with the token the daemon itself answers (${withToken[0]}: ${withToken[1]})`,
        withToken[0] === 422 && /no dead letter 99/.test(withToken[1]));

  // The offered lawyer signs in on a phone of their own (a browser context
  // apart: its cookie is not the board's): the offer on their page, the
  // applicant masked, with the SMS's link; the board is not theirs.
  const lawyerCtx = await browser.createBrowserContext();
  const lawyer = await lawyerCtx.newPage();
  await lawyer.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  await lawyer.goto(env.URL + '/login');
  await lawyer.type('input[name=name]', 'offered');
  await lawyer.type('input[name=password]', env.LAWYER_PASSWORD);
  await Promise.all([lawyer.waitForNavigation(), lawyer.click('button[type=submit]')]);
  check(`the lawyer signs in to their own page (${lawyer.url()})`, lawyer.url().endsWith('/lawyer'));
  const offerPath = new URL(env.OFFER_LINK).pathname;
  const desk = async () => lawyer.$$eval('#lawyer article.case', (arts) => arts.map((a) => ({
    list: a.closest('section').id, state: a.dataset.state || '', text: a.textContent,
    href: (a.querySelector('a.button') || { getAttribute: () => '' }).getAttribute('href') })));
  let onDesk = await desk();
  const offerShown = onDesk.find((c) => c.list === 'offers');
  check(`their page shows the open offer with the SMS's link, applicant masked (${offerShown && offerShown.href})`,
        onDesk.length === 1 && offerShown && offerShown.href === offerPath &&
        /受援人周\*/.test(offerShown.text) && !offerShown.text.includes('周七') && /答复期限/.test(offerShown.text));
  await lawyer.screenshot({ path: env.SHOTS + '/lawyer-offer.png', fullPage: true });
  const lawyerBoard = await lawyer.goto(env.URL + '/board');
  const lawyerTrend = await lawyer.goto(env.URL + '/api/trend');
  check(`the lawyer may not open the board or its figures (${lawyerBoard.status()}, ${lawyerTrend.status()})`,
        lawyerBoard.status() === 403 && lawyerTrend.status() === 403);

  // The lawyer's phone: the offer link, accept, the same link again.
  const phone = await browser.newPage();
  await phone.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  await phone.goto(env.OFFER_LINK);
  const open = await phone.$eval('.message', (e) => e.dataset.code);
  const masked = await phone.$eval('dl.facts', (e) => e.textContent);
  check('the offer link opens the case with Accept and Decline', open === 'open' && !!(await phone.$('#accept')));
  check('the applicant is masked before acceptance', /受援人.\*\*/.test(masked));
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(`the offer page fits a phone (${wide}px wide)`, wide <= 390);
  await phone.screenshot({ path: env.SHOTS + '/offer.png', fullPage: true });
  await Promise.all([phone.waitForNavigation(), phone.click('#accept')]);
  const accepted = await phone.$eval('.message', (e) => e.dataset.code);
  check('accepting says accepted', accepted === 'accepted');
  await phone.screenshot({ path: env.SHOTS + '/offer-accepted.png', fullPage: true });
  const again = await phone.goto(env.OFFER_LINK);
  const againCode = await phone.$eval('.message', (e) => e.dataset.code);
  check(`the same link again says already answered (${again.status()})`,
        againCode === 'already-answered' && again.status() === 409);
  const lapsed = await phone.goto(env.LAPSED_LINK);
  const lapsedCode = await phone.$eval('.message', (e) => e.dataset.code);
  check(`a lapsed offer's link is refused (${lapsed.status()}, ${lapsedCode})`,
        lapsedCode === 'lapsed' && lapsed.status() === 410 && !(await phone.$('#accept')));
  await phone.screenshot({ path: env.SHOTS + '/offer-lapsed.png', fullPage: true });
  // Accepted: on the lawyer's page the case is theirs, whole (whom to
  // contact), with the five days to sign the agreement; no offer is left.
  await lawyer.goto(env.URL + '/lawyer');
  onDesk = await desk();
  const taken = onDesk.find((c) => c.list === 'cases');
  check(`after accepting, their page lists the case whole with the agreement deadline`,
        onDesk.length === 1 && taken && taken.state === 'ASSIGNED' && taken.text.includes('周七') &&
        /签订委托协议/.test(taken.text) && !onDesk.some((c) => c.list === 'offers'));
  const lawyerWide = await lawyer.evaluate(() => document.documentElement.scrollWidth);
  check(`the lawyer's page fits a phone (${lawyerWide}px wide)`, lawyerWide <= 390);
  await lawyer.screenshot({ path: env.SHOTS + '/lawyer.png', fullPage: true });
  await lawyerCtx.close();

  // The board's charts, the acceptance included: the figures by day are
  // legalaidctl daily --json's (taken before it) with one assignment more,
  // and every chart has drawn its series (coloured pixels on its canvas:
  // the axes and grid are grey).
  await page.bringToFront();
  await page.goto(env.URL + '/board');
  await page.waitForSelector('#trend[data-loaded="1"]', { timeout: 15000 });
  const daily = JSON.parse(fs.readFileSync(env.DAILY_JSON, 'utf8'));
  const total = (name) => {
    for (const d of daily) for (const s of d.series || []) if (s.name === name) return Number(s.count || 0);
    return 0;
  };
  const charts = await page.$$eval('#trend figure.chart', (figs) => figs.map((f) => {
    const c = f.querySelector('canvas');
    let ink = 0;
    if (c) {
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < px.length; i += 4) {
        const [r, g, b, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
        if (a > 200 && Math.abs(r - g) + Math.abs(g - b) + Math.abs(r - b) > 80) ink++;
      }
    }
    return { name: f.dataset.chart, ink, data: { ...f.dataset }, sum: f.querySelector('.sum').textContent };
  }));
  const chart = (n) => charts.find((c) => c.name === n) || { ink: 0, data: {}, sum: '' };
  const d = chart('daily').data;
  check(`the daily chart counts what legalaidctl daily does (applications ${d.applications} of ` +
        `${total('applications')}, decisions ${d.decisions} of ${total('decision_seconds')}, ` +
        `assignments ${d.assignments} = ${total('assign_seconds')} + the one accepted)`,
        total('applications') >= 2 && Number(d.applications) === total('applications') &&
        Number(d.decisions) === total('decision_seconds') &&
        Number(d.assignments) === total('assign_seconds') + 1);
  check(`the time to assign counts the acceptance (${chart('assign').sum})`,
        Number(chart('assign').data.count) === total('assign_seconds') + 1);
  check(`the load chart has the pool with the offers made (${chart('load').sum})`,
        Number(chart('load').data.lawyers) >= 20 && Number(chart('load').data.offers) >= 2);
  const blank = charts.filter((c) => c.ink < 30).map((c) => c.name + ':' + c.ink);
  check(`all four charts draw their series (${charts.map((c) => c.name + ' ' + c.ink + 'px').join(', ')})`,
        charts.length === 4 && blank.length === 0);
  const trend = await page.$('#trend');
  await trend.screenshot({ path: env.SHOTS + '/charts.png' });

  const forged = await phone.goto(env.OFFER_LINK.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
  check(`a link with a wrong signature is refused (${forged.status()})`, forged.status() === 404);

  // The duty board: every station at the roster's now (next Monday 10:00),
  // as legalaidctl duty tells it.
  await page.bringToFront();
  await page.goto(env.URL + '/duty');
  await page.waitForSelector('#duty[data-loaded="1"]', { timeout: 15000 });
  const rows = await page.$$eval('#stations tbody tr[data-station]', (trs) =>
    trs.map((t) => [t.dataset.station, t.textContent, t.lastElementChild.dataset.coverage]));
  check(`the duty board shows every station (${rows.length} of ${env.STATIONS})`,
        rows.length === Number(env.STATIONS));
  const duty = JSON.parse(fs.readFileSync(env.DUTY_JSON, 'utf8'));
  const a = (duty.on_duty || []).find((sh) => sh.role === 'PRIMARY');
  const court = rows.find((r) => r[0] === 'BT-COURT-01');
  check(`BT-COURT-01's A post is legalaidctl duty's (${a && a.lawyer_name}), checked in`,
        a && court && court[1].includes(a.lawyer_name) && court[1].includes('已签到') && court[2] === 'up');
  const dc = rows.find((r) => r[0] === 'BT-DC-01');
  check('BT-DC-01, where neither A nor B came, is a gap',
        dc && dc[2] === 'down' && dc[1].includes('缺岗'));
  const gaps = await page.$$eval('#gaps li[data-gap]', (lis) => lis.map((l) => l.dataset.gap));
  check(`the gaps list names BT-DC-01 (${gaps.join(' ')})`, gaps.includes('BT-DC-01'));
  await page.screenshot({ path: env.SHOTS + '/duty.png', fullPage: true });
  // (the top of it for the README)
  await page.screenshot({ path: env.SHOTS + '/duty-top.png', clip: { x: 0, y: 0, width: 1366, height: 1100 } });

  // A POST without the CSRF token is refused.
  const noCsrf = await page.evaluate(async (u) => (await fetch(u + '/desk/raise', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'kind=consultation&person_name=x' })).status, env.URL);
  check(`a desk form posted without the CSRF token is refused (${noCsrf})`, noCsrf === 403);

  // Sign out: the board is gone with the session.
  await Promise.all([page.waitForNavigation(), page.click('header form.out button')]);
  const after = await page.goto(env.URL + '/api/board');
  check(`after signing out the board's data is refused (${after.status()})`, after.status() === 401);

  // The desk of BT-DC-01: lands on its page, raises a request, sees it on
  // the duty board with the holder, acknowledges that the lawyer took it.
  await page.goto(env.URL + '/login');
  await page.type('input[name=name]', 'desk');
  await page.type('input[name=password]', env.DESK_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  check('the desk signs in to its own page', page.url().endsWith('/desk'));
  const deskBoard = await page.goto(env.URL + '/board');
  check(`the desk may not open the operations board (${deskBoard.status()})`, deskBoard.status() === 403);
  await page.goto(env.URL + '/desk');
  await page.select('select[name=kind]', 'consultation');
  await page.type('input[name=person_name]', '郑某某');
  await page.type('textarea[name=detail]', '在押人员要求值班律师提供法律咨询');
  await Promise.all([page.waitForNavigation(), page.click('form.raise button[type=submit]')]);
  const raised = await page.$eval('.message', (e) => [e.dataset.code, e.textContent]).catch(() => ['', '']);
  const id = (raised[1].match(/DR-\d{4}-\d{6}/) || [''])[0];
  check(`raising a duty request says raised (${raised[1]})`, raised[0] === 'raised' && id);
  await page.waitForSelector('#duty[data-loaded="1"]', { timeout: 15000 });
  const mine = await page.$eval(`#open tr[data-request="${id}"]`, (t) => t.textContent).catch(() => '');
  check(`the desk's page lists it open, for 郑某某 (${mine})`, mine.includes('郑某某') && mine.includes('待接收'));
  await page.screenshot({ path: env.SHOTS + '/desk.png', fullPage: true });
  await page.goto(env.URL + '/duty');
  await page.waitForSelector('#duty[data-loaded="1"]', { timeout: 15000 });
  const onBoard = await page.$eval(`#open tr[data-request="${id}"]`, (t) => t.textContent).catch(() => '');
  check(`the duty board shows the desk's request with its holder (${onBoard})`,
        onBoard.includes('BT-DC-01') && /B岗|A岗|中心/.test(onBoard));
  await page.goto(env.URL + '/desk');
  await page.waitForSelector(`#open tr[data-request="${id}"] form.ack button`, { timeout: 15000 });
  const centre = await page.$(`#open tr[data-request="${id}"] input[name=lawyer_id]:not([type=hidden])`);
  if (centre) await centre.type(a.lawyer_id); // routed to the centre: name a lawyer serving today
  await Promise.all([page.waitForNavigation(), page.click(`#open tr[data-request="${id}"] form.ack button`)]);
  const acked = await page.$eval('.message', (e) => e.dataset.code).catch(() => '');
  check(`acknowledging says acknowledged (${acked})`, acked === 'acknowledged');
  await Promise.all([page.waitForNavigation(), page.click('header form.out button')]);
} finally {
  await browser.close();
}
process.exit(fails ? 1 : 0);
