import { baseMap, baseMapDefinition, mapSvg, usersOverTimeSvg } from './charts.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { MAP_HEIGHT, MAP_WIDTH, type WorldMap } from './geo.js';
import { cspHash, escapeHtml, jsonForScriptBlock } from './html.js';
import type { LabelCount, ReportData } from './model.js';
import { REPORT_CSS } from './style.js';

/**
 * Renders the report as one HTML document. Every value from the logs goes through escapeHtml here or
 * through textContent in the page's script. The Content-Security-Policy allows only this file's own script
 * and style (by hash) and data: images, so the page loads nothing from anywhere else.
 */
export function renderReport(data: ReportData, map: WorldMap): string {
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(CLIENT_SCRIPT)}`,
    `style-src ${cspHash(REPORT_CSS)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(data.title)}: ${data.alerts.length} alert(s)</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<a class="skip" href="#alerts">Skip to alerts</a>
${baseMapDefinition(map)}
${masthead(data)}
<main>
${summarySection(data)}
${overviewSection(data, map)}
${alertsSection(data, map)}
${scanSection(data)}
</main>
<footer><p>Map: Natural Earth country shapes (public domain) from world-atlas 2.0.2, Copyright 2013-2019 Michael Bostock, ISC licence. All times are UTC. Made by crackwatch ${escapeHtml(data.toolVersion)}.</p></footer>
<script type="application/json" id="report-data">${jsonForScriptBlock({ alerts: data.alerts, strings: data.strings })}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

function masthead(data: ReportData): string {
  return `<header class="masthead">
<div>
<h1>Distributed password-cracking report</h1>
<p class="subtitle">Generated ${escapeHtml(displayTime(data.generatedAt))} by crackwatch ${escapeHtml(data.toolVersion)} · ${escapeHtml(data.rule.mode)} mode</p>
</div>
<div class="toolbar">
<button type="button" id="theme-toggle">Theme: automatic</button>
<button type="button" id="print-button">Print</button>
</div>
</header>`;
}

function summarySection(data: ReportData): string {
  const overview = data.overview;
  const span = data.scan.earliest === null || data.scan.latest === null ? 'no sign-ins' : `${displayTime(data.scan.earliest)} to ${displayTime(data.scan.latest)}`;
  const severities = overview.alertsBySeverity
    .map((row) => `<li><span class="badge severity-${cssToken(row.label)}">${escapeHtml(row.label)}</span> <span data-testid="severity-${cssToken(row.label)}">${count(row.count)}</span></li>`)
    .join('');

  return `<section id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Summary</h2>
<dl class="kpis">
<div><dt>Alerts</dt><dd data-testid="alert-count">${count(data.alerts.length)}</dd></div>
<div><dt>Attacked users</dt><dd data-testid="attacked-users">${count(overview.attackedUsers)}</dd></div>
<div><dt>Failures, all users</dt><dd data-testid="failures-counted">${count(data.scan.counted)}</dd></div>
<div><dt>Records read</dt><dd data-testid="records-read">${count(data.scan.records)}</dd></div>
<div><dt>Skipped records</dt><dd data-testid="records-skipped">${count(data.scan.skipped)}</dd></div>
<div><dt>Files</dt><dd data-testid="file-count">${count(data.scan.files.length)}</dd></div>
</dl>
${severities.length > 0 ? `<h3>Alerts by severity</h3><ul class="severities" aria-label="Alerts by severity">${severities}</ul>` : '<p class="empty">No alerts: no user crossed both thresholds.</p>'}
<p>Time span of the sign-ins read: <span data-testid="time-span">${escapeHtml(span)}</span>.</p>
<p>Rule: <span data-testid="rule">${escapeHtml(data.rule.description)}</span>.</p>
${skippedText(data)}
${data.notes.map((note) => `<p class="warning" role="note">${escapeHtml(note)}</p>`).join('\n')}
</section>`;
}

