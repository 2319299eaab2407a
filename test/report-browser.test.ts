import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { browserSkipReason, launchOffline, type LaunchedBrowser } from './browser/chromium.js';
import { later, signInRow, toNdjson } from './report/signins.js';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const skip = browserSkipReason() ?? false;

interface AlertJson {
  UserPrincipalName: string;
  Type: string;
  SigninCount: number;
  LocationCount: number;
  IPAddressCount: number;
  StartTime: string;
  Severity?: string;
  Evidence?: { Locations: unknown[]; Failures: unknown[] };
}

interface ScanOutput {
  alerts: AlertJson[];
  stderr: string;
}

const MODES = ['improved', 'parity'] as const;

/** Runs `crackwatch scan` with JSON output and a report; returns the alerts and the summary. */
async function scan(inputs: string[], report: string, extra: string[] = []): Promise<ScanOutput> {
  const json = `${report}.json`;
  const { stderr } = await run(process.execPath, [CLI, 'scan', ...inputs, '--output', 'json', '-o', json, '--report', report, '--no-progress', ...extra], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return { alerts: JSON.parse(await readFile(json, 'utf8')), stderr };
}

async function open(browser: LaunchedBrowser, file: string, errors: string[]): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('html[data-ready="true"]');
  return page;
}

async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.waitForFunction((expected) => (globalThis as { document?: { getElementById(id: string): { textContent: string } | null } }).document?.getElementById('alert-status')?.textContent === expected, status);
}

