/**
 * Writes the two inputs that measure improved mode's state, as Log Analytics SigninLogs JSON lines:
 *
 * - `spray`: 1,400,000 failures (ResultType 50126) over one day, spread over 200,000 users, 5 locations and
 *   250 IP addresses, every record with its own Id. No user passes the thresholds, so the scan measures the
 *   memory held per attempt.
 * - `shared-ip`: 10,000 users who each fail 31 times in one day from 3 locations. The users fall in 100
 *   groups of 100, and each group shares a pool of 10 attacking addresses, so every user raises an alert
 *   whose other-users evidence lists the 99 others of the group.
 *
 * Usage: node dist/bench/improved-inputs.js spray|shared-ip FILE
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const LOCATIONS = [
  ['US', 'Washington', 'Redmond'],
  ['GB', 'England', 'London'],
  ['FR', '', 'Paris'],
  ['DE', 'Berlin', 'Berlin'],
  ['BR', 'Sao Paulo', 'Sao Paulo'],
] as const;
const DAY_START = Date.parse('2026-11-02T00:00:00Z');

function record(index: number, timeMs: number, user: number, ipAddress: string, location: readonly string[]): string {
  return JSON.stringify({
    TimeGenerated: new Date(timeMs).toISOString().replace('Z', '0000Z'),
    Type: 'SigninLogs',
    OperationName: 'Sign-in activity',
    ResultType: '50126',
    ResultDescription: 'Invalid username or password or Invalid on-premise username or password.',
    UserPrincipalName: `user${user}@contoso.com`,
    IPAddress: ipAddress,
    AppDisplayName: 'Azure Portal',
    LocationDetails: { countryOrRegion: location[0], state: location[1], city: location[2] },
    DeviceDetail: { browser: 'Chrome 120.0.0', operatingSystem: 'Windows 10' },
    Id: 'id' + index,
  });
}

function* spray(): Generator<string> {
  const count = 1_400_000;
  for (let i = 0; i < count; i++) {
    yield record(i, DAY_START + Math.floor((i * 86_400_000) / count), i % 200_000, `198.51.100.${i % 250}`, LOCATIONS[i % 5]);
  }
}

function* sharedIp(): Generator<string> {
  const users = 10_000;
  const failures = 31;
  let index = 0;
  for (let round = 0; round < failures; round++) {
    for (let user = 0; user < users; user++) {
      const timeMs = DAY_START + Math.floor((index * 80_000_000) / (users * failures));
      yield record(index, timeMs, user, `203.0.${user % 100}.${(user * 7 + round) % 10}`, LOCATIONS[(user + round) % 3]);
      index++;
    }
  }
}

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  if ((kind !== 'spray' && kind !== 'shared-ip') || file === undefined) {
    process.stderr.write('invalid arguments: expected the input kind (spray or shared-ip) and an output file, e.g. node dist/bench/improved-inputs.js spray /tmp/spray.jsonl\n');
    process.exit(2);
  }
  const output = createWriteStream(file);
  let chunk = '';
  for (const line of kind === 'spray' ? spray() : sharedIp()) {
    chunk += line + '\n';
    if (chunk.length < 1 << 20) continue;
    if (!output.write(chunk)) await once(output, 'drain');
    chunk = '';
  }
  output.end(chunk);
  await once(output, 'finish');
}

await main();
