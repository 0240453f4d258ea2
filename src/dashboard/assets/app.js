/* global uPlot */
// The dashboard: plain browser JavaScript over the service's own REST API, two pages in one file:
// the overview (/dashboard) and a task (/dashboard/tasks/<taskId>). The time range lives in the
// URL (?range=24h, or ?from=…&to=…), so a link shows what its sender saw. The API key, when the
// service asks for one, is entered once and kept in this browser's localStorage.
(function () {
  'use strict';
  var KEY = 'drive-status.apiKey';
  var REFRESH_MS = 10000;
  var HOUR = 3600e3;
  var DAY = 24 * HOUR;
  var MINUTE = 60e3;
  var RANGES = { '1h': HOUR, '6h': 6 * HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };
  var INTERVAL_MS = { minute: MINUTE, '5m': 5 * MINUTE, hour: HOUR, day: DAY, week: 7 * DAY };
  var INTERVAL_NAMES = { minute: 'minute', '5m': '5 minutes', hour: 'hour', day: 'day', week: 'week' };
  var DEFAULT_RANGE = '24h';
  var $ = function (id) {
    return document.getElementById(id);
  };
  var charts = {};
  var taskId = null;
  var drivesCursor = null; // cursor of the drive page on screen (null: the first page)
  var nextCursor = null;
  var openDrive = null;
  var busy = false;
  var timer = null;
  var refreshes = 0;

  // ------------------------------------------------------------------ small helpers
  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value === null || value === undefined ? '' : String(value);
    if (cls) el.className = cls;
    return el;
  }
  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '–';
  }
  function pct(rate) {
    return (rate * 100).toFixed(1) + '%';
  }
  /** A duration in ms as people read it: 840 ms, 5.2 s, 3 min 20 s; – when unknown. */
  function ms(v) {
    if (v === null || v === undefined) return '–';
    if (v < 1000) return v + ' ms';
    if (v < 60000) return (v / 1000).toFixed(1) + ' s';
    return Math.floor(v / 60000) + ' min ' + Math.round((v % 60000) / 1000) + ' s';
  }
  function card(label, value, cls) {
    var div = text('div', '', 'card' + (cls ? ' ' + cls : ''));
    div.append(text('span', value, 'value'), text('span', label, 'label'));
    return div;
  }
  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function ApiError(status, message) {
    this.status = status;
    this.message = message;
  }

  /**
   * A JSON document of the API (GET, unless `init` says otherwise: { method, body }); rejects with an
   * ApiError (status 0: the service is unreachable).
   */
  function api(path, init) {
    var headers = { accept: 'application/json' };
    var key = localStorage.getItem(KEY);
    if (key) headers['x-api-key'] = key;
    var options = { headers: headers, method: (init && init.method) || 'GET' };
    if (init && init.body !== undefined) {
      headers['content-type'] = 'application/json';
      options.body = JSON.stringify(init.body);
    }
    return fetch(path, options).then(
      function (res) {
        if (res.status === 204) return null;
        return res.json().then(
          function (body) {
            if (!res.ok) throw new ApiError(res.status, body.message || 'HTTP ' + res.status);
            return body;
          },
          function () {
            throw new ApiError(res.status, 'HTTP ' + res.status + ' without a JSON body');
          },
        );
      },
      function () {
        throw new ApiError(0, 'The service cannot be reached; trying again every ' + REFRESH_MS / 1000 + ' s.');
      },
    );
  }

  // ------------------------------------------------------------------ what the key may do
  // GET /auth/whoami says the key's scope; controls that need more are hidden. The service refuses
  // such calls anyway (403): hiding them spares a viewer a button that cannot work.
  var SCOPE_RANK = { read: 1, write: 2, admin: 3 };
  var scope = null; // the key's scope, once the service said it
  function can(needed) {
    return Boolean(SCOPE_RANK[scope]) && SCOPE_RANK[scope] >= SCOPE_RANK[needed];
  }
  function applyScope() {
    document.body.dataset.scope = scope || '';
    document.querySelectorAll('[data-needs]').forEach(function (el) {
      el.hidden = !can(el.dataset.needs);
    });
  }
  function loadScope() {
    if (scope !== null) return Promise.resolve();
    return api('/auth/whoami').then(function (me) {
      scope = me.scope;
      $('key-info').textContent = me.keysRequired ? me.scope + ' key · ' + me.fingerprint : '';
      show('key-info', me.keysRequired);
    });
  }
  /** A change asked for from the page; the answer refreshes the page, a refusal is said. */
  function act(path, init) {
    return api(path, init).then(
      function () {
        return refresh();
      },
      function (err) {
        setState(document.body.dataset.state, err.message || String(err));
      },
    );
  }

  // ------------------------------------------------------------------ the time range (in the URL)
  function currentRange() {
    var q = new URLSearchParams(location.search);
    var from = Date.parse(q.get('from') || '');
    var to = Date.parse(q.get('to') || '');
    if (!isNaN(from) && !isNaN(to) && from < to) return { key: 'custom', from: from, to: to };
    var key = Object.prototype.hasOwnProperty.call(RANGES, q.get('range')) ? q.get('range') : DEFAULT_RANGE;
    var now = Date.now();
    return { key: key, from: now - RANGES[key], to: now };
  }
  /**
   * The bucket for a range: minutes for an hour, 5 minutes up to 6 hours (the service keeps minutes
   * for at least 2 days, so only ranges within those), hours up to 2 days, then days and weeks.
   */
  function intervalFor(range) {
    var span = range.to - range.from;
    var recent = range.from >= Date.now() - 2 * DAY;
    if (recent && span <= HOUR + MINUTE) return 'minute';
    if (recent && span <= 6 * HOUR + MINUTE) return '5m';
    return span <= 2 * DAY ? 'hour' : span <= 92 * DAY ? 'day' : 'week';
  }
  /** The start of the bucket still under way (its counts still grow), or null when the range ended before it. */
  function currentBucket(report) {
    var size = INTERVAL_MS[report.interval];
    var last = report.buckets[report.buckets.length - 1];
    if (!last) return null;
    var start = Date.parse(last.start);
    var now = Date.now();
    return start <= now && now < start + size ? start : null;
  }
  function rangeQuery(range) {
    return (
      'from=' +
      encodeURIComponent(new Date(range.from).toISOString()) +
      '&to=' +
      encodeURIComponent(new Date(range.to).toISOString()) +
      '&interval=' +
      intervalFor(range)
    );
  }
  function rangeLabel(range) {
    if (range.key !== 'custom') {
      var names = {
        '1h': 'in the last hour',
        '6h': 'in the last 6 hours',
        '24h': 'in the last 24 hours',
        '7d': 'in the last 7 days',
      };
      return (names[range.key] || 'in the last 30 days') + ', by ' + INTERVAL_NAMES[intervalFor(range)];
    }
    return 'from ' + when(new Date(range.from).toISOString()) + ' to ' + when(new Date(range.to).toISOString());
  }
  function setRangeInUrl(params) {
    var q = new URLSearchParams(location.search);
    ['range', 'from', 'to'].forEach(function (k) {
      q.delete(k);
    });
    Object.keys(params).forEach(function (k) {
      q.set(k, params[k]);
    });
    history.replaceState(null, '', location.pathname + '?' + q.toString());
    markRange();
    refresh();
  }
  function markRange() {
    var range = currentRange();
    document.querySelectorAll('#ranges button[data-range]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.dataset.range === range.key));
    });
    $('custom').classList.toggle('active', range.key === 'custom');
    document.querySelectorAll('.range-label').forEach(function (el) {
      el.textContent = rangeLabel(range);
    });
    // Links to other pages keep the range.
    var suffix = location.search;
    $('home').href = '/dashboard' + suffix;
    $('back').href = '/dashboard' + suffix;
  }
  /** A table cell linking to a task's page (keeping the range). */
  function taskCell(id) {
    var link = text('a', id);
    link.href = '/dashboard/tasks/' + encodeURIComponent(id) + location.search;
    var cell = document.createElement('td');
    cell.append(link);
    return cell;
  }

  // ------------------------------------------------------------------ charts
  function cssVar(name) {
    return getComputedStyle(document.body).getPropertyValue(name).trim() || '#888';
  }
  /** A chart's size for its box: the box's width (at least 280 px), lower on narrow screens. */
  function chartSize(el) {
    var width = Math.max(280, el.clientWidth || 800);
    return { width: width, height: width < 600 ? 200 : 260 };
  }
  function axisStyle() {
    return { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid') }, ticks: { stroke: cssVar('--grid') } };
  }
  /**
   * The bucket still under way, shaded and labelled on the chart (its counts are not final), and
   * named in the legend when the cursor is on it.
   */
  function currentBucketMarks(report) {
    var start = currentBucket(report);
    var size = INTERVAL_MS[report.interval];
    var legend = function (u, v) {
      if (v === null || v === undefined) return '–';
      var label = new Date(v * 1000).toLocaleString();
      return start !== null && v * 1000 === start ? label + ' (in progress, not final)' : label;
    };
    var draw = function (u) {
      if (start === null) return;
      var x0 = u.valToPos(start / 1000 - size / 2000, 'x', true);
      var x1 = u.valToPos(start / 1000 + size / 2000, 'x', true);
      var ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = cssVar('--current');
      ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
      ctx.strokeStyle = cssVar('--muted');
      ctx.setLineDash([3, 3]);
      ctx.strokeRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
      ctx.setLineDash([]);
      ctx.fillStyle = cssVar('--muted');
      ctx.font = Math.round(11 * devicePixelRatio) + 'px sans-serif';
      ctx.textAlign = 'right';
      ctx.fillText('in progress', x1 - 3 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
      ctx.restore();
    };
    return { start: start, legend: legend, draw: draw };
  }
  /** An x range with half a bucket of room on each side, so the first and last buckets show whole. */
  function halfBucketPadding(u, min, max) {
    var xs = u.data[0];
    var half = xs.length > 1 ? (xs[1] - xs[0]) / 2 : 1800;
    return [min - half, max + half];
  }
  // A chart is made once and then given new data: its hooks read the latest marks of its element.
  var marksOf = {};
  function drawCurrent(elId) {
    return function (u) {
      if (marksOf[elId]) marksOf[elId].draw(u);
    };
  }
  function legendTime(elId) {
    return function (u, v) {
      return marksOf[elId] ? marksOf[elId].legend(u, v) : v;
    };
  }
  function drawOutcomes(elId, report) {
    var el = $(elId);
    var data = [
      report.buckets.map(function (b) {
        return Date.parse(b.start) / 1000;
      }),
      report.buckets.map(function (b) {
        return b.finished;
      }),
      report.buckets.map(function (b) {
        return b.failed;
      }),
      report.buckets.map(function (b) {
        return b.failed + b.finished ? b.failureRate * 100 : null;
      }),
    ];
    el.dataset.failed = String(report.totals.failed);
    el.dataset.finished = String(report.totals.finished);
    el.dataset.buckets = String(report.buckets.length);
    el.dataset.interval = report.interval;
    var marks = (marksOf[elId] = currentBucketMarks(report));
    el.dataset.current = marks.start === null ? '' : new Date(marks.start).toISOString();
    var size = chartSize(el);
    if (charts[elId]) {
      charts[elId].setData(data);
      charts[elId].setSize(size);
      return;
    }
    // Counts per bucket are bars (failed in front of finished), not a trend between bucket starts;
    // the x axis leaves half a bucket on each side so the first and last bars show whole.
    var wide = uPlot.paths.bars({ size: [0.7, 48] });
    var narrow = uPlot.paths.bars({ size: [0.35, 24] });
    var axis = axisStyle();
    charts[elId] = new uPlot(
      {
        width: size.width,
        height: size.height,
        scales: { x: { time: true, range: halfBucketPadding }, rate: { range: [0, 100] } },
        hooks: { drawAxes: [drawCurrent(elId)] },
        series: [
          { value: legendTime(elId) },
          { label: 'finished', stroke: cssVar('--finished'), fill: cssVar('--finished-fill'), paths: wide },
          { label: 'failed', stroke: cssVar('--failed'), fill: cssVar('--failed'), paths: narrow },
          { label: 'failure rate %', stroke: cssVar('--playing'), scale: 'rate', dash: [4, 4] },
        ],
        axes: [
          axis,
          Object.assign({ label: 'drives' }, axis),
          Object.assign({ side: 1, scale: 'rate', label: '%' }, axis, { grid: { show: false } }),
        ],
      },
      data,
      el,
    );
  }
  /**
   * p50 and p95 of play time and queue wait per bucket, on a log scale (waits of milliseconds and
   * plays of minutes on one chart); a bucket without drives is a gap.
   */
  function drawDurations(elId, play, wait) {
    var el = $(elId);
    var pick = function (report, key) {
      return report.buckets.map(function (b) {
        return b[key] === null ? null : Math.max(1, b[key]);
      });
    };
    var data = [
      play.buckets.map(function (b) {
        return Date.parse(b.start) / 1000;
      }),
      pick(play, 'p50'),
      pick(play, 'p95'),
      pick(wait, 'p50'),
      pick(wait, 'p95'),
    ];
    el.dataset.played = String(play.totals.count);
    el.dataset.waited = String(wait.totals.count);
    el.dataset.buckets = String(play.buckets.length);
    var marks = (marksOf[elId] = currentBucketMarks(play));
    el.dataset.current = marks.start === null ? '' : new Date(marks.start).toISOString();
    var size = chartSize(el);
    if (charts[elId]) {
      charts[elId].setData(data);
      charts[elId].setSize(size);
      return;
    }
    var axis = axisStyle();
    var value = function (u, v) {
      return v === null ? '–' : ms(v);
    };
    var dots = { show: true, size: 5 };
    charts[elId] = new uPlot(
      {
        width: size.width,
        height: size.height,
        // The same x range as the failure chart above (half a bucket of room each side), so the two line up.
        scales: { x: { time: true, range: halfBucketPadding }, y: { distr: 3 } },
        hooks: { drawAxes: [drawCurrent(elId)] },
        series: [
          { value: legendTime(elId) },
          { label: 'play p50', stroke: cssVar('--finished'), value: value, points: dots },
          { label: 'play p95', stroke: cssVar('--finished'), dash: [6, 4], value: value, points: dots },
          { label: 'queue wait p50', stroke: cssVar('--playing'), value: value, points: dots },
          { label: 'queue wait p95', stroke: cssVar('--playing'), dash: [6, 4], value: value, points: dots },
        ],
        axes: [
          axis,
          Object.assign({}, axis, {
            size: 70,
            values: function (u, splits) {
              return splits.map(function (v) {
                return v === null ? '' : ms(v);
              });
            },
          }),
        ],
      },
      data,
      el,
    );
  }
  /** The range's play and queue-wait percentiles as cards and a chart (a note when none is known). */
  function showDurations(totalsId, chartId, play, wait) {
    show(chartId + '-empty', play.totals.count + wait.totals.count === 0);
    drawDurations(chartId, play, wait);
    $(totalsId).replaceChildren(
      card('play p50', ms(play.totals.p50)),
      card('play p95', ms(play.totals.p95)),
      card('queue wait p50', ms(wait.totals.p50)),
      card('queue wait p95', ms(wait.totals.p95)),
    );
  }

  /** A range's totals as cards, its chart, and a note instead when nothing ended in the range. */
  function showOutcomes(totalsId, chartId, report) {
    var totals = report.totals;
    show(chartId + '-empty', totals.failed + totals.finished === 0);
    drawOutcomes(chartId, report);
    $(totalsId).replaceChildren(
      card('drives ended', totals.failed + totals.finished),
      card('failed', totals.failed, 'failed'),
      card('finished', totals.finished, 'finished'),
      card('failure rate', totals.failed + totals.finished ? pct(totals.failureRate) : '–'),
    );
  }

  // ------------------------------------------------------------------ the overview
  function renderOverview() {
    var range = currentRange();
    var q = rangeQuery(range);
    return Promise.all([
      api('/status'),
      api('/reports/failures?' + q),
      api('/reports/tasks?' + q.replace(/&interval=\w+/, '') + '&limit=10&sort=' + $('sort').value),
      api('/tasks?limit=100'),
      api('/alerts?state=firing&limit=50'),
      api('/webhooks?limit=100'),
      api('/reports/durations?metric=play&' + q),
      api('/reports/durations?metric=queue_wait&' + q),
      api('/silences'),
      // The SLO section lives in its own ES module (slos.js).
      import('/dashboard/slos.js').then(function (m) {
        return m.renderSlos($('slos'), api);
      }),
    ]).then(function (r) {
      var status = r[0];
      showAlerts(r[4].items, r[5].items, r[8].items);
      $('now').replaceChildren(
        card('tracked tasks', status.trackedTasks),
        card('queued', status.drives.queued, 'queued'),
        card('playing', status.drives.playing, 'playing'),
        card('unresolved', status.drives.unresolved || 0, status.drives.unresolved ? 'queued' : ''),
        card('sync lag', status.syncLagSeconds.toFixed(1) + ' s', status.syncLagSeconds > 60 ? 'failed' : ''),
        card('upstream', status.circuitOpen ? 'circuit open' : 'ok', status.circuitOpen ? 'failed' : 'finished'),
        card('alerts firing', r[4].items.length, r[4].items.length ? 'failed' : 'finished'),
        card(
          'drive source',
          status.driveSource ? status.driveSource.mode : '–',
          status.driveSource && status.driveSource.mode === 'callbacks' ? 'queued' : '',
        ),
      );
      show('overview', true);
      showOutcomes('totals', 'chart', r[1]);
      showDurations('duration-totals', 'duration-chart', r[6], r[7]);

      var ranked = $('ranked').tBodies[0];
      ranked.replaceChildren();
      r[2].items.forEach(function (t) {
        var tr = document.createElement('tr');
        tr.append(
          taskCell(t.taskId),
          text('td', t.failed, 'num failed'),
          text('td', t.finished, 'num finished'),
          text('td', pct(t.failureRate), 'num'),
          text('td', ms(t.p95PlayMs), 'num'),
          text('td', ms(t.p95QueueWaitMs), 'num'),
        );
        ranked.append(tr);
      });
      show('ranked-empty', r[2].items.length === 0);

      var tasks = $('tasks').tBodies[0];
      tasks.replaceChildren();
      r[3].items.forEach(function (t) {
        var tr = document.createElement('tr');
        tr.dataset.taskId = t.taskId;
        tr.append(
          taskCell(t.taskId),
          text('td', t.endedAt ? 'ended' + (t.taskStatus ? ' (' + t.taskStatus + ')' : '') : t.taskStatus || '–'),
          text('td', t.counts.queued, 'num queued'),
          text('td', t.counts.playing, 'num playing'),
          text('td', t.counts.failed, 'num failed'),
          text('td', t.counts.finished, 'num finished'),
          text('td', when(t.lastSyncedAt)),
          text('td', t.lastSyncError || '', 'error-text'),
        );
        tasks.append(tr);
      });
      show('tasks-empty', r[3].items.length === 0);
    });
  }

  /** An alert's value as people read it: failure_rate as a percentage, lag in seconds. */
  function alertValue(kind, v) {
    if (kind === 'failure_rate') return pct(v);
    if (kind === 'sync_lag') return v + ' s';
    return String(v);
  }

  /** The silence (already begun) that mutes an alert's events, if any. */
  function silenceOf(alert, silences) {
    var now = Date.now();
    return silences.find(function (s) {
      return (
        (!s.ruleId || s.ruleId === alert.ruleId) &&
        (!s.taskId || s.taskId === alert.taskId) &&
        new Date(s.startsAt).getTime() <= now
      );
    });
  }

  /** Admin keys only: silence a firing alert for an hour (its events are not delivered meanwhile). */
  function silenceCell(alert, silences) {
    var td = text('td', '');
    td.dataset.needs = 'admin';
    td.hidden = !can('admin');
    if (td.hidden) return td;
    var silence = silenceOf(alert, silences);
    if (silence) {
      td.textContent = 'silenced until ' + when(silence.endsAt);
      return td;
    }
    var button = text('button', 'Silence 1 h', 'silence');
    button.type = 'button';
    button.addEventListener('click', function () {
      button.disabled = true;
      act('/silences', {
        method: 'POST',
        body: {
          ruleId: alert.ruleId,
          taskId: alert.taskId || undefined,
          endsAt: new Date(Date.now() + HOUR).toISOString(),
          reason: 'silenced for 1 h from the dashboard',
        },
      });
    });
    td.append(button);
    return td;
  }

  function showAlerts(alerts, webhooks, silences) {
    var body = $('alerts').tBodies[0];
    body.replaceChildren();
    alerts.forEach(function (a) {
      var tr = document.createElement('tr');
      tr.dataset.alertId = a.id;
      tr.append(
        text('td', a.kind.replace(/_/g, ' '), 'failed'),
        a.taskId ? taskCell(a.taskId) : text('td', 'whole service'),
        text('td', alertValue(a.kind, a.value), 'num'),
        text(
          'td',
          a.kind === 'stuck_drive' || a.kind === 'sync_lag' ? a.threshold + ' s' : alertValue(a.kind, a.threshold),
          'num',
        ),
        text('td', when(a.firedAt)),
        silenceCell(a, silences),
      );
      body.append(tr);
    });
    show('alerts-empty', alerts.length === 0);
    show('alerts-box', alerts.length > 0);

    var hooks = $('webhooks').tBodies[0];
    hooks.replaceChildren();
    webhooks.forEach(function (w) {
      var tr = document.createElement('tr');
      tr.dataset.webhookId = w.id;
      tr.append(
        text('td', w.description || w.id),
        text(
          'td',
          w.state === 'failing' ? 'failing since ' + when(w.failingSince) : 'healthy',
          w.state === 'failing' ? 'failed' : 'finished',
        ),
        text('td', w.pending, 'num'),
        text('td', when(w.lastDeliveredAt)),
      );
      hooks.append(tr);
    });
    show('webhooks-empty', webhooks.length === 0);
    show('webhooks-box', webhooks.length > 0);
  }

  // ------------------------------------------------------------------ a task
  function renderTask() {
    var range = currentRange();
    var base = '/tasks/' + encodeURIComponent(taskId);
    var status = $('status-filter').value;
    var drivesPath =
      base +
      '/drives?limit=50' +
      (status ? '&status=' + status : '') +
      (drivesCursor ? '&cursor=' + encodeURIComponent(drivesCursor) : '');
    return Promise.all([
      api(base),
      api('/reports/failures?' + rangeQuery(range) + '&taskId=' + encodeURIComponent(taskId)),
      api(drivesPath),
      api('/reports/durations?metric=play&' + rangeQuery(range) + '&taskId=' + encodeURIComponent(taskId)),
      api('/reports/durations?metric=queue_wait&' + rangeQuery(range) + '&taskId=' + encodeURIComponent(taskId)),
    ]).then(function (r) {
      var t = r[0];
      $('task-id').textContent = t.taskId;
      var facts = $('task-facts');
      facts.replaceChildren();
      [
        ['tracking', t.tracking ? 'yes (' + t.source + ')' : 'no'],
        ['stream status', t.taskStatus || '–'],
        ['room', t.roomId || '–'],
        ['stream', t.streamId || '–'],
        [
          'queued · playing · failed · finished',
          [t.counts.queued, t.counts.playing, t.counts.failed, t.counts.finished].join(' · '),
        ],
        ['last synced', when(t.lastSyncedAt)],
        ['ended', when(t.endedAt)],
        ['last error', t.lastSyncError || '–'],
      ].forEach(function (f) {
        facts.append(text('dt', f[0]), text('dd', f[1]));
      });
      show('task-page', true);
      showOutcomes('task-totals', 'task-chart', r[1]);
      showDurations('task-duration-totals', 'task-duration-chart', r[3], r[4]);

      var body = $('drives').tBodies[0];
      body.replaceChildren();
      r[2].items.forEach(function (d) {
        var tr = document.createElement('tr');
        tr.dataset.driveId = d.driveId;
        var button = text('button', d.driveId, 'link');
        button.type = 'button';
        button.addEventListener('click', function () {
          openDrive = d.driveId;
          showHistory();
        });
        var cell = document.createElement('td');
        cell.append(button);
        tr.append(
          cell,
          text('td', d.resolution === 'unresolved' ? d.status + ' · unresolved' : d.status, d.status),
          text('td', when(d.firstSeenAt)),
          text('td', when(d.statusChangedAt)),
          text('td', ms(d.queueWaitMs), 'num'),
          text('td', ms(d.playMs), 'num'),
        );
        body.append(tr);
      });
      show('drives-empty', r[2].items.length === 0);
      nextCursor = r[2].nextCursor;
      $('next-page').disabled = !nextCursor;
      $('first-page').disabled = !drivesCursor;
      if (openDrive) return showHistory();
    });
  }

  function showHistory() {
    return api('/tasks/' + encodeURIComponent(taskId) + '/drives/' + encodeURIComponent(openDrive)).then(function (d) {
      $('history-drive').textContent = d.driveId;
      $('history-timings').textContent =
        'queue wait ' +
        ms(d.queueWaitMs) +
        ' · play ' +
        ms(d.playMs) +
        (d.endedAt ? ' · ended ' + when(d.endedAt) : '');
      var list = $('history');
      list.replaceChildren();
      d.history.forEach(function (h) {
        var li = document.createElement('li');
        li.className = h.status;
        li.append(
          text('strong', h.status),
          text('span', ' from ' + (h.previousStatus || 'nothing')),
          text('time', when(h.observedAt)),
          text('span', h.source, 'source'),
        );
        list.append(li);
      });
      show('history-section', true);
    });
  }

  // ------------------------------------------------------------------ refresh, errors, live updates
  function setState(state, message) {
    document.body.dataset.state = state;
    $('message').textContent = message || '';
    show('message', Boolean(message));
    $('live-text').textContent =
      state === 'ok' ? 'live · every ' + REFRESH_MS / 1000 + ' s' : state === 'paused' ? 'paused' : state;
  }

  function fail(err) {
    if (err instanceof ApiError && err.status === 403 && scope === null) {
      // A key of the metrics scope: valid, but it reads nothing the page shows.
      $('key-reason').textContent = 'This key cannot read the dashboard (' + err.message + '). Enter a read key.';
      show('key-form', true);
      setState('key', 'The API key lacks the read scope.');
      return;
    }
    if (err instanceof ApiError && err.status === 401) {
      scope = null;
      var had = Boolean(localStorage.getItem(KEY));
      $('key-reason').textContent = had
        ? 'The API key kept in this browser was refused. Enter another.'
        : 'This service needs an API key.';
      show('key-form', true);
      setState('key', had ? 'API key refused.' : 'An API key is needed.');
      return;
    }
    if (err instanceof ApiError && err.status === 404 && taskId) {
      setState('not-found', 'Task ' + taskId + ' is not known to this service.');
      return;
    }
    setState(err instanceof ApiError && err.status === 0 ? 'unreachable' : 'error', err.message || String(err));
  }

  /** One refresh at a time: a slow service is never sent a second round before the first answered. */
  function refresh() {
    clearTimeout(timer);
    if (busy) return Promise.resolve();
    busy = true;
    return loadScope()
      .then(function () {
        return taskId ? renderTask() : renderOverview();
      })
      .then(function () {
        show('key-form', false);
        setState('ok');
      }, fail)
      .then(applyScope)
      .then(function () {
        busy = false;
        refreshes++;
        document.body.dataset.refreshes = String(refreshes);
        if (!document.hidden) timer = setTimeout(refresh, REFRESH_MS);
        else if (document.body.dataset.state === 'ok') setState('paused');
      });
  }

  document.addEventListener('visibilitychange', function () {
    if (document.hidden) {
      clearTimeout(timer);
      if (document.body.dataset.state === 'ok') setState('paused');
    } else refresh();
  });

  // ------------------------------------------------------------------ wiring
  var match = /^\/dashboard\/tasks\/([^/]+)\/?$/.exec(location.pathname);
  if (match) taskId = decodeURIComponent(match[1]);
  var q = new URLSearchParams(location.search);
  if (q.get('status')) $('status-filter').value = q.get('status');
  if (q.get('sort') === 'failureRate') $('sort').value = 'failureRate';

  document.querySelectorAll('#ranges button[data-range]').forEach(function (b) {
    b.addEventListener('click', function () {
      setRangeInUrl({ range: b.dataset.range });
    });
  });
  $('custom-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var from = new Date($('custom-from').value);
    var to = new Date($('custom-to').value);
    if (isNaN(from) || isNaN(to) || from >= to) {
      setState('error', 'The custom range needs a start before its end.');
      return;
    }
    $('custom').open = false;
    setRangeInUrl({ from: from.toISOString(), to: to.toISOString() });
  });
  $('sort').addEventListener('change', function () {
    var p = new URLSearchParams(location.search);
    p.set('sort', $('sort').value);
    history.replaceState(null, '', location.pathname + '?' + p.toString());
    refresh();
  });
  $('status-filter').addEventListener('change', function () {
    var p = new URLSearchParams(location.search);
    if ($('status-filter').value) p.set('status', $('status-filter').value);
    else p.delete('status');
    history.replaceState(null, '', location.pathname + '?' + p.toString());
    drivesCursor = null;
    refresh();
  });
  $('next-page').addEventListener('click', function () {
    drivesCursor = nextCursor;
    refresh();
  });
  $('first-page').addEventListener('click', function () {
    drivesCursor = null;
    refresh();
  });
  $('key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    localStorage.setItem(KEY, $('key').value.trim());
    $('key').value = '';
    scope = null;
    refresh();
  });
  $('track-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var id = $('track-task').value.trim();
    $('track-task').value = '';
    if (id) act('/tasks/' + encodeURIComponent(id), { method: 'PUT' });
  });
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) {
      var el = $(id);
      charts[id].setSize({ width: Math.max(280, el.clientWidth), height: el.clientWidth < 600 ? 200 : 260 });
    });
  });

  markRange();
  refresh();
})();
