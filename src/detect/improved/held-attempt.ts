import type { Dynamic } from '../../core/kql.js';
import type { Ticks } from '../../core/time.js';
import type { FailureKind } from './alert.js';
import { compareRows, type Attempt, type AttemptFields, type AttemptRow } from './attempt.js';

/**
 * An attempt as the detector stores it: one object with the fields of its earliest row inline, and the rows
 * after the earliest apart (none for most attempts). The `fields` and `rows` views are built when read.
 * An attempt with its own fields object, row, source and row list took five objects per failure, and a
 * wide spray has millions of failures.
 */
export class HeldAttempt implements Attempt, AttemptFields {
  /** When the sign-in happened (CreatedDateTime, else TimeGenerated): what windows are built on. */
  time: Ticks = 0n;
  /** When Log Analytics received the earliest row, as the evidence shows it. */
  timeGenerated: Ticks = 0n;
  Id = '';
  OriginalRequestId = '';
  CorrelationId = '';
  Type = '';
  UserPrincipalName = '';
  ResultType = '';
  ResultDescription = '';
  IPAddress = '';
  AppDisplayName = '';
  UserAgent = '';
  browser: Dynamic = null;
  os: Dynamic = null;
  location: string | null = null;
  locationString = '';
  country = '';
  coordinates: { Latitude: number; Longitude: number } | null = null;
  kind: FailureKind = 'other';
  /** Input name, line and record index of the earliest row. */
  file = '';
  line = 0;
  index = 0;
  /** Rows after the earliest, in order; null while the attempt was read once. */
  private laterRows: AttemptRow[] | null = null;

  constructor(readonly key: string) {}

  get fields(): AttemptFields {
    return this;
  }

  set fields(fields: AttemptFields) {
    Object.assign(this, fields);
  }

  /** Every row of the attempt, earliest first. The earliest is rebuilt from the fields it described. */
  get rows(): AttemptRow[] {
    const earliest: AttemptRow = {
      time: this.time,
      type: this.Type,
      userPrincipalName: this.UserPrincipalName,
      locationString: this.locationString,
      source: { File: this.file, Line: this.line, Index: this.index },
    };
    return this.laterRows === null ? [earliest] : [earliest, ...this.laterRows];
  }

  get rowCount(): number {
    return this.laterRows === null ? 1 : this.laterRows.length + 1;
  }

  /** Adds a row read again for this attempt. Returns true when it is now the earliest: the caller must then describe the attempt by it. */
  addRow(row: AttemptRow): boolean {
    const rows = this.rows;
    rows.push(row);
    rows.sort(compareRows);
    this.laterRows = rows.slice(1);
    return rows[0] === row;
  }
}
