// board.js - the operations board: reads /api/board every few seconds and
// redraws its tables and tiles in place (no reload). The figures are the
// daemons' own status counters, as `legalaidctl queues --json` shows them.
(function () {
  'use strict';
  var root = document.getElementById('board');
  var csrf = root.dataset.csrf, admin = root.dataset.admin === '1';
  var NAMES = { intake: '受理', eligibility: '审查', dispatch: '指派', roster: '值班', notify: '通知' };
  // The queues people act on: [daemon, counter, label, alert when > 0].
  var QUEUES = [
    ['eligibility', 'needs_materials', '待补充材料', false],
    ['eligibility', 'deadlines_open', '审查期限进行中', false],
    ['eligibility', 'objections_overdue', '异议逾期未处理', true],
    ['dispatch', 'waiting', '待指派', false],
    ['dispatch', 'offered_now', '已发出指派待答复', false],
    ['dispatch', 'needs_staff', '需人工指派', true],
    ['dispatch', 'assignment_overdue', '指派逾期', true],
    ['dispatch', 'files_in_review', '卷宗评查中', false],
    ['roster', 'duty_requests_open', '值班请求未结', false],
    ['roster', 'coverage_gaps_now', '值班空岗', true],
    ['notify', 'outbox.pending', '待发送通知', false],
    ['notify', 'outbox.dead', '发送失败通知', true],
    ['notify', 'overdue', '期限已逾期', true]
  ];
  var AGES = { waiting: '待指派', offered: '已发出指派待答复', needs_staff: '需人工指派',
               awaiting_materials: '待补充材料', pending_verification: '承诺待核查' };
  var OUTBOX = { pending: '待发送', delivered: '已送达', failed_attempts: '发送失败次数',
                 unrouted: '无法投递（无联系方式）', dead: '发送失败（已停止）' };
  var KIND = { decision: '审查决定', assignment: '指派', agreement: '委托协议', closing_file: '结案归档',
               review: '卷宗评查', objection: '异议', verification: '核查', hearing: '开庭',
               offer: '指派答复', checkin: '值班签到', duty_answer: '值班请求答复' };

  var el = LA.el, age = LA.age, when = LA.when;
  function counters(d) {
    var m = {};
    (d.counters || []).forEach(function (c) { m[c.name] = Number(c.value || 0); });
    return m;
  }
  function fill(id, rows) { LA.fill(id, rows); }

  function draw(data) {
    var by = {};
    data.daemons.forEach(function (d) { by[d.daemon] = d; });
    fill('daemons', data.daemons.map(function (d) {
      var tr = el('tr', { 'data-daemon': d.daemon });
      tr.append(el('td', {}, (NAMES[d.daemon] || '') + ' ' + d.daemon));
      var st = d.refused ? ['refused', '无权查看'] : d.up ? ['up', '运行中'] : ['down', '无应答'];
      var td = el('td', { class: st[0] }, st[1]);
      if (d.error) td.title = d.error;
      tr.append(td);
      tr.append(el('td', { class: 'num' }, d.up && !d.refused ? (d.head_seq || 0) : '—'));
      tr.append(el('td', {}, d.head_at ? when(Number(d.head_at)) + '（' + age(Number(d.now) - Number(d.head_at)) + '前）' : '—'));
      tr.append(el('td', { class: 'num' }, d.up && !d.refused ? (d.dead_letters || 0) : '—'));
      return tr;
    }));
    var tiles = document.getElementById('queues');
    tiles.replaceChildren();
    QUEUES.forEach(function (q) {
      var d = by[q[0]], c = d && d.up && !d.refused ? counters(d) : null;
      var v = c ? (c[q[1]] || 0) : '—';
      var t = el('div', { class: 'tile' + (q[3] && v > 0 ? ' alert' : ''), 'data-counter': q[0] + '.' + q[1] });
      t.append(el('div', { class: 'label' }, q[2]), el('div', { class: 'value' }, v));
      tiles.append(t);
    });
    var n = by.notify && by.notify.up ? counters(by.notify) : {};
    Object.keys(n).filter(function (k) { return k.indexOf('overdue.') === 0; }).sort().forEach(function (k) {
      var kind = k.slice(8);
      var t = el('div', { class: 'tile' + (n[k] > 0 ? ' alert' : ''), 'data-counter': 'notify.' + k });
      t.append(el('div', { class: 'label' }, '逾期：' + (KIND[kind] || kind)), el('div', { class: 'value' }, n[k]));
      tiles.append(t);
    });
    // How long each domain queue's members have waited (qshape's view).
    var rows = [];
    data.daemons.forEach(function (d) {
      (d.queue_ages || []).forEach(function (q) {
        var tr = el('tr', { 'data-queue': d.daemon + '.' + q.name });
        tr.append(el('td', {}, AGES[q.name] || q.name));
        (q.buckets || []).forEach(function (n, i) {
          tr.append(el('td', { class: 'num' + (i >= 3 && Number(n) > 0 ? ' refused' : '') }, n));
        });
        tr.append(el('td', { class: 'num' }, q.total || 0),
                  el('td', {}, Number(q.total) ? age(Number(d.now) - Number(q.oldest_at)) : '—'));
        rows.push(tr);
      });
    });
    LA.fill('ages', rows, '没有队列时长数据', 8);
    // notify's outbox by state.
    rows = [];
    Object.keys(n).filter(function (k) { return k.indexOf('outbox.') === 0; }).sort().forEach(function (k) {
      var tr = el('tr', { 'data-counter': 'notify.' + k });
      tr.append(el('td', {}, OUTBOX[k.slice(7)] || k.slice(7)), el('td', { class: 'num' }, n[k]));
      rows.push(tr);
    });
    LA.fill('outbox', rows, '通知服务无应答', 2);
    rows = [];
    data.daemons.forEach(function (d) {
      (d.consumers || []).forEach(function (c) {
        var tr = el('tr');
        var lag = Number(c.lag || 0);
        tr.append(el('td', {}, d.stream), el('td', {}, c.consumer),
                  el('td', { class: 'num' }, c.acked_seq || 0),
                  el('td', { class: 'num' + (lag ? ' refused' : '') }, lag),
                  el('td', {}, lag && c.oldest_unconsumed_at ? age(Number(d.now) - Number(c.oldest_unconsumed_at)) : '—'),
                  el('td', {}, c.last_fetch_at ? age(Number(d.now) - Number(c.last_fetch_at)) + '前' : '从未'));
        rows.push(tr);
      });
    });
    fill('consumers', rows);
    rows = [];
    Object.keys(data.dead_letters).forEach(function (name) {
      var l = data.dead_letters[name];
      (l && l.items || []).forEach(function (x) {
        var tr = el('tr');
        tr.append(el('td', {}, name), el('td', { class: 'num' }, x.id), el('td', {}, when(Number(x.at))),
                  el('td', {}, x.case_id || '—'), el('td', { class: 'reason' }, x.reason));
        var td = el('td');
        if (admin) {
          var b = el('button', { class: 'redrive', type: 'button' }, '重新处理');
          b.addEventListener('click', function () { redrive(name, x.id); });
          td.append(b);
        }
        tr.append(td);
        rows.push(tr);
      });
    });
    if (!rows.length) {
      var tr = el('tr');
      tr.append(el('td', { colspan: 6 }, '没有死信'));
      rows.push(tr);
    }
    fill('dead', rows);
    var box = document.getElementById('counters'), dl = el('dl');
    data.daemons.forEach(function (d) {
      dl.append(el('dt', {}, (NAMES[d.daemon] || '') + ' ' + d.daemon));
      (d.counters || []).forEach(function (c) {
        var dd = el('dd', { 'data-counter': d.daemon + '.' + c.name });
        dd.append(el('span', {}, c.name), el('span', { class: 'num' }, c.value || 0));
        dl.append(dd);
      });
    });
    box.replaceChildren(dl);
    document.getElementById('updated').textContent = when(Number(data.now)) +
      ':' + new Date(Number(data.now)).toISOString().slice(17, 19);
  }

  function redrive(daemon, id) {
    if (!window.confirm('确认重新处理 ' + daemon + ' 的死信 ' + id + '？此操作将记入审计。')) return;
    fetch('/api/redrive', { method: 'POST', credentials: 'same-origin',
                            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
                            body: JSON.stringify({ daemon: daemon, id: id }) })
      .then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
      .then(function (x) { if (!x[0]) window.alert(x[1].detail || '重新处理失败'); load(); });
  }

  var load = LA.poll('/api/board', 5000, draw, root);
})();
