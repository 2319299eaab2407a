import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium package; CI installs it. */
export const CHROMIUM_PATH = process.env.CRACKWATCH_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Returns a reason to skip browser tests, or null when they can run. In CI a missing browser is a failure,
 * not a skip, so the tests cannot pass by silently testing nothing.
 */
export function browserSkipReason(path: string = CHROMIUM_PATH, ci: string | undefined = process.env.CI): string | null {
  if (existsSync(path)) return null;
  if (ci === 'true') throw new Error(`Chromium not found at ${path}; CI must install the chromium package (.ci/run does)`);
  return `Chromium not found at ${path}; install it with: apt-get install chromium (or set CRACKWATCH_CHROMIUM)`;
}

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh profile and no background networking, and a context in which
 * every network request is recorded and aborted, so a page can only use what its own file carries.
 */
export async function launchOffline(requests: string[]): Promise<LaunchedBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'crackwatch-chromium-'));
  // Playwright passes the profile directory as --user-data-dir itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    offline: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  // A loaded machine (parallel test files, other work) can make a big page slow; waits fail only past 2 minutes.
  context.setDefaultTimeout(120_000);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    // The report itself is the one file:// document the test opens; anything else is a load from outside it.
    if (url.startsWith('file://') && url.endsWith('.html')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
