/** The report's style sheet, inlined in the page and allowed by its hash in the Content-Security-Policy. */
export const REPORT_CSS = `
:root {
  color-scheme: light;
  --bg: #f4f6f9; --panel: #ffffff; --text: #1c2430; --muted: #5a6473; --border: #d8dee6; --stripe: #f7f9fb;
  --accent: #1f5fbf; --accent-text: #ffffff; --focus: #f59e0b;
  --high: #b42318; --high-bg: #fde8e6; --medium: #9a4a00; --medium-bg: #fff1dc; --low: #1f5fbf; --low-bg: #e6efff;
  --ok: #1b7f3b; --danger-bg: #fdecea; --danger-border: #e5a29b; --warn-bg: #fff7e0; --warn-border: #e9c46a;
  --sphere: #eef3f8; --land: #d9e0e8; --borders: #ffffff; --spot: #d1495b; --bar: #3b6fc9; --grid: #e3e8ee;
}
:root[data-theme="dark"] {
  color-scheme: dark;
  --bg: #0f141b; --panel: #171e28; --text: #e4e9f0; --muted: #9aa6b5; --border: #2b3644; --stripe: #1b2330;
  --accent: #6ea8ff; --accent-text: #0f141b; --focus: #fbbf24;
  --high: #ff8a80; --high-bg: #3d1a1a; --medium: #ffb65c; --medium-bg: #3a2810; --low: #8ab4ff; --low-bg: #16263f;
  --ok: #6fd38f; --danger-bg: #3a1718; --danger-border: #8c3b3b; --warn-bg: #33290f; --warn-border: #7a6421;
  --sphere: #131b26; --land: #2a3544; --borders: #171e28; --spot: #ff6b7d; --bar: #6ea8ff; --grid: #243040;
}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme="light"]) {
    color-scheme: dark;
    --bg: #0f141b; --panel: #171e28; --text: #e4e9f0; --muted: #9aa6b5; --border: #2b3644; --stripe: #1b2330;
    --accent: #6ea8ff; --accent-text: #0f141b; --focus: #fbbf24;
    --high: #ff8a80; --high-bg: #3d1a1a; --medium: #ffb65c; --medium-bg: #3a2810; --low: #8ab4ff; --low-bg: #16263f;
    --ok: #6fd38f; --danger-bg: #3a1718; --danger-border: #8c3b3b; --warn-bg: #33290f; --warn-border: #7a6421;
    --sphere: #131b26; --land: #2a3544; --borders: #171e28; --spot: #ff6b7d; --bar: #6ea8ff; --grid: #243040;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--text); }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 0 24px 32px; }
h1 { font-size: 22px; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--border); }
h3 { font-size: 15px; margin: 16px 0 8px; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; }
.skip:focus { left: 8px; top: 8px; background: var(--panel); padding: 8px; z-index: 10; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.masthead { display: flex; justify-content: space-between; align-items: center; gap: 16px; padding: 18px 24px;
  background: var(--panel); border-bottom: 1px solid var(--border); }
.masthead > div:first-child { max-width: 1240px; }
.subtitle { margin: 2px 0 0; color: var(--muted); }
.toolbar { display: flex; gap: 8px; }
button { font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--border); border-radius: 6px;
  padding: 5px 12px; cursor: pointer; }
button:hover { border-color: var(--accent); }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 0 0 12px; }
.kpis > div { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 10px 14px; }
.kpis dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.kpis dd { margin: 2px 0 0; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.kpis dd.small { font-size: 14px; font-weight: 500; }
.severities { list-style: none; display: flex; gap: 16px; padding: 0; margin: 0 0 8px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
.severity-high { color: var(--high); background: var(--high-bg); }
.severity-medium { color: var(--medium); background: var(--medium-bg); }
.severity-low, .severity-informational { color: var(--low); background: var(--low-bg); }
.warning { background: var(--warn-bg); border: 1px solid var(--warn-border); border-radius: 6px; padding: 8px 12px; }
.callout { background: var(--danger-bg); border: 1px solid var(--danger-border); border-radius: 8px; padding: 10px 14px; margin: 0 0 12px; }
.callout strong { color: var(--high); }
.notes { padding-left: 20px; color: var(--muted); }
.lede { color: var(--muted); margin-top: -4px; }
.empty { color: var(--muted); font-style: italic; }
.panel { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px; margin: 0 0 14px; overflow-x: auto; }
figure.panel { margin: 0 0 14px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 0 14px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
thead th { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; }
tbody tr:nth-child(even) { background: var(--stripe); }
td.num, th.num { text-align: right; }
.ip, .time { white-space: nowrap; }
#detail-evidence.no-app .col-app { display: none; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; overflow-wrap: anywhere; }
.error { color: var(--high); }
details { margin-top: 8px; }
summary { cursor: pointer; color: var(--accent); }
svg { display: block; width: 100%; height: auto; }
svg.defs { position: absolute; width: 0; height: 0; overflow: hidden; }
svg text { fill: var(--muted); font: 11px system-ui, sans-serif; }
.chart { max-height: 240px; }
.chart .bar { fill: var(--bar); }
.chart .grid { stroke: var(--grid); }
.chart .baseline { stroke: var(--muted); }
.map { max-height: 480px; }
.sphere { fill: var(--sphere); }
.land { fill: var(--land); }
.borders { fill: none; stroke: var(--borders); stroke-width: 0.6; }
.map .spot { fill: var(--spot); fill-opacity: 0.65; stroke: var(--panel); stroke-width: 1; }
.map .alert-spot { fill-opacity: 0.8; stroke: var(--panel); stroke-width: 1; }
.timeline .lane { fill: var(--stripe); }
.timeline .lane-label { fill: var(--text); }
.timeline .tick { stroke: var(--grid); }
.timeline .threshold { stroke: var(--high); stroke-width: 2; stroke-dasharray: 5 4; }
.timeline .threshold-label { fill: var(--high); font-weight: 600; }
.timeline .success { fill: var(--ok); stroke: var(--panel); }
.timeline .success-label { fill: var(--ok); font-weight: 600; }
.timeline .failure { stroke: var(--panel); stroke-width: 0.5; fill-opacity: 0.85; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: end; background: var(--panel); border: 1px solid var(--border);
  border-radius: 8px; padding: 10px 14px; margin-bottom: 8px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
.filters input, .filters select { font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: 4px 8px; min-width: 120px; }
#alert-status { color: var(--muted); margin: 4px 0; }
.list-viewport { max-height: 420px; overflow-y: auto; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; }
.alert-table thead th { position: sticky; top: 0; background: var(--panel); z-index: 1; padding: 0; box-shadow: inset 0 -1px 0 var(--border); }
.alert-table thead th button { border: 0; border-radius: 0; background: transparent; color: inherit; font: inherit; text-transform: inherit;
  letter-spacing: inherit; width: 100%; text-align: left; padding: 8px; }
.alert-table thead th[aria-sort="ascending"] button::after { content: " \\25B2"; }
.alert-table thead th[aria-sort="descending"] button::after { content: " \\25BC"; }
.alert-table tbody tr.row { height: 36px; }
.alert-table tbody td { padding: 0 8px; vertical-align: middle; white-space: nowrap; border-bottom: 1px solid var(--border); }
.alert-table tbody tr.row[aria-current="true"] { background: var(--low-bg); box-shadow: inset 3px 0 0 var(--accent); }
.alert-table tbody tr.spacer td { padding: 0; border: 0; }
.alert-table .user-link { border: 0; background: none; color: var(--accent); padding: 0; text-decoration: underline; text-underline-offset: 2px;
  max-width: 360px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; display: inline-block; vertical-align: middle; }
.yes { color: var(--high); font-weight: 600; }
.detail { margin-top: 16px; border-top: 3px solid var(--accent); padding-top: 8px; }
.detail-head h3 { font-size: 20px; margin: 4px 0 0; overflow-wrap: anywhere; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
footer { max-width: 1240px; margin: 0 auto; padding: 8px 24px 32px; color: var(--muted); font-size: 12px; }
@media print {
  :root, :root[data-theme="dark"] { color-scheme: light; --bg: #fff; --panel: #fff; --text: #000; --muted: #444; --border: #bbb; --stripe: #f3f3f3; }
  .toolbar, .filters, .list-viewport, #alert-status, .skip, #evidence-more { display: none !important; }
  main { max-width: none; padding: 0; }
  .panel, figure { break-inside: avoid; }
  details > :not(summary) { display: block; }
  h2 { break-after: avoid; }
}
`;
