/**
 * The report page's script: lists, sorts and filters the alerts and draws the selected one. It reads the
 * alerts from the JSON block and writes every value from the logs with textContent or as an SVG attribute
 * value, never as markup. The alert list renders only the rows in view, so 10,000 alerts scroll smoothly.
 * Plain ES2020 in a string, because the page has no bundler; the browser tests run every path of it.
 */
export const CLIENT_SCRIPT = String.raw`
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const alerts = data.alerts;
  const strings = data.strings;
  // Fields of a packed failure row; see AlertFailure in the report model.
  const F = { T: 0, LOCATION: 1, IP: 2, RESULT_TYPE: 3, TABLE: 4, APP: 5, ID: 6, CORRELATION_ID: 7, FILE: 8, LINE: 9 };
  const isoOf = (t) => new Date(t).toISOString();
  const sourceOf = (failure) =>
    strings[failure[F.FILE]] + (failure[F.LINE] > 0 ? ':' + failure[F.LINE] : ' record ' + -failure[F.LINE]);
  const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f'];
  const OTHER_COLOR = '#8c8c8c';
  const ROW_HEIGHT = 36;
  const OVERSCAN = 8;
  const EVIDENCE_PAGE = 100;
  const SEVERITY_RANK = { High: 0, Medium: 1, Low: 2, Informational: 3 };
  const SVG = 'http://www.w3.org/2000/svg';

  const $ = (id) => document.getElementById(id);
  const viewport = $('alert-viewport');
  const rowsBody = $('alert-rows');
  const status = $('alert-status');
  const filters = { user: $('filter-user'), severity: $('filter-severity'), locations: $('filter-locations'), from: $('filter-from'), to: $('filter-to') };

  let view = alerts.map((_, index) => index);
  let sortKey = 'severity';
  let sortAscending = true;
  let selected = -1;

  const count = (value) => value.toLocaleString('en-US');
  const colorOf = (index) => (index < PALETTE.length ? PALETTE[index] : OTHER_COLOR);
  const shortTime = (iso) => (iso ? iso.slice(0, 10) + ' ' + iso.slice(11, 19) : '');
  const locationText = (name) => (name === '//' ? '// (no location data)' : name);

  // Control, bidirectional and zero-width characters from the logs are shown as \u{NNNN}, so that a UPN
  // cannot reorder what the analyst reads or pass for another account.
  const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
  const visible = (text) => String(text).replace(INVISIBLE, (character) => '\\u{' + character.charCodeAt(0).toString(16) + '}');

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = visible(text);
    if (className) node.className = className;
    return node;
  }

  function svgElement(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const name in attributes) node.setAttribute(name, String(attributes[name]));
    if (text !== undefined) node.textContent = visible(text);
    return node;
  }

  // ---- Alert list: filter, sort, render the visible rows -----------------------------------------------

  function sortValue(alert, key) {
    if (key === 'severity') return SEVERITY_RANK[alert.severity] ?? 9;
    if (key === 'tables') return alert.tables.join(', ');
    if (key === 'laterSuccess') return alert.laterSuccess ? 0 : 1;
    return alert[key];
  }

  function compare(a, b) {
    const x = sortValue(alerts[a], sortKey);
    const y = sortValue(alerts[b], sortKey);
    if (x < y) return sortAscending ? -1 : 1;
    if (x > y) return sortAscending ? 1 : -1;
    // Ties: most failures first, then by user.
    return alerts[b].failureCount - alerts[a].failureCount || (alerts[a].user < alerts[b].user ? -1 : 1);
  }

  function applyFilters() {
    const user = filters.user.value.trim().toLowerCase();
    const severity = filters.severity.value;
    const minLocations = filters.locations.value === '' ? 0 : Number(filters.locations.value);
    const from = filters.from.value;
    const to = filters.to.value;
    view = [];
    for (let index = 0; index < alerts.length; index++) {
      const alert = alerts[index];
      if (user && !alert.user.toLowerCase().includes(user)) continue;
      if (severity && alert.severity !== severity) continue;
      if (alert.locationCount < minLocations) continue;
      if (from && alert.lastFailure.slice(0, 10) < from) continue;
      if (to && alert.firstFailure.slice(0, 10) > to) continue;
      view.push(index);
    }
    view.sort(compare);
    $('alert-table').setAttribute('aria-rowcount', String(view.length + 1));
    status.textContent = 'Showing ' + count(view.length) + ' of ' + count(alerts.length) + ' alerts.';
    viewport.scrollTop = 0;
    renderRows();
  }

  function spacer(height) {
    const row = element('tr', null, 'spacer');
    row.setAttribute('aria-hidden', 'true');
    const cell = element('td');
    cell.colSpan = 8;
    cell.style.height = height + 'px';
    row.appendChild(cell);
    return row;
  }

  function alertRow(index, position) {
    const alert = alerts[index];
    const row = element('tr', null, 'row');
    row.setAttribute('aria-rowindex', String(position + 2));
    if (index === selected) row.setAttribute('aria-current', 'true');

    const severity = element('td');
    severity.appendChild(element('span', alert.severity, 'badge severity-' + alert.severity.toLowerCase()));
    const user = element('td');
    const button = element('button', alert.user, 'user-link');
    button.type = 'button';
    button.dataset.alert = String(index);
    button.title = visible(alert.user);
    user.appendChild(button);
    row.append(
      severity,
      user,
      element('td', alert.tables.join(', ')),
      element('td', shortTime(alert.firstFailure)),
      element('td', alert.failureCount, 'num'),
      element('td', alert.locationCount, 'num'),
      element('td', alert.ipCount, 'num'),
      element('td', alert.laterSuccess ? 'Yes' : 'No', alert.laterSuccess ? 'yes' : ''),
    );
    return row;
  }

  function renderRows() {
    const headerHeight = viewport.querySelector('thead').offsetHeight;
    const top = Math.max(0, viewport.scrollTop - headerHeight);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(view.length, Math.ceil((top + viewport.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const rows = [];
    if (first > 0) rows.push(spacer(first * ROW_HEIGHT));
    for (let position = first; position < last; position++) rows.push(alertRow(view[position], position));
    if (last < view.length) rows.push(spacer((view.length - last) * ROW_HEIGHT));
    if (view.length === 0) {
      const row = element('tr');
      const cell = element('td', 'No alert matches the filters.', 'empty');
      cell.colSpan = 8;
      row.appendChild(cell);
      rows.push(row);
    }
    rowsBody.replaceChildren(...rows);
  }

  // One frame renders whatever is pending; a filter change wins over a scroll, because it renders the rows too.
  // Separate frames would let a scroll event (applyFilters itself scrolls to the top) cancel a pending filter.
  let frame = 0;
  let filterPending = false;
  function scheduleRender(filter) {
    if (filter) filterPending = true;
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (filterPending) {
        filterPending = false;
        applyFilters();
      } else {
        renderRows();
      }
    });
  }

  viewport.addEventListener('scroll', () => scheduleRender(false), { passive: true });
  for (const input of Object.values(filters)) input.addEventListener('input', () => scheduleRender(true));
  $('alert-filters').addEventListener('reset', () => setTimeout(applyFilters, 0));
  $('alert-filters').addEventListener('submit', (event) => event.preventDefault());

  for (const header of document.querySelectorAll('#alert-table th[data-sort]')) {
    header.querySelector('button').addEventListener('click', () => {
      const key = header.dataset.sort;
      sortAscending = key === sortKey ? !sortAscending : key === 'user' || key === 'tables' || key === 'severity' || key === 'laterSuccess';
      sortKey = key;
      for (const other of document.querySelectorAll('#alert-table th[data-sort]')) other.setAttribute('aria-sort', 'none');
      header.setAttribute('aria-sort', sortAscending ? 'ascending' : 'descending');
      applyFilters();
    });
  }

  rowsBody.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-alert]');
    if (button) select(Number(button.dataset.alert), true);
  });

  // ---- Alert detail ------------------------------------------------------------------------------------

  function fillTable(id, rows) {
    const body = $(id).tBodies[0];
    const width = $(id).tHead.rows[0].cells.length;
    if (rows.length === 0) {
      const row = element('tr');
      const cell = element('td', 'None', 'empty');
      cell.colSpan = width;
      row.appendChild(cell);
      body.replaceChildren(row);
      return;
    }
    body.replaceChildren(
      ...rows.map((cells) => {
        const row = element('tr');
        for (const cell of cells) row.appendChild(cell instanceof Node ? cell : element('td', cell));
        return row;
      }),
    );
  }

  function cell(text, className) {
    return element('td', text, className);
  }

  function kpi(label, value, small) {
    const box = element('div');
    box.append(element('dt', label), element('dd', value, small ? 'small' : ''));
    return box;
  }

  function select(index, focus) {
    const alert = alerts[index];
    if (!alert) return;
    selected = index;
    renderRows();
    const detail = $('alert-detail');
    detail.hidden = false;

    $('detail-title').textContent = visible(alert.user);
    $('detail-subtitle').textContent =
      alert.severity + ' · ' + visible(alert.tables.join(', ')) + ' · window ' + shortTime(alert.windowStart) + ' to ' + shortTime(alert.windowEnd) + ' UTC';
    $('detail-kpis').replaceChildren(
      kpi('Failures', count(alert.failureCount)),
      kpi('Locations', count(alert.locationCount)),
      kpi('IP addresses', count(alert.ipCount)),
      kpi('First failure', shortTime(alert.firstFailure), true),
      kpi('Last failure', shortTime(alert.lastFailure), true),
      kpi('Thresholds met', alert.thresholdsMetAt ? shortTime(alert.thresholdsMetAt) : 'not shown', true),
    );
    if (alert.improved) {
      $('detail-kpis').append(
        kpi('Duplicate rows collapsed', alert.improved.duplicateRows),
        kpi('Unknown locations', alert.improved.unknownLocations),
        kpi('Location granularity', alert.improved.granularity, true),
      );
    }

    const success = $('detail-success');
    success.replaceChildren();
    if (alert.laterSuccess) {
      const s = alert.laterSuccess;
      const box = element('div', null, 'callout');
      box.setAttribute('role', 'note');
      box.append(
        element('strong', 'Successful sign-in after the failures: the password may be known. '),
        document.createTextNode(
          shortTime(s.time) + ' UTC from ' + s.ip + ' (' + locationText(s.location) + ') to ' + (s.app || 'an unnamed application') +
            ', ' + s.table + ', matched on ' + s.matchedOn + '. Id ' + (s.id || 'none') + ', read from ' + s.source + '.',
        ),
      );
      success.appendChild(box);
    }
    $('detail-notes').replaceChildren(...alert.evidenceNotes.map((note) => element('li', note)));

    drawTimeline(alert);
    drawMap(alert);

    fillTable(
      'detail-locations',
      alert.locations.map((location, i) => {
        const name = element('td');
        const swatch = element('span', null, 'swatch');
        swatch.style.backgroundColor = colorOf(i);
        swatch.setAttribute('aria-hidden', 'true');
        name.append(swatch, document.createTextNode(locationText(location.name)));
        let placement = 'not placed';
        if (location.point) placement = location.point.source === 'record' ? 'from the records' : 'country centre';
        return [name, cell(location.failures, 'num'), cell(location.ips, 'num'), cell(shortTime(location.first)), cell(shortTime(location.last)), cell(placement)];
      }),
    );
    fillTable(
      'detail-ips',
      alert.ips.map((ip) => [cell(ip.ip, 'mono ip'), cell(ip.failures, 'num'), cell(ip.locations.map(locationText).join('; ')), cell(ip.userAgents.join('\n'), 'mono agents')]),
    );
    fillTable('detail-result-types', alert.resultTypes.map((row) => [cell(row.code, 'mono'), cell(row.description), cell(row.failures, 'num')]));
    fillTable('detail-other-users', alert.otherUsers.map((row) => [cell(row.user), cell(row.failures, 'num'), cell(row.ips.join(', '), 'mono')]));
    const shown = alert.otherUsers.length;
    $('detail-other-users-note').textContent =
      alert.otherUsersNote || (alert.otherUsersTotal > shown ? 'Showing ' + shown + ' of ' + alert.otherUsersTotal + ' other users; JSON output lists all.' : '');
    fillTable('detail-apps', [
      [element('th', 'AppDisplayName'), cell(alert.apps.join(', '))],
      [element('th', 'Browser'), cell(alert.browsers.join(', '))],
      [element('th', 'OS'), cell(alert.operatingSystems.join(', '))],
    ]);
    for (const header of $('detail-apps').querySelectorAll('tbody th')) header.scope = 'row';

    evidenceShown = 0;
    $('detail-evidence').tBodies[0].replaceChildren();
    // Improved-mode evidence names no application per failure; hide the column rather than show it empty.
    $('detail-evidence').classList.toggle('no-app', !alert.failures.some((failure) => strings[failure[F.APP]] !== ''));
    showMoreEvidence();

    if (location.hash !== '#alert-' + index) history.replaceState(null, '', '#alert-' + index);
    if (focus) {
      $('detail-title').focus({ preventScroll: true });
      detail.scrollIntoView({ block: 'start' });
    }
  }

  let evidenceShown = 0;
  function showMoreEvidence() {
    const alert = alerts[selected];
    const body = $('detail-evidence').tBodies[0];
    const next = alert.failures.slice(evidenceShown, evidenceShown + EVIDENCE_PAGE);
    for (const failure of next) {
      const row = element('tr');
      row.append(
        cell(shortTime(isoOf(failure[F.T])), 'time'),
        cell(locationText(alert.locations[failure[F.LOCATION]].name)),
        cell(strings[failure[F.IP]], 'mono ip'),
        cell(strings[failure[F.RESULT_TYPE]], 'mono'),
        cell(strings[failure[F.TABLE]]),
        cell(strings[failure[F.APP]], 'col-app'),
        cell(failure[F.ID], 'mono'),
        cell(failure[F.CORRELATION_ID], 'mono'),
        cell(sourceOf(failure), 'mono'),
      );
      body.appendChild(row);
    }
    evidenceShown += next.length;
    const more = $('evidence-more');
    const left = alert.failures.length - evidenceShown;
    more.hidden = left <= 0;
    more.textContent = 'Show ' + Math.min(left, EVIDENCE_PAGE) + ' more (' + left + ' not shown)';
  }
  $('evidence-more').addEventListener('click', showMoreEvidence);

  // ---- Timeline: one lane per location, failures as dots, the thresholds' moment as a dashed line ----------

  const TIME_STEPS = [60e3, 300e3, 900e3, 1800e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 86400e3, 2 * 86400e3, 7 * 86400e3];

  function drawTimeline(alert) {
    const svg = $('detail-timeline');
    const lanes = alert.locations.length + (alert.laterSuccess ? 1 : 0);
    const laneHeight = 24;
    const left = 230;
    const right = 24;
    const top = 26;
    const width = 960;
    const height = top + lanes * laneHeight + 30;
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    const title = $('detail-timeline-title');
    title.textContent =
      'Timeline of ' + alert.failures.length + ' failures from ' + shortTime(alert.firstFailure) + ' to ' + shortTime(alert.lastFailure) +
      ' UTC across ' + alert.locations.length + ' locations' + (alert.thresholdsMetAt ? '; thresholds met at ' + shortTime(alert.thresholdsMetAt) : '') +
      '. The evidence table lists each failure.';
    svg.replaceChildren(title);

    let start = Date.parse(alert.firstFailure);
    let end = Date.parse(alert.lastFailure);
    // A success within a day of the last failure widens the chart; a later one is pinned to its right edge.
    const successTime = alert.laterSuccess ? alert.laterSuccess.t : null;
    const successOnChart = successTime !== null && successTime <= end + 86400e3;
    if (successOnChart) end = Math.max(end, successTime);
    const pad = Math.max(60e3, (end - start) * 0.03);
    start -= pad;
    end += pad;
    const x = (t) => left + ((t - start) / (end - start)) * (width - left - right);

    const step = TIME_STEPS.find((candidate) => (end - start) / candidate <= 8) || 30 * 86400e3;
    for (let t = Math.ceil(start / step) * step; t <= end; t += step) {
      const iso = new Date(t).toISOString();
      svg.appendChild(svgElement('line', { class: 'tick', x1: x(t), x2: x(t), y1: top - 4, y2: top + lanes * laneHeight }));
      const label = step >= 86400e3 ? iso.slice(5, 10) : iso.slice(5, 10) + ' ' + iso.slice(11, 16);
      // A label centred on a tick near either edge would run into the lane labels or off the chart.
      if (x(t) < left + 32 || x(t) > width - right - 32) continue;
      svg.appendChild(svgElement('text', { x: x(t), y: top + lanes * laneHeight + 16, 'text-anchor': 'middle' }, label));
    }

    alert.locations.forEach((location, i) => {
      const y = top + i * laneHeight;
      svg.appendChild(svgElement('rect', { class: 'lane', x: left, y: y + 2, width: width - left - right, height: laneHeight - 4, rx: 3 }));
      const name = locationText(location.name);
      const label = svgElement('text', { class: 'lane-label', x: left - 8, y: y + laneHeight / 2 + 4, 'text-anchor': 'end' }, name.length > 34 ? name.slice(0, 33) + '…' : name);
      label.appendChild(svgElement('title', {}, name + ': ' + location.failures + ' failures'));
      svg.appendChild(label);
    });

    const dots = document.createDocumentFragment();
    for (const failure of alert.failures) {
      const dot = svgElement('circle', {
        class: 'failure',
        cx: x(failure[F.T]).toFixed(1),
        cy: top + failure[F.LOCATION] * laneHeight + laneHeight / 2,
        r: 4.5,
        fill: colorOf(failure[F.LOCATION]),
      });
      const label = shortTime(isoOf(failure[F.T])) + ' ' + strings[failure[F.IP]] + ' ResultType ' + strings[failure[F.RESULT_TYPE]];
      dot.appendChild(svgElement('title', {}, label));
      dots.appendChild(dot);
    }
    svg.appendChild(dots);

    if (alert.laterSuccess) {
      const y = top + alert.locations.length * laneHeight + laneHeight / 2;
      const label = successOnChart ? 'Successful sign-in' : 'Success ' + shortTime(alert.laterSuccess.time) + ' →';
      svg.appendChild(svgElement('text', { class: 'success-label', x: left - 8, y: y + 4, 'text-anchor': 'end' }, label));
      const cx = successOnChart ? x(successTime) : width - right;
      const diamond = svgElement('path', { class: 'success', d: 'M' + cx + ' ' + (y - 7) + 'l7 7l-7 7l-7 -7z' });
      diamond.appendChild(svgElement('title', {}, 'Successful sign-in at ' + shortTime(alert.laterSuccess.time) + ' from ' + alert.laterSuccess.ip));
      svg.appendChild(diamond);
    }

    if (alert.thresholdsMetAt) {
      const tx = x(Date.parse(alert.thresholdsMetAt));
      svg.appendChild(svgElement('line', { class: 'threshold', x1: tx, x2: tx, y1: top - 8, y2: top + lanes * laneHeight }));
      const anchor = tx > width - 200 ? 'end' : 'start';
      svg.appendChild(svgElement('text', { class: 'threshold-label', x: anchor === 'end' ? tx - 6 : tx + 6, y: top - 10, 'text-anchor': anchor }, 'thresholds met ' + shortTime(alert.thresholdsMetAt).slice(11)));
    }
  }

  function drawMap(alert) {
    const spots = $('detail-map-spots');
    const placed = alert.locations.map((location, i) => ({ location, i })).filter((entry) => entry.location.point);
    const max = Math.max(1, ...alert.locations.map((location) => location.failures));
    $('detail-map-title').textContent =
      'World map of ' + placed.length + ' of ' + alert.locations.length + ' locations of ' + visible(alert.user) + '; the table of failures per location lists the same data.';
    // Largest circles first, so smaller ones stay visible on top.
    placed.sort((a, b) => b.location.failures - a.location.failures);
    spots.replaceChildren(
      ...placed.map(({ location, i }) => {
        const circle = svgElement('circle', {
          class: 'alert-spot',
          cx: location.point.x,
          cy: location.point.y,
          r: (5 + 15 * Math.sqrt(location.failures / max)).toFixed(1),
          fill: colorOf(i),
        });
        const placement = location.point.source === 'record' ? '' : ' (country centre)';
        circle.appendChild(svgElement('title', {}, locationText(location.name) + placement + ': ' + location.failures + ' failures'));
        return circle;
      }),
    );
  }

  // ---- Theme, print, start-up --------------------------------------------------------------------------

  const themes = ['automatic', 'light', 'dark'];
  let theme = 0;
  $('theme-toggle').addEventListener('click', () => {
    theme = (theme + 1) % themes.length;
    if (themes[theme] === 'automatic') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = themes[theme];
    $('theme-toggle').textContent = 'Theme: ' + themes[theme];
  });
  $('print-button').addEventListener('click', () => window.print());

  window.addEventListener('hashchange', () => {
    const match = /^#alert-(\d+)$/.exec(location.hash);
    if (match && Number(match[1]) !== selected) select(Number(match[1]), true);
  });

  const header = document.querySelector('#alert-table th[data-sort="severity"]');
  header.setAttribute('aria-sort', 'ascending');
  applyFilters();
  const initial = /^#alert-(\d+)$/.exec(location.hash);
  if (initial && alerts[Number(initial[1])]) select(Number(initial[1]), false);
  else if (view.length > 0) select(view[0], false);
  document.documentElement.dataset.ready = 'true';
})();
`;