/** Formats a count as the report shows it, with thousands separators. */
function formatted(value: number | string): string {
  return Number(value).toLocaleString('en-US');
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

describe('HTML report in Chromium', { skip }, () => {
  let work: string;
  let browser: LaunchedBrowser;
  const requests: string[] = [];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'crackwatch-report-'));
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchOffline(requests);
  });

  after(async () => {
    await browser?.close();
    await rm(work, { recursive: true, force: true });
  });

  for (const mode of MODES) test(`numbers shown match JSON output (${mode})`, async () => {
    const report = join(work, `samples-${mode}.html`);
    const { alerts, stderr } = await scan([join(ROOT, 'samples/attack'), join(ROOT, 'samples/datadog-alfo')], report, ['--mode', mode]);
    assert.equal(alerts.length, 1, 'the bundled attack sample raises one alert');
    const errors: string[] = [];
    const page = await open(browser, report, errors);

    assert.equal(await text(page, '[data-testid="alert-count"]'), formatted(alerts.length));
    const records = /Read \d+ input\(s\): (\d+) records, (\d+) sign-ins, (\d+) skipped/.exec(stderr);
    assert.ok(records !== null, stderr);
    assert.equal(await text(page, '[data-testid="records-read"]'), formatted(records[1]));
    assert.equal(await text(page, '[data-testid="records-skipped"]'), formatted(records[3]));
    const counted = /Failures counted by the rule: (\d+)/.exec(stderr)!;
    assert.equal(await text(page, '[data-testid="failures-counted"]'), formatted(counted[1]));
    const severity = alerts[0].Severity ?? 'Medium';
    assert.equal(await text(page, `[data-testid="severity-${severity.toLowerCase()}"]`), formatted(alerts.length));

    for (const alert of alerts) {
      const row = page.locator('#alert-rows tr.row', { has: page.getByRole('button', { name: alert.UserPrincipalName, exact: true }) });
      const cells = (await row.locator('td').allTextContents()).map((cell) => cell.trim());
      assert.equal(cells[1], alert.UserPrincipalName);
      assert.equal(cells[0], alert.Severity ?? 'Medium');
      assert.equal(cells[2], alert.Type.split(',').join(', '));
      assert.equal(cells[3], `${alert.StartTime.slice(0, 10)} ${alert.StartTime.slice(11, 19)}`);
      assert.equal(cells[4], String(alert.SigninCount));
      assert.equal(cells[5], String(alert.LocationCount));
      assert.equal(cells[6], String(alert.IPAddressCount));
    }
    const overview = (await page.locator('#overview').boundingBox())!;
    await page.screenshot({ path: join(ARTIFACTS, `report-overview-${mode}.png`), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: overview.y + overview.height } });
    assert.deepEqual(errors, []);
    await page.close();
  });

  for (const mode of MODES) test(`alert click shows its evidence (${mode})`, async () => {
    const report = join(work, `attack-${mode}.html`);
    const { alerts } = await scan([join(ROOT, 'samples/attack')], report, ['--mode', mode]);
    const alert = alerts[0];
    const errors: string[] = [];
    const page = await open(browser, report, errors);

    await page.getByRole('button', { name: alert.UserPrincipalName, exact: true }).click();
    assert.equal(await text(page, '#detail-title'), alert.UserPrincipalName);
    assert.equal(await page.evaluate('location.hash'), '#alert-0');
    assert.equal(await page.locator('#alert-rows tr[aria-current="true"]').count(), 1);

    // Improved mode lists locations without data beside the ones it counts; parity counts "//" as one.
    const locationFailures = await page.locator('#detail-locations tbody tr td:nth-child(2)').allTextContents();
    assert.equal(locationFailures.length, alert.Evidence?.Locations.length ?? alert.LocationCount);
    assert.equal(locationFailures.reduce((sum, cell) => sum + Number(cell), 0), alert.SigninCount);
    const ipFailures = await page.locator('#detail-ips tbody tr td:nth-child(2)').allTextContents();
    assert.equal(ipFailures.length, alert.IPAddressCount);
    assert.equal(ipFailures.reduce((sum, cell) => sum + Number(cell), 0), alert.SigninCount);
    const codeFailures = await page.locator('#detail-result-types tbody tr td:nth-child(3)').allTextContents();
    assert.equal(codeFailures.reduce((sum, cell) => sum + Number(cell), 0), alert.SigninCount);

    assert.equal(await page.locator('#detail-timeline circle.failure').count(), alert.SigninCount);
    assert.equal(await page.locator('#detail-timeline line.threshold').count(), 1);
    const placements = await page.locator('#detail-locations tbody tr td:nth-child(6)').allTextContents();
    assert.deepEqual([...new Set(placements)].sort(), ['country centre', 'not placed'], 'the sample has no geoCoordinates and one location without data');
    assert.equal(await page.locator('#detail-map-spots circle').count(), placements.filter((placement) => placement !== 'not placed').length);
    assert.equal(await page.locator('#detail-evidence tbody tr').count(), alert.SigninCount);
    const ids = await page.locator('#detail-evidence tbody tr td:nth-child(7)').allTextContents();
    assert.equal(new Set(ids).size, alert.SigninCount, 'each evidence row carries its own Id');
    assert.match(await text(page, '#detail-other-users tbody'), /hermione\.granger@hogwarts\.com/i);

    await page.locator('#alert-detail').screenshot({ path: join(ARTIFACTS, `report-alert-${mode}.png`) });
    await page.click('#theme-toggle');
    await page.click('#theme-toggle');
    assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
    await page.screenshot({ path: join(ARTIFACTS, `report-dark-${mode}.png`), fullPage: false });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('controls are labelled, tables captioned', async () => {
    const report = join(work, 'a11y.html');
    await scan([join(ROOT, 'samples/attack')], report);
    const errors: string[] = [];
    const page = await open(browser, report, errors);

    const unlabelled = await page.locator('input, select').evaluateAll((controls) =>
      controls.filter((control) => (control as unknown as { labels: unknown[] }).labels.length === 0).map((control) => control.id),
    );
    assert.deepEqual(unlabelled, []);
    assert.equal(await page.locator('table:not(:has(> caption))').count(), 0);
    assert.equal(await page.locator('svg[role="img"]:not([aria-label]):not([aria-labelledby])').count(), 0);
    assert.equal(await page.locator('th[data-sort] button').count(), 8);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('report without alerts opens cleanly', async () => {
    const report = join(work, 'no-alerts.html');
    const { alerts } = await scan([join(ROOT, 'samples/datadog-alfo')], report);
    assert.equal(alerts.length, 0);
    const errors: string[] = [];
    const page = await open(browser, report, errors);

    assert.equal(await text(page, '[data-testid="alert-count"]'), '0');
    assert.equal(await text(page, '#alert-status'), 'Showing 0 of 0 alerts.');
    assert.equal(await page.locator('#alert-detail').isHidden(), true);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('report loads nothing from outside the file', async () => {
    const report = join(work, 'samples.html');
    await scan([join(ROOT, 'samples/attack')], report);
    requests.length = 0;
    const errors: string[] = [];
    const page = await open(browser, report, errors);
    await page.getByRole('button', { name: 'harry.potter@hogwarts.com' }).click();

    assert.deepEqual(requests, []);
    assert.equal(await page.evaluate(`performance.getEntriesByType('resource').length`), 0);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /default-src 'none'/);
    assert.match(csp ?? '', /img-src data:/);
    assert.doesNotMatch(csp ?? '', /unsafe-inline/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('injection payloads in fields do not run', async () => {
    const payloads = [
      '<script>window.__pwned = "script"</script>',
      '<img src=x onerror="window.__pwned = \'img\'">',
      '"><svg onload="window.__pwned = \'svg\'">',
      '</script><script>window.__pwned = "close"</script>',
      "'-alert(1)-'",
    ];
    const upn = `${payloads[1]}@contoso.com`;
    const places = [
      [payloads[0], 'Hesse', 'Frankfurt'],
      ['BR', payloads[2], 'Sao Paulo'],
      ['VN', 'Ha Noi', payloads[3]],
    ];
    const rows = [];
    for (let i = 0; i < 33; i++) {
      const [country, state, city] = places[i % 3];
      rows.push(
        signInRow({
          time: later('2025-04-12T09:00:00Z', i * 60),
          upn,
          ip: `198.51.100.${i % 3}`,
          country,
          state,
          city,
          app: payloads[i % payloads.length],
          userAgent: payloads[(i + 1) % payloads.length],
          browser: payloads[(i + 2) % payloads.length],
          id: `${payloads[i % payloads.length]}-${i}`,
          correlationId: payloads[4],
        }),
      );
    }
    rows.push(signInRow({ time: later('2025-04-12T09:00:00Z', 3600), upn, ip: '198.51.100.1', country: 'BR', state: payloads[2], city: 'Sao Paulo', resultType: '0', app: payloads[0], id: payloads[3] }));
    const input = join(work, `${payloads[1].replace(/\//g, '_')}.json`);
    await writeFile(input, toNdjson(rows));
    const report = join(work, 'payloads.html');
    const { alerts } = await scan([input], report);
    assert.equal(alerts.length, 1);

    const errors: string[] = [];
    const page = await browser.context.newPage();
    // Init scripts run before the page's own and are not subject to its CSP.
    await page.addInitScript(`
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (event) => window.__violations.push(event.violatedDirective + ': ' + event.sample));
    `);
    page.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    await page.goto(pathToFileURL(report).href);
    await page.waitForSelector('html[data-ready="true"]');
    await page.getByRole('button', { name: upn, exact: true }).click();

    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.deepEqual(await page.evaluate('window.__violations'), []);
    assert.deepEqual(errors, []);
    assert.equal(await page.locator('img, iframe, object, embed').count(), 0);
    assert.equal(await page.locator('script').count(), 2, 'only the data block and the report script');
    // The payloads are shown as text.
    assert.equal(await text(page, '#detail-title'), upn);
    assert.match(await text(page, '#scan-files tbody'), /<img src=x onerror=/);
    assert.match(await text(page, '#detail-locations tbody'), /<script>window\.__pwned = "script"<\/script>/);
    assert.match(await text(page, '#detail-ips tbody'), /<\/script><script>/);
    assert.match(await text(page, '#detail-apps tbody'), /<svg onload=/);
    assert.match(await text(page, '#detail-success'), /<script>/);
    assert.equal(await page.locator('#detail-timeline path.success').count(), 1, 'the later success is marked on the timeline');
    assert.deepEqual(requests, []);
    await page.close();
  });

  test('invisible characters in a UPN are shown as escapes', async () => {
    // A right-to-left override and terminal escapes could make the UPN read as another account.
    const upn = 'evil\u202e\u001b[31m\u009b@contoso.com';
    const rows = [];
    for (let i = 0; i < 33; i++) {
      const [country, state, city] = [['DE', 'Hesse', 'Frankfurt'], ['BR', 'Sao Paulo', 'Sao Paulo'], ['VN', 'Ha Noi', 'Ha Noi']][i % 3];
      rows.push(signInRow({ time: later('2025-04-12T09:00:00Z', i * 60), upn, ip: `198.51.100.${i % 3}`, country, state, city, id: `invisible-${i}` }));
    }
    const input = join(work, 'invisible.json');
    await writeFile(input, toNdjson(rows));
    const report = join(work, 'invisible.html');
    const { alerts } = await scan([input], report);
    assert.equal(alerts.length, 1);

    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(report).href);
    await page.waitForSelector('html[data-ready="true"]');
    const escaped = 'evil\\u{202e}\\u{1b}[31m\\u{9b}@contoso.com';
    const button = page.locator('button.user-link');
    assert.equal(await button.textContent(), escaped);
    assert.equal(await button.getAttribute('title'), escaped);
    await button.click();
    assert.equal(await text(page, '#detail-title'), escaped);
    assert.match((await page.locator('#detail-map-title').textContent()) ?? '', /locations of evil\\u\{202e\}/);
    await page.close();
  });

  test('10,000 alerts keep few rows in the page', async () => {
    const rows = [];
    for (let user = 0; user < 10_000; user++) {
      const upn = `user-${String(user).padStart(5, '0')}@contoso.com`;
      for (let i = 0; i < 3; i++) {
        rows.push(
          signInRow({
            time: later('2025-04-12T00:00:00Z', user * 5 + i),
            upn,
            ip: `203.0.113.${i}`,
            country: ['DE', 'BR', 'VN'][i],
            state: '',
            city: '',
            id: `${user}-${i}`,
          }),
        );
      }
    }
    const input = join(work, 'spray.json');
    await writeFile(input, toNdjson(rows));
    const report = join(work, 'spray.html');
    // Parity mode, because improved mode took about 30 s on this input on a shared 2-core machine, parity about 2 s.
    const { alerts } = await scan([input], report, ['--mode', 'parity', '--failure-threshold', '2', '--location-threshold', '3']);
    assert.equal(alerts.length, 10_000);

    const errors: string[] = [];
    const page = await open(browser, report, errors);
    assert.equal(await text(page, '#alert-status'), 'Showing 10,000 of 10,000 alerts.');
    assert.ok((await page.locator('#alert-rows tr.row').count()) < 60, 'only the rows in view are in the page');

    await page.locator('#alert-viewport').evaluate((viewport) => {
      viewport.scrollTop = viewport.scrollHeight;
    });
    // A function, not a string: a string predicate is evaluated with eval, which the report's CSP forbids.
    await page.waitForFunction(
      () =>
        (globalThis as { document?: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } }).document
          ?.querySelector('#alert-rows tr.row:last-of-type')
          ?.getAttribute('aria-rowindex') === '10001',
    );
    assert.ok((await page.locator('#alert-rows tr.row').count()) < 60);

    await page.locator('#alert-table th[data-sort="user"] button').click();
    await page.locator('#alert-table th[data-sort="user"] button').click();
    assert.equal(await page.locator('#alert-table th[data-sort="user"]').getAttribute('aria-sort'), 'descending');
    assert.equal(await text(page, '#alert-rows tr.row td:nth-child(2)'), 'user-09999@contoso.com');

    const target = page.getByRole('button', { name: 'user-09998@contoso.com', exact: true });
    await target.focus();
    await page.keyboard.press('Enter');
    assert.equal(await text(page, '#detail-title'), 'user-09998@contoso.com');

    await page.fill('#filter-user', 'user-0042');
    await waitForStatus(page, 'Showing 10 of 10,000 alerts.');
    await page.fill('#filter-user', '');
    await page.selectOption('#filter-severity', 'Medium');
    await waitForStatus(page, 'Showing 10,000 of 10,000 alerts.');
    await page.fill('#filter-from', '2025-04-13');
    await waitForStatus(page, 'Showing 0 of 10,000 alerts.');
    await page.fill('#filter-from', '2025-04-12');
    await page.fill('#filter-to', '2025-04-12');
    await waitForStatus(page, 'Showing 10,000 of 10,000 alerts.');
    await page.fill('#filter-locations', '4');
    await waitForStatus(page, 'Showing 0 of 10,000 alerts.');
    await page.click('#alert-filters button[type="reset"]');
    await waitForStatus(page, 'Showing 10,000 of 10,000 alerts.');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