function overviewSection(data: ReportData, map: WorldMap): string {
  const overview = data.overview;
  const points = overview.topLocations
    .filter((row) => row.point !== null)
    .map((row) => ({ x: row.point!.x, y: row.point!.y, failures: row.failures, title: `${row.location}: ${row.failures} failure(s), ${row.users} user(s)` }));

  const timelineRows = overview.timeline
    .filter((row) => row.users > 0)
    .map((row) => `<tr><th scope="row">${escapeHtml(row.bucket)}</th><td class="num">${row.users}</td><td class="num">${row.failures}</td></tr>`)
    .join('');
  const ipRows = overview.topIps
    .map((row) => `<tr><td class="mono ip">${escapeHtml(row.ip)}</td><td class="num">${row.failures}</td><td class="num">${row.users}</td><td class="num">${row.locations}</td></tr>`)
    .join('');
  const locationRows = overview.topLocations
    .map(
      (row) =>
        `<tr><td>${escapeHtml(locationText(row.location))}</td><td class="num">${row.failures}</td><td class="num">${row.users}</td><td class="num">${row.ips}</td></tr>`,
    )
    .join('');

  return `<section id="overview" aria-labelledby="overview-title">
<h2 id="overview-title">Overview</h2>
<p class="lede">Failures counted in the alerts below, over time and by origin.</p>
<figure class="panel">
<figcaption>Attacked users per ${escapeHtml(overview.bucketLabel)} (UTC)</figcaption>
${usersOverTimeSvg(overview)}
<details><summary>Data table</summary>
<table><caption>Attacked users per ${escapeHtml(overview.bucketLabel)} (${escapeHtml(overview.bucketLabel)}s without failures left out)</caption>
<thead><tr><th scope="col">${escapeHtml(capitalize(overview.bucketLabel))} (UTC)</th><th scope="col" class="num">Users</th><th scope="col" class="num">Failures</th></tr></thead>
<tbody>${timelineRows}</tbody></table></details>
</figure>
<figure class="panel">
<figcaption>Where the failures came from (top ${overview.topLocations.length} locations)</figcaption>
${mapSvg('overview-map', `World map of the top ${points.length} attacking locations; the table of top locations lists the same data.`, points)}
</figure>
<div class="columns">
<div class="panel"><table id="top-ips"><caption>Top attacking IP addresses</caption>
<thead><tr><th scope="col">IP address</th><th scope="col" class="num">Failures</th><th scope="col" class="num">Users</th><th scope="col" class="num">Locations</th></tr></thead>
<tbody>${ipRows || '<tr><td colspan="4" class="empty">None</td></tr>'}</tbody></table></div>
<div class="panel"><table id="top-locations"><caption>Top attacking locations</caption>
<thead><tr><th scope="col">Location</th><th scope="col" class="num">Failures</th><th scope="col" class="num">Users</th><th scope="col" class="num">IP addresses</th></tr></thead>
<tbody>${locationRows || '<tr><td colspan="4" class="empty">None</td></tr>'}</tbody></table></div>
</div>
</section>`;
}

function alertsSection(data: ReportData, map: WorldMap): string {
  const severities = data.overview.alertsBySeverity.map((row) => `<option value="${escapeHtml(row.label)}">${escapeHtml(row.label)}</option>`).join('');
  return `<section id="alerts" aria-labelledby="alerts-title">
<h2 id="alerts-title">Alerts</h2>
<form class="filters" id="alert-filters" role="search" aria-label="Filter alerts">
<label>User <input type="search" id="filter-user" placeholder="part of a UPN" autocomplete="off"></label>
<label>Severity <select id="filter-severity"><option value="">All</option>${severities}</select></label>
<label>Locations at least <input type="number" id="filter-locations" min="0" step="1" inputmode="numeric"></label>
<label>From (UTC) <input type="date" id="filter-from"></label>
<label>To (UTC) <input type="date" id="filter-to"></label>
<button type="reset">Clear</button>
</form>
<p id="alert-status" role="status" aria-live="polite"></p>
<div class="list-viewport" id="alert-viewport" tabindex="0" role="region" aria-label="Alert list (scrollable)">
<table class="alert-table" id="alert-table" aria-rowcount="${data.alerts.length + 1}">
<caption class="visually-hidden">Alerts; choose a user to show the alert's evidence below</caption>
<thead><tr>
<th scope="col" data-sort="severity" aria-sort="none"><button type="button">Severity</button></th>
<th scope="col" data-sort="user" aria-sort="none"><button type="button">User</button></th>
<th scope="col" data-sort="tables" aria-sort="none"><button type="button">Tables</button></th>
<th scope="col" data-sort="firstFailure" aria-sort="none"><button type="button">First failure (UTC)</button></th>
<th scope="col" data-sort="failureCount" aria-sort="none" class="num"><button type="button">Failures</button></th>
<th scope="col" data-sort="locationCount" aria-sort="none"><button type="button">Locations</button></th>
<th scope="col" data-sort="ipCount" aria-sort="none"><button type="button">IPs</button></th>
<th scope="col" data-sort="laterSuccess" aria-sort="none"><button type="button">Later success</button></th>
</tr></thead>
<tbody id="alert-rows"></tbody>
</table>
</div>
${detailSkeleton(map)}
</section>`;
}

