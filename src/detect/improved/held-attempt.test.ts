import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptRow } from './attempt.js';
import { HeldAttempt } from './held-attempt.js';

function row(time: bigint, file: string, index: number): AttemptRow {
  return { time, type: 'SigninLogs', userPrincipalName: 'Ron@x', locationString: 'GB/England/London', source: { File: file, Line: index + 1, Index: index } };
}

function held(time: bigint, file: string, index: number): HeldAttempt {
  const attempt = new HeldAttempt('id:a');
  attempt.time = time;
  attempt.Type = 'SigninLogs';
  attempt.UserPrincipalName = 'Ron@x';
  attempt.locationString = 'GB/England/London';
  attempt.file = file;
  attempt.line = index + 1;
  attempt.index = index;
  return attempt;
}

test('single row rebuilt from fields', () => {
  const attempt = held(10n, 'a.json', 4);
  assert.deepEqual(attempt.rows, [row(10n, 'a.json', 4)]);
  assert.equal(attempt.rowCount, 1);
  assert.equal(attempt.fields.UserPrincipalName, 'Ron@x');
});

test('earlier row takes the lead', () => {
  const attempt = held(10n, 'b.json', 2);
  assert.equal(attempt.addRow(row(20n, 'b.json', 9)), false);
  assert.equal(attempt.addRow(row(10n, 'a.json', 7)), true);
  assert.equal(attempt.rowCount, 3);
  // The caller then describes the attempt by the new earliest row. Until it does, the old fields lead the list.
  attempt.file = 'a.json';
  attempt.line = 8;
  attempt.index = 7;
  assert.deepEqual(
    attempt.rows.map((entry) => [entry.time, entry.source.File, entry.source.Index]),
    [
      [10n, 'a.json', 7],
      [10n, 'b.json', 2],
      [20n, 'b.json', 9],
    ],
  );
});
