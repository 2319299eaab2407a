/** Process exit codes; the README documents each. */
export const ExitCode = {
  /** The scan completed, with or without alerts. */
  Ok: 0,
  /** Alerts were found and --fail-on-alert was given. */
  AlertsFound: 1,
  /** Usage error, or no input could be read. */
  Usage: 2,
  /** --strict was given and a record was invalid. */
  InvalidRecord: 3,
  /** The alerts could not be written to the output. */
  OutputFailed: 4,
} as const;

/** A mistake in the command line; printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
