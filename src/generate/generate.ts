/**
 * Generates a synthetic Entra ID tenant's sign-in logs with labelled attacks, streaming to disk.
 * Memory holds the directory, the attack events and one block of users' events for one day.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AttackPlanner, type AttackCounts, type AttackKind, type GroundTruth } from './attacks.js';
import { BenignActivity, type ActivityRates } from './benign.js';
import { createLayoutWriter, type LayoutWriter, type OutputLayout } from './layouts.js';
import type { SignInEvent } from './model.js';
import { Prng } from './prng.js';
import { buildTenant } from './tenant.js';

export interface GenerateOptions {
  readonly seed: number | string;
  readonly users: number;
  readonly days: number;
  /** First day, 00:00 UTC, as YYYY-MM-DD. */
  readonly startDate: string;
  readonly domain: string;
  readonly guestShare: number;
  readonly attacks: AttackCounts;
  readonly rates: ActivityRates;
  readonly layouts: readonly OutputLayout[];
  readonly outDir: string;
  readonly gzip: boolean;
  readonly maxFileBytes: number;
}


export { DEFAULT_ATTACKS, DEFAULT_RATES } from './catalog.js';

export interface GenerateSummary {
  readonly events: number;
  readonly bytes: number;
  readonly files: string[];
  readonly truth: GroundTruth[];
  readonly truthFile: string;
  /** Attack kinds that could not be placed because the tenant ran out of users. */
  readonly unplaced: AttackKind[];
}

/** Users whose day is generated and written together; bounds memory to one block-day of events. */
const USER_BLOCK = 200;

function byGenerated(a: SignInEvent, b: SignInEvent): number {
  return a.generated - b.generated || a.generatedTicks - b.generatedTicks;
}

/** Generates the tenant and writes every requested layout plus `ground-truth.jsonl` into `outDir`. */
export async function generateTenant(options: GenerateOptions, onProgress?: (events: number) => void): Promise<GenerateSummary> {
  const startMs = Date.parse(`${options.startDate}T00:00:00Z`);
  if (Number.isNaN(startMs)) throw new Error(`invalid start date "${options.startDate}"; use YYYY-MM-DD`);
  const dayStart = (day: number): number => startMs + day * 86_400_000;

  const root = new Prng(options.seed);
  const tenant = buildTenant(root.fork('tenant'), { users: options.users, days: options.days, domain: options.domain, guestShare: options.guestShare });
  const planner = new AttackPlanner(root.fork('attacks'), options.days, dayStart, options.rates.duplicateShare);
  const unplaced = planner.plan(options.attacks, tenant.users);

  // Attack events are few; bucket them by TimeGenerated day so they are written among that day's traffic.
  const attackDays = new Map<number, SignInEvent[]>();
  for (const event of planner.events) {
    const day = Math.max(0, Math.floor((event.generated - startMs) / 86_400_000));
    if (!attackDays.has(day)) attackDays.set(day, []);
    attackDays.get(day)!.push(event);
  }

  await mkdir(options.outDir, { recursive: true });
  const truthFile = path.join(options.outDir, 'ground-truth.jsonl');
  await writeFile(truthFile, planner.truth.map((row) => JSON.stringify(row) + '\n').join(''));

  const fileOptions = { gzip: options.gzip, maxBytes: options.maxFileBytes };
  const period = { from: options.startDate, to: new Date(dayStart(options.days)).toISOString().slice(0, 10) };
  const sample = planner.events[0] ?? null;
  const benign = new BenignActivity(tenant, options.rates, dayStart);
  const writers: LayoutWriter[] = [];
  let events = 0;

  const write = async (batch: SignInEvent[]): Promise<void> => {
    batch.sort(byGenerated);
    for (const writer of writers) for (const event of batch) await writer.add(event);
    events += batch.length;
    onProgress?.(events);
  };

  let batch: SignInEvent[] = [];
  for (let day = 0; day < options.days; day++) {
    for (let first = 0; first < tenant.users.length; first += USER_BLOCK) {
      batch = first === 0 ? [...(attackDays.get(day) ?? [])] : [];
      attackDays.delete(day);
      for (const user of tenant.users.slice(first, first + USER_BLOCK)) {
        benign.generate(root.fork(`day-${day}-user-${user.index}`), user, day, batch);
      }
      if (writers.length === 0) {
        const template = sample ?? batch[0];
        if (template === undefined) continue;
        for (const layout of options.layouts) {
          writers.push(createLayoutWriter(layout, path.join(options.outDir, layout), tenant, fileOptions, template, period));
        }
      }
      await write(batch);
    }
  }
  // Late records and attacks that run past the last day are written last, as a later export would hold them.
  const rest = [...attackDays.keys()].sort((a, b) => a - b).flatMap((day) => attackDays.get(day)!);
  if (writers.length === 0 && rest.length > 0) {
    for (const layout of options.layouts) writers.push(createLayoutWriter(layout, path.join(options.outDir, layout), tenant, fileOptions, rest[0], period));
  }
  if (rest.length > 0) await write(rest);

  const files: string[] = [];
  let bytes = 0;
  for (const writer of writers) {
    await writer.close();
    for (const file of writer.files()) {
      files.push(...file.paths);
      bytes += file.bytes;
    }
  }
  return { events, bytes, files, truth: planner.truth, truthFile, unplaced };
}
