import { escapeTerminal } from '../sinks/escape.js';

const REDRAW_INTERVAL_MS = 200;

/** A one-line progress display on standard error: records read and files done. Drawn only on a terminal. */
export class Progress {
  private records = 0;
  private files = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly enabled: boolean,
    private readonly label = 'reading',
  ) {}

  tick(): void {
    this.records++;
    // Checking the clock every record would cost more than the count itself.
    if (!this.enabled || (this.records & 0x3fff) !== 0) return;
    this.draw('');
  }

  fileDone(file: string): void {
    this.files++;
    if (this.enabled) this.draw(file);
  }

  private draw(file: string): void {
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    const text = `${this.label}: ${this.records.toLocaleString('en-US')} sign-ins, ${this.files} file(s) done ${file ? escapeTerminal(file) : ''}`;
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