/** Renders the empty alert detail panel, whose slots the page's script fills for the selected alert. */
function detailSkeleton(map: WorldMap): string {
  return `<article id="alert-detail" class="detail" aria-labelledby="detail-title" hidden>
<header class="detail-head">
<h3 id="detail-title" tabindex="-1"></h3>
<p id="detail-subtitle" class="subtitle"></p>
</header>
<dl class="kpis" id="detail-kpis"></dl>
<div id="detail-success"></div>
<ul id="detail-notes" class="notes"></ul>
<figure class="panel">
<figcaption>Failures over time, one row per location; the dashed line marks when both thresholds held</figcaption>
<svg class="timeline" id="detail-timeline" role="img" aria-labelledby="detail-timeline-title"><title id="detail-timeline-title"></title></svg>
</figure>
<figure class="panel">
<figcaption>Failures by location</figcaption>
<svg class="map" id="detail-map" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" role="img" aria-labelledby="detail-map-title"><title id="detail-map-title"></title>${baseMap()}<g class="spots" id="detail-map-spots"></g></svg>
</figure>
<div class="panel"><table id="detail-locations"><caption>Failures per location</caption>
<thead><tr><th scope="col">Location</th><th scope="col" class="num">Failures</th><th scope="col" class="num">IP addresses</th><th scope="col">First (UTC)</th><th scope="col">Last (UTC)</th><th scope="col">On the map</th></tr></thead><tbody></tbody></table></div>
<div class="panel"><table id="detail-ips"><caption>Failures per IP address</caption>
<thead><tr><th scope="col">IP address</th><th scope="col" class="num">Failures</th><th scope="col">Locations</th><th scope="col">User agents</th></tr></thead><tbody></tbody></table></div>
<div class="columns">
<div class="panel"><table id="detail-result-types"><caption>Failures per ResultType</caption>
<thead><tr><th scope="col">ResultType</th><th scope="col">Failure reason</th><th scope="col" class="num">Failures</th></tr></thead><tbody></tbody></table></div>
<div class="panel"><table id="detail-other-users"><caption>Other users with failures from the same IP addresses in this window</caption>
<thead><tr><th scope="col">User</th><th scope="col" class="num">Failures</th><th scope="col">Shared IP addresses</th></tr></thead><tbody></tbody></table>
<p id="detail-other-users-note" class="notes"></p></div>
</div>
<div class="panel"><table id="detail-apps"><caption>Applications, browsers and operating systems (the rule's make_set columns)</caption>
<thead><tr><th scope="col">Column</th><th scope="col">Values</th></tr></thead><tbody></tbody></table></div>
<div class="panel"><table id="detail-evidence"><caption>Evidence: every failure counted, with its ids and where it was read</caption>
<thead><tr><th scope="col">Time (UTC)</th><th scope="col">Location</th><th scope="col">IP address</th><th scope="col">ResultType</th><th scope="col">Table</th><th scope="col" class="col-app">Application</th><th scope="col">Id</th><th scope="col">CorrelationId</th><th scope="col">Source</th></tr></thead><tbody></tbody></table>
<button type="button" id="evidence-more" hidden>Show more</button></div>
</article>`;
}

