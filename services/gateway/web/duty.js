// duty.js - the duty board (/duty: every station at a chosen time) and a
// station desk's page (/desk: its own station, with "acknowledge" on its
// open requests). Reads /api/duty (the roster's DutyBoard); at "now" it
// refreshes every 15 s, a chosen time is drawn once. Enums come as the
// .proto value names (PRIMARY, DUTY_REQUEST_ROUTED), as legalaidctl --json.
(function () {
  'use strict';
  var el = LA.el, age = LA.age, when = LA.when, clock = LA.clock;
  var root = document.getElementById('duty');
  var desk = root.dataset.desk === '1', csrf = root.dataset.csrf;
  var KIND = { DUTY_CONSULTATION: '法律咨询', DUTY_PLEA_SIGNING: '具结书签署在场',
               DUTY_MEETING: '会见', DUTY_AID_APPLICATION: '代为申请法律援助' };
  var STATE = { DUTY_REQUEST_ROUTED: ['待接收', 'waiting'], DUTY_REQUEST_ACKNOWLEDGED: ['已接收', 'up'],
                DUTY_REQUEST_COMPLETED: ['已完成', 'up'] };
  var ROUTED = { ROUTED_A: 'A岗', ROUTED_B: 'B岗', ROUTED_CENTRE: '中心调派' };
  var GAP = { GAP_NOBODY_CHECKED_IN: 'A岗、B岗均未签到', GAP_NO_BACKUP: 'A岗缺岗且无B岗',
              GAP_REQUEST_UNANSWERED: '羁押场所请求超过24小时无人接收（第49条）',
              GAP_HOLDER_LEFT_POOL: '值班律师已退出名册，无人接替' };
  var MODE = { BY_PHONE: '电话值班', ONLINE_DUTY: '网络值班' };

  function post(sh, now) {
    var td = el('td');
    if (!sh) { td.append(el('span', { class: 'none' }, '无')); return td; }
    td.append(el('strong', {}, sh.lawyer_name || sh.lawyer_id), ' ',
              el('span', { class: 'muted' }, clock(sh.starts_at) + '–' + clock(sh.ends_at)));
    if (MODE[sh.mode]) td.append(' ', el('span', { class: 'muted' }, MODE[sh.mode]));
    var chip;
    if (sh.checked_out_at) chip = ['已签退 ' + clock(sh.checked_out_at), 'muted'];
    else if (sh.checked_in_at) chip = ['已签到 ' + clock(sh.checked_in_at), 'up'];
    else if (sh.absent) chip = ['缺岗', 'down'];
    else if (sh.role === 'BACKUP' && sh.backup_activated) chip = ['已启用，未签到', 'refused'];
    else if (sh.role === 'BACKUP') chip = ['备岗', 'muted'];
    else chip = [Number(sh.starts_at) > now ? '未到班' : '未签到', 'refused'];
    td.append(' ', el('span', { class: 'chip ' + chip[1], 'data-state': chip[1] }, chip[0]));
    return td;
  }

  function stationRow(s, gapped, now) {
    var st = s.station || {}, a = null, b = null;
    (s.on_duty || []).forEach(function (sh) {
      if (sh.role === 'PRIMARY' && !a) a = sh;
      if (sh.role === 'BACKUP' && !b) b = sh;
    });
    var tr = el('tr', { 'data-station': st.code });
    var name = el('td');
    name.append(el('strong', {}, st.name || st.code), el('br'), el('span', { class: 'muted' }, st.code + (st.county ? ' · ' + st.county : '')));
    tr.append(name, post(a, now), post(b, now));
    var state;
    if (gapped) state = ['空岗', 'down'];
    else if (!a && !b) state = ['无排班', 'muted'];
    else if ((a && a.checked_in_at && !a.checked_out_at) || (b && b.checked_in_at && !b.checked_out_at)) state = ['有人值班', 'up'];
    else state = ['待签到', 'refused'];
    tr.append(el('td', { class: state[1], 'data-coverage': state[1] }, state[0]));
    return tr;
  }

  function ackForm(r) {
    var f = el('form', { method: 'post', action: '/desk/ack', class: 'ack' });
    f.append(el('input', { type: 'hidden', name: 'csrf', value: csrf }),
             el('input', { type: 'hidden', name: 'id', value: r.id }));
    if (r.routed_to === 'ROUTED_CENTRE')
      f.append(el('input', { name: 'lawyer_id', placeholder: '律师编号', required: '', size: 10 }));
    else
      f.append(el('input', { type: 'hidden', name: 'lawyer_id', value: r.lawyer_id }));
    f.append(el('button', { type: 'submit' }, '确认律师已接收'));
    return f;
  }

  function requestRow(r, now) {
    var tr = el('tr', { 'data-request': r.id });
    var st = STATE[r.state] || [r.state, ''];
    var overdue = r.answer_due_at && Number(r.answer_due_at) <= now && r.state === 'DUTY_REQUEST_ROUTED';
    var holder = r.routed_to === 'ROUTED_CENTRE' && !r.acknowledged_at
      ? '中心调派中' : (ROUTED[r.routed_to] || '') + ' ' + (r.lawyer_name || r.lawyer_id || '');
    tr.append(el('td', {}, r.id), el('td', {}, r.station), el('td', {}, KIND[r.kind] || r.kind),
              el('td', {}, r.person_name || '—'),
              el('td', { class: overdue ? 'down' : '' }, age(now - Number(r.raised_at)) + (r.escalations ? '（已转' + r.escalations + '次）' : '')),
              el('td', {}, holder), el('td', { class: st[1] }, st[0]));
    if (desk) {
      var td = el('td');
      if (r.state === 'DUTY_REQUEST_ROUTED') td.append(ackForm(r));
      tr.append(td);
    }
    return tr;
  }

  function draw(data) {
    var now = Number(data.now), at = Number(data.at);
    document.getElementById('at').textContent = when(at);
    document.getElementById('updated').textContent = when(now);
    var gapped = {};
    var gaps = (data.gaps || []).map(function (g) {
      if (!g.request_id) gapped[g.station] = true;
      var li = el('li', { class: 'down', 'data-gap': g.station });
      li.append(el('strong', {}, g.station), ' ', GAP[g.reason] || '空岗',
                g.request_id ? ' ' + g.request_id : '',
                g.ends_at ? '（' + when(g.starts_at) + '–' + clock(g.ends_at) + '）' : '');
      return li;
    });
    if (!gaps.length) gaps = [el('li', { class: 'up' }, '无空岗')];
    document.getElementById('gaps').replaceChildren.apply(document.getElementById('gaps'), gaps);
    LA.fill('stations', (data.stations || []).map(function (s) { return stationRow(s, gapped[(s.station || {}).code], at); }),
            '没有值班站点', 4);
    LA.fill('open', (data.open || []).map(function (r) { return requestRow(r, at); }),
            '没有未结的值班请求', desk ? 8 : 7);
    if (desk)
      LA.fill('recent', (data.recent || []).map(function (r) {
        var tr = el('tr', { 'data-request': r.id });
        tr.append(el('td', {}, r.id), el('td', {}, KIND[r.kind] || r.kind), el('td', {}, r.person_name || '—'),
                  el('td', {}, when(r.completed_at)), el('td', {}, r.lawyer_name || r.lawyer_id));
        return tr;
      }), '近7日没有已完成的请求', 5);
  }

  var q = [];
  if (root.dataset.at) q.push('at=' + encodeURIComponent(root.dataset.at));
  if (root.dataset.station) q.push('station=' + encodeURIComponent(root.dataset.station));
  LA.poll('/api/duty' + (q.length ? '?' + q.join('&') : ''), root.dataset.at ? 0 : 15000, draw, root);
})();
