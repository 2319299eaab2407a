/**
 * Runs crackwatch over a generated tenant in one mode and returns its alerts as ScoredAlerts. Parity runs
 * in-process; every mode also runs through the CLI, so a mode built later is measured without changes here.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ScoredAlert } from './score.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** Sentinel runs a scheduled rule about five minutes after its window ends, to absorb ingestion delay. */
const SCHEDULED_RUN_DELAY_MS = 5 * 60_000;

export type ModeResult = { readonly available: true; readonly alerts: ScoredAlert[] } | { readonly available: false; readonly reason: string };

function isoToMs(text: unknown): number | null {
  return typeof text === 'string' && text.length > 0 ? Date.parse(text) : null;
}

/**
 * Reads when an alert would be raised: the moment the thresholds first held (sliding windows), else the
 * end of its scheduled window plus Sentinel's run delay, else its last event.
 */
export function raisedAt(record: Record<string, unknown>): number | null {
  const triggered = isoToMs(record.FirstTriggeredAt) ?? isoToMs(record.AlertTime) ?? isoToMs(record.RaisedAt);
  if (triggered !== null) return triggered;
  const windowEnd = isoToMs(record.WindowEnd);
  if (windowEnd !== null) return windowEnd + SCHEDULED_RUN_DELAY_MS;
  return isoToMs(record.EndTime);
}

/** Runs `crackwatch scan --mode <mode>` over `inputs` and parses its NDJSON alerts. */
export async function scanWithCli(mode: string, inputs: readonly string[], extra: readonly string[] = []): Promise<ModeResult> {
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, [CLI, 'scan', ...inputs, '--mode', mode, '--output', 'ndjson', '--quiet', '--no-progress', ...extra], {
      maxBuffer: 256 * 1024 * 1024,
    }));
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    const lines = (failure.stderr ?? failure.message).trim().split('\n');
    const reason = lines.find((line) => /error|invalid|not implemented/i.test(line))?.trim() ?? lines[0];
    return { available: false, reason: reason || `crackwatch scan --mode ${mode} failed` };
  }

  const alerts: ScoredAlert[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as Record<string, unknown>;
    const user = record.UserPrincipalName ?? record.user;
    const time = raisedAt(record);
    const start = isoToMs(record.StartTime);
    const end = isoToMs(record.EndTime);
    if (typeof user !== 'string' || time === null || start === null || end === null) {
      throw new Error(`alert of mode ${mode} lacks UserPrincipalName, StartTime, EndTime or a time: ${line.slice(0, 200)}`);
    }
    alerts.push({ user, raisedAt: time, start, end });
  }
  return { available: true, alerts };
}
