// trend.js - the operations board's charts (uPlot, vendored: VENDOR.md):
// applications, first decisions and assignments per day over the last 90
// days; the time to decision and to assignment (median and 90th percentile
// of each day); each lawyer's offers against their fair share. Reads
// /api/trend on load and every five minutes; each chart says its figures
// in words below it (for those who would rather read, and for the tests).
(function () {
  'use strict';
  var root = document.getElementById('trend');
  if (!root || !window.uPlot) return;
  var el = LA.el;
  var DAY = 86400000, HOUR = 3600000;
  var COLOURS = { apps: '#1f5fa8', decisions: '#1d7a46', assigns: '#b26a00',
                  p50: '#1f5fa8', p90: '#b3261e', limit: '#8a96a3', fair: '#b3261e' };
  var plots = {};

  function fmtNum(v, digits) {
    return v === null || v === undefined ? '—' : Number(v).toFixed(digits);
  }
  function days(ms) { return Number(ms || 0) / DAY; }
  function hours(ms) { return Number(ms || 0) / HOUR; }
  // The days of the charts: the last n of every series' days (each daemon
  // counts to its own today), oldest first.
  function dayLabels(list, n) {
    var seen = {};
    list.forEach(function (s) { if (s) s.points.forEach(function (p) { seen[p.day] = 1; }); });
    return Object.keys(seen).sort().slice(-n);
  }
  // A series' value on each of labels' days: key of its point, through
  // unit; a day it did not count (or counted nothing) is a gap (null),
  // or zero when zero is true.
  function onDays(series, labels, key, unit, zero) {
    var by = {};
    if (series) series.points.forEach(function (p) { by[p.day] = p; });
    return labels.map(function (d) {
      var p = by[d];
      if (!p || !Number(p.count || 0)) return zero ? 0 : null;
      return unit(p[key]);
    });
  }
  function count(v) { return Number(v || 0); }

  function figure(name) { return root.querySelector('figure[data-chart="' + name + '"]'); }

  // Draws (or redraws) one chart in its figure's .plot.
  function plot(name, opts, data) {
    var fig = figure(name), box = fig.querySelector('.plot');
    opts.width = Math.max(320, box.clientWidth || 600);
    opts.height = 240;
    if (plots[name]) plots[name].destroy();
    box.replaceChildren();
    plots[name] = new uPlot(opts, data, box);
    fig.dataset.drawn = '1';
  }

  // The x axis of the daily charts: day numbers 0..n-1 labelled MM-DD.
  function dayAxis(labels) {
    return {
      space: 48, incrs: [1, 2, 7, 14, 30],
      values: function (u, splits) {
        return splits.map(function (i) { return labels[i] ? labels[i].slice(5) : ''; });
      }
    };
  }
  // A dot on each day that counted something (none on the empty days).
  function dotsWhereNonZero(u, si) {
    var d = u.data[si], out = [];
    for (var i = 0; i < d.length; i++) if (d[i] !== null && d[i] !== 0) out.push(i);
    return out;
  }
  function line(label, colour, dots) {
    return { label: label, stroke: colour, width: 2, spanGaps: false,
             points: { show: true, size: 7, fill: colour, filter: dots || null } };
  }
  function bars(label, colour) {
    return { label: label, stroke: colour, fill: colour + 'cc', width: 0,
             paths: uPlot.paths.bars({ size: [0.7, 24] }), points: { show: false } };
  }

  function say(name, text, attrs) {
    var fig = figure(name), p = fig.querySelector('.sum');
    p.textContent = text;
    for (var k in attrs) fig.dataset[k] = attrs[k];
  }

  function drawDaily(s, n) {
    var apps = s.applications, dec = s.decision_seconds, asg = s.assign_seconds;
    var labels = dayLabels([apps, dec, asg], n);
    if (!labels.length) return;
    var xs = labels.map(function (_, i) { return i; });
    var perDay = function (series) { return onDays(series, labels, 'count', count, true); };
    plot('daily', {
      scales: { x: { time: false } },
      axes: [dayAxis(labels), { label: '件数' }],
      series: [{ label: '日期', value: function (u, i) { return i === null ? '—' : labels[i]; } },
               bars('申请', COLOURS.apps), line('首次决定', COLOURS.decisions, dotsWhereNonZero),
               line('指派', COLOURS.assigns, dotsWhereNonZero)]
    }, [xs, perDay(apps), perDay(dec), perDay(asg)]);
    var total = function (series) { return series ? Number(series.count || 0) : 0; };
    say('daily', '近' + n + '天：收到申请 ' + total(apps) + ' 件，作出首次决定 ' + total(dec) +
        ' 件，指派律师 ' + total(asg) + ' 件。',
        { applications: total(apps), decisions: total(dec), assignments: total(asg) });
  }

  // A duration chart: each day's median and 90th percentile, with the
  // statutory time as a dashed line.
  function drawDuration(name, series, unit, unitName, limit, limitLabel, n) {
    if (!series) return;
    var labels = dayLabels([series], n);
    var xs = labels.map(function (_, i) { return i; });
    plot(name, {
      scales: { x: { time: false }, y: { range: function (u, lo, hi) { return [0, Math.max(hi, limit) * 1.1]; } } },
      axes: [dayAxis(labels), { label: unitName }],
      series: [{ label: '日期', value: function (u, i) { return i === null ? '—' : labels[i]; } },
               line('中位数', COLOURS.p50), line('90%', COLOURS.p90),
               { label: limitLabel, stroke: COLOURS.limit, width: 1, dash: [6, 4], points: { show: false } }]
    }, [xs, onDays(series, labels, 'p50_ms', unit), onDays(series, labels, 'p90_ms', unit),
        labels.map(function () { return limit; })]);
    var c = Number(series.count || 0);
    say(name, c ? '近' + n + '天 ' + c + ' 件：中位 ' + fmtNum(unit(series.p50_ms), 1) + ' ' + unitName +
        '，90% 在 ' + fmtNum(unit(series.p90_ms), 1) + ' ' + unitName + ' 内（' + limitLabel + '）。'
        : '近' + n + '天尚无记录。',
        { count: c, p50Ms: Number(series.p50_ms || 0), p90Ms: Number(series.p90_ms || 0) });
  }

  // Each lawyer's offers from the matcher against their fair share of
  // them: the LOAD_SHOWN furthest from it (above or below), then the most
  // offered; the words below count the whole pool.
  var LOAD_SHOWN = 40;
  function drawLoad(lawyers) {
    if (!lawyers.length) { say('load', '律师名册为空。', { lawyers: 0 }); return; }
    var off = function (l) { return Math.abs(l.offers - l.fair_share); };
    var ls = lawyers.slice().sort(function (a, b) {
      return off(b) - off(a) || b.offers - a.offers || b.fair_share - a.fair_share || (a.id < b.id ? -1 : 1);
    }).slice(0, LOAD_SHOWN).sort(function (a, b) {
      return b.offers - a.offers || b.fair_share - a.fair_share || (a.id < b.id ? -1 : 1);
    });
    var names = ls.map(function (l) { return l.name || l.id; });
    var xs = ls.map(function (_, i) { return i; });
    plot('load', {
      scales: { x: { time: false, range: function () { return [-0.6, ls.length - 0.4]; } } },
      axes: [{ space: 14, incrs: [1, 2, 5, 10], rotate: -60, size: 70,
               values: function (u, splits) { return splits.map(function (i) { return names[i] || ''; }); } },
             { label: '指派次数' }],
      series: [{ label: '律师', value: function (u, i) { return i === null ? '—' : names[i]; } },
               bars('已派发', COLOURS.apps),
               { label: '公平份额', stroke: COLOURS.fair, width: 0, paths: function () { return null; },
                 points: { show: true, size: 9, fill: COLOURS.fair } },
               bars('在办案件', COLOURS.decisions)]
    }, [xs, ls.map(function (l) { return l.offers; }), ls.map(function (l) { return l.fair_share; }),
        ls.map(function (l) { return l.open_cases; })]);
    var over = lawyers.filter(function (l) { return l.offers > l.fair_share + 1; }).length;
    var offers = lawyers.reduce(function (s, l) { return s + l.offers; }, 0);
    say('load', '名册律师 ' + lawyers.length + ' 名，派发 ' + offers + ' 次；高于公平份额 1 次以上的 ' +
        over + ' 名。图中为偏离公平份额最多的 ' + ls.length + ' 名。公平份额：每次派发在同等合适的 k 名律师间各计 1/k 次。',
        { lawyers: lawyers.length, shown: ls.length, offers: offers, over: over });
  }

  function draw(data) {
    var n = data.days, s = data.series || {};
    drawDaily(s, n);
    drawDuration('decision', s.decision_seconds, days, '天', 7, '第43条：7日内', n);
    drawDuration('assign', s.assign_seconds, hours, '小时', 72, '指派期限：3日', n);
    drawLoad(data.lawyers || []);
    var errs = Object.keys(data.errors || {});
    var e = root.querySelector('.trend-errors');
    e.hidden = !errs.length;
    e.textContent = errs.map(function (k) { return k + '：' + data.errors[k]; }).join('；');
    root.dataset.loaded = '1';
  }

  var link = el('link', { rel: 'stylesheet', href: '/static/uPlot.min.css' });
  document.head.append(link);
  LA.poll('/api/trend?days=90', 5 * 60 * 1000, draw, root);
})();