function scanSection(data: ReportData): string {
  const scan = data.scan;
  const fileRows = scan.files
    .map(
      (file) =>
        `<tr><td class="mono">${escapeHtml(file.file)}</td><td>${escapeHtml(file.layouts)}</td><td>${escapeHtml(file.framing)}</td>` +
        `<td class="num">${file.records}</td><td class="num">${file.signIns}</td><td class="num">${file.skipped}</td><td>${file.error === null ? '' : `<span class="error">${escapeHtml(file.error)}</span>`}</td></tr>`,
    )
    .join('');

  return `<section id="scan" aria-labelledby="scan-title">
<h2 id="scan-title">Scan details</h2>
<div class="panel"><table id="scan-files"><caption>Files read</caption>
<thead><tr><th scope="col">File</th><th scope="col">Layout</th><th scope="col">Framing and encoding</th><th scope="col" class="num">Records</th><th scope="col" class="num">Sign-ins</th><th scope="col" class="num">Skipped</th><th scope="col">Error</th></tr></thead>
<tbody>${fileRows}</tbody></table></div>
<div class="columns">
${countTable('scan-tables', 'Sign-ins per table', 'Table', scan.tables)}
${countTable('scan-skipped', 'Skipped records by reason', 'Reason', scan.skippedByReason)}
${countTable('scan-warnings', 'Data-quality warnings', 'Warning', scan.warnings)}
${countTable('scan-categories', 'Other sign-in categories (not read by the rule)', 'Category', scan.otherCategories)}
</div>
<div class="panel"><table id="scan-rule"><caption>Detection settings</caption><tbody>
<tr><th scope="row">Mode</th><td>${escapeHtml(data.rule.mode)}</td></tr>
<tr><th scope="row">Window</th><td>${escapeHtml(data.rule.window)}</td></tr>
<tr><th scope="row">Failure threshold</th><td>more than ${data.rule.failureThreshold} failures</td></tr>
<tr><th scope="row">Location threshold</th><td>at least ${data.rule.locationThreshold} distinct locations</td></tr>
<tr><th scope="row">ResultType codes counted</th><td>${escapeHtml(data.rule.resultTypes.join(', '))}</td></tr>
</tbody></table></div>
</section>`;
}

/** Says what was skipped; records of other sign-in categories are expected in diagnostic exports, so only the rest warn. */
function skippedText(data: ReportData): string {
  const otherCategories = sum(data.scan.otherCategories);
  const unexpected = data.scan.skipped - otherCategories;
  const warnings = sum(data.scan.warnings);
  const parts: string[] = [];
  if (unexpected > 0) parts.push(`${unexpected} record(s) could not be read and were skipped`);
  if (warnings > 0) parts.push(`${warnings} data-quality warning(s) were raised`);
  if (parts.length > 0) return `<p class="warning" role="note">${parts.join(', and ')}; see <a href="#scan">Scan details</a>.</p>`;
  if (otherCategories > 0) return `<p>${otherCategories} record(s) of other sign-in categories (service principals, managed identities) were skipped, as the rule reads only user sign-ins.</p>`;
  return '';
}

function countTable(id: string, caption: string, label: string, rows: readonly LabelCount[]): string {
  const body = rows.map((row) => `<tr><td>${escapeHtml(row.label)}</td><td class="num">${count(row.count)}</td></tr>`).join('');
  return `<div class="panel"><table id="${id}"><caption>${escapeHtml(caption)}</caption>
<thead><tr><th scope="col">${escapeHtml(label)}</th><th scope="col" class="num">Count</th></tr></thead>
<tbody>${body || '<tr><td colspan="2" class="empty">None</td></tr>'}</tbody></table></div>`;
}

/** Shows the rule's location string "country/state/city"; "//" means the record had no location. */
export function locationText(location: string): string {
  return location === '//' ? '// (no location data)' : location;
}

function displayTime(iso: string): string {
  // 2025-04-12T12:02:40.5000000Z → 2025-04-12 12:02:40Z
  return iso.length >= 19 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : iso;
}

/** Formats a count with thousands separators, as 10,000. */
function count(value: number): string {
  return value.toLocaleString('en-US');
}

function sum(rows: readonly LabelCount[]): number {
  return rows.reduce((total, row) => total + row.count, 0);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function cssToken(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
