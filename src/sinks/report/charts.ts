import { escapeHtml } from './html.js';
import { MAP_HEIGHT, MAP_WIDTH, type WorldMap } from './geo.js';
import type { OverviewSection } from './model.js';

const CHART_WIDTH = 960;
const CHART_HEIGHT = 240;
const MARGIN = { top: 16, right: 16, bottom: 40, left: 48 };

/** Draws attacked users per time bucket as an SVG bar chart; the same numbers follow in a table. */
export function usersOverTimeSvg(overview: OverviewSection): string {
  const rows = overview.timeline;
  const title = `Attacked users per ${overview.bucketLabel} (UTC)`;
  if (rows.length === 0) return `<p class="empty">No counted failures to chart.</p>`;

  const max = Math.max(1, ...rows.map((row) => row.users));
  const top = niceCeiling(max);
  const innerWidth = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = innerWidth / rows.length;
  const barWidth = Math.max(1, Math.min(step * 0.8, 48));
  const y = (value: number): number => MARGIN.top + innerHeight - (value / top) * innerHeight;

  const parts: string[] = [];
  for (const tick of ticksUpTo(top)) {
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${CHART_WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}"/>` +
        `<text class="axis" x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(rows.length / 8));
  rows.forEach((row, index) => {
    const x = MARGIN.left + index * step + (step - barWidth) / 2;
    const height = MARGIN.top + innerHeight - y(row.users);
    parts.push(
      `<rect class="bar" x="${x.toFixed(1)}" y="${y(row.users).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}">` +
        `<title>${escapeHtml(row.bucket)}: ${row.users} user(s), ${row.failures} failure(s)</title></rect>`,
    );
    if (index % labelEvery === 0) {
      parts.push(`<text class="axis" x="${(x + barWidth / 2).toFixed(1)}" y="${CHART_HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeHtml(shortBucket(row.bucket))}</text>`);
    }
  });
  parts.push(`<line class="baseline" x1="${MARGIN.left}" x2="${CHART_WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}"/>`);

  return (
    `<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-labelledby="users-chart-title">` +
    `<title id="users-chart-title">${escapeHtml(title)}: at most ${max} user(s) in one ${overview.bucketLabel}; the table below lists every ${overview.bucketLabel}.</title>` +
    parts.join('') +
    '</svg>'
  );
}

/** Draws the world map with one circle per location, its area proportional to the failures counted there. */
export function mapSvg(id: string, label: string, points: readonly { x: number; y: number; failures: number; title: string }[]): string {
  const max = Math.max(1, ...points.map((point) => point.failures));
  const circles = points
    .map((point) => {
      const radius = 4 + 14 * Math.sqrt(point.failures / max);
      return `<circle class="spot" cx="${point.x}" cy="${point.y}" r="${radius.toFixed(1)}"><title>${escapeHtml(point.title)}</title></circle>`;
    })
    .join('');
  return (
    `<svg class="map" id="${id}" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" role="img" aria-label="${escapeHtml(label)}">` +
    baseMap() +
    `<g class="spots">${circles}</g></svg>`
  );
}

/** Defines the map's sphere, land and borders once (about 150 KB) for every map in the report to reference. */
export function baseMapDefinition(map: WorldMap): string {
  return (
    `<svg class="defs" aria-hidden="true" focusable="false"><defs><g id="world-base">` +
    `<path class="sphere" d="${map.outlinePath}"/><path class="land" d="${map.landPath}"/><path class="borders" d="${map.bordersPath}"/>` +
    `</g></defs></svg>`
  );
}

/** Returns a reference to the shared base map. */
export function baseMap(): string {
  return '<use href="#world-base"/>';
}

function shortBucket(bucket: string): string {
  // "2025-04-12T13:00Z" reads as "04-12 13:00"; a day bucket "2025-04-12" as "04-12".
  return bucket.length > 10 ? `${bucket.slice(5, 10)} ${bucket.slice(11, 16)}` : bucket.slice(5);
}

function niceCeiling(value: number): number {
  if (value <= 5) return Math.max(1, value);
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 2.5, 5, 10]) {
    if (factor * magnitude >= value) return factor * magnitude;
  }
  return 10 * magnitude;
}

function ticksUpTo(top: number): number[] {
  const count = top <= 5 ? top : 5;
  const ticks: number[] = [];
  for (let i = 0; i <= count; i++) ticks.push(Math.round((top / count) * i * 100) / 100);
  return ticks;
}
