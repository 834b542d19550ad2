// page.js - what every signed-in page's script shares: building elements,
// ages and Beijing times as people read them, filling a table's body, and
// reading the gateway's JSON with a refresh loop that marks stale data.
(function () {
  'use strict';
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function age(ms) {
    if (ms < 0) ms = 0;
    var s = Math.floor(ms / 1000);
    if (s < 60) return s + ' 秒';
    if (s < 3600) return Math.floor(s / 60) + ' 分钟';
    if (s < 86400) return Math.floor(s / 3600) + ' 小时';
    return Math.floor(s / 86400) + ' 天';
  }
  // Beijing time (UTC+8), "2026-03-02 10:00".
  function when(ms) {
    if (!ms) return '—';
    var d = new Date(Number(ms) + 8 * 3600 * 1000);
    return d.toISOString().slice(0, 16).replace('T', ' ');
  }
  function clock(ms) {
    return when(ms).slice(11);
  }
  function fill(id, rows, empty, cols) {
    var body = document.querySelector('#' + id + ' tbody');
    if (!rows.length && empty) {
      var tr = el('tr');
      tr.append(el('td', { colspan: cols, class: 'none' }, empty));
      rows = [tr];
    }
    body.replaceChildren.apply(body, rows);
  }
  // Reads url every `every` ms (0: once) and hands the JSON to draw; a
  // failure shows #stale, a signed-out session goes to the sign-in.
  function poll(url, every, draw, root) {
    function load() {
      fetch(url, { credentials: 'same-origin' })
        .then(function (r) {
          if (r.status === 401) { window.location = '/login'; throw new Error('signed out'); }
          return r.json().then(function (j) { if (!r.ok) throw new Error(j.detail || r.status); return j; });
        })
        .then(function (data) {
          draw(data);
          document.getElementById('stale').hidden = true;
          root.dataset.loaded = '1';
        })
        .catch(function (e) {
          var s = document.getElementById('stale');
          s.hidden = false;
          s.textContent = '数据未能刷新：' + e.message;
        });
    }
    load();
    if (every) setInterval(load, every);
    return load;
  }
  window.LA = { el: el, age: age, when: when, clock: clock, fill: fill, poll: poll };
})();
