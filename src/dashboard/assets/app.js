/* global uPlot */
// The dashboard: plain browser JavaScript over the service's own REST API. The API key, when the
// service asks for one, is entered once and kept in this browser's localStorage.
(function () {
  'use strict';
  var KEY = 'drive-status.apiKey';
  var $ = function (id) {
    return document.getElementById(id);
  };
  var chart = null;
  var selectedTask = null;

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value === null || value === undefined ? '' : String(value);
    if (cls) el.className = cls;
    return el;
  }

  function api(path) {
    var headers = { accept: 'application/json' };
    var key = localStorage.getItem(KEY);
    if (key) headers['x-api-key'] = key;
    return fetch(path, { headers: headers }).then(function (res) {
      if (res.status === 401) {
        $('key-form').hidden = false;
        throw new Error('This service needs an API key: enter it above.');
      }
      return res.json().then(function (body) {
        if (!res.ok) throw new Error(body.message || 'HTTP ' + res.status);
        return body;
      });
    });
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '–';
  }
  function pct(rate) {
    return (rate * 100).toFixed(1) + '%';
  }

  function drawChart(report) {
    var xs = report.buckets.map(function (b) {
      return Date.parse(b.start) / 1000;
    });
    var data = [
      xs,
      report.buckets.map(function (b) {
        return b.failed;
      }),
      report.buckets.map(function (b) {
        return b.finished;
      }),
      report.buckets.map(function (b) {
        return b.failed + b.finished ? b.failureRate * 100 : null;
      }),
    ];
    $('totals').textContent =
      report.totals.failed +
      ' failed, ' +
      report.totals.finished +
      ' finished (' +
      pct(report.totals.failureRate) +
      ' failure rate)';
    $('chart').dataset.failed = String(report.totals.failed);
    $('chart').dataset.finished = String(report.totals.finished);
    var width = Math.max(320, $('chart').clientWidth || 800);
    if (chart) {
      chart.setData(data);
      chart.setSize({ width: width, height: 260 });
      return;
    }
    chart = new uPlot(
      {
        width: width,
        height: 260,
        scales: { rate: { range: [0, 100] } },
        series: [
          {},
          { label: 'failed', stroke: '#b3261e', fill: 'rgba(179,38,30,.15)' },
          { label: 'finished', stroke: '#1e7a34' },
          { label: 'failure rate %', stroke: '#0b57d0', scale: 'rate', dash: [4, 4] },
        ],
        axes: [{}, { label: 'drives' }, { side: 1, scale: 'rate', label: '%', grid: { show: false } }],
      },
      data,
      $('chart'),
    );
  }

  function showHistory(taskId, driveId) {
    api('/tasks/' + encodeURIComponent(taskId) + '/drives/' + encodeURIComponent(driveId))
      .then(function (drive) {
        $('history-section').hidden = false;
        $('history-drive').textContent = driveId;
        var list = $('history');
        list.replaceChildren();
        drive.history.forEach(function (h) {
          var li = document.createElement('li');
          li.append(
            text('span', h.status, h.status),
            text(
              'span',
              ' from ' + (h.previousStatus || 'nothing') + ', ' + when(h.observedAt) + ' (' + h.source + ')',
            ),
          );
          list.append(li);
        });
      })
      .catch(report);
  }

  function showDrives(taskId) {
    selectedTask = taskId;
    api('/tasks/' + encodeURIComponent(taskId) + '/drives?limit=100')
      .then(function (page) {
        $('drives-section').hidden = false;
        $('drives-task').textContent = taskId;
        var body = $('drives').tBodies[0];
        body.replaceChildren();
        page.items.forEach(function (d) {
          var tr = document.createElement('tr');
          tr.append(
            text('td', d.driveId),
            text('td', d.status, d.status),
            text('td', when(d.firstSeenAt)),
            text('td', when(d.statusChangedAt)),
          );
          tr.addEventListener('click', function () {
            showHistory(taskId, d.driveId);
          });
          body.append(tr);
        });
      })
      .catch(report);
  }

  function drawTasks(page) {
    var body = $('tasks').tBodies[0];
    body.replaceChildren();
    page.items.forEach(function (t) {
      var decided = t.counts.failed + t.counts.finished;
      var tr = document.createElement('tr');
      tr.dataset.taskId = t.taskId;
      tr.append(
        text('td', t.taskId),
        text('td', t.taskStatus || (t.endedAt ? 'ended' : '–')),
        text('td', t.counts.queued, 'queued'),
        text('td', t.counts.playing, 'playing'),
        text('td', t.counts.failed, 'failed'),
        text('td', t.counts.finished, 'finished'),
        text('td', decided ? pct(t.counts.failed / decided) : '–'),
        text('td', when(t.lastSyncedAt)),
        text('td', t.lastSyncError || ''),
      );
      tr.addEventListener('click', function () {
        showDrives(t.taskId);
      });
      body.append(tr);
    });
  }

  function drawStatus(s) {
    var summary = $('summary');
    summary.replaceChildren(
      text('span', s.trackedTasks + ' tracked tasks'),
      text('span', 'sync lag ' + s.syncLagSeconds.toFixed(1) + ' s'),
      text('span', s.circuitOpen ? 'upstream circuit OPEN' : 'upstream OK', s.circuitOpen ? 'failed' : 'finished'),
    );
  }

  function report(err) {
    $('message').textContent = err.message;
  }

  function refresh() {
    $('message').textContent = '';
    Promise.all([api('/status'), api('/tasks?limit=100'), api('/reports/failures?interval=hour')])
      .then(function (r) {
        $('key-form').hidden = true;
        drawStatus(r[0]);
        drawTasks(r[1]);
        drawChart(r[2]);
        if (selectedTask) showDrives(selectedTask);
      })
      .catch(report);
  }

  $('key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    localStorage.setItem(KEY, $('key').value.trim());
    $('key').value = '';
    refresh();
  });
  refresh();
  setInterval(refresh, 5000);
})();
