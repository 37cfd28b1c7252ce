import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { JsonLogger, LogLevel, type LogLevelName } from '../../shared/src/adapters/logging/json-logger';
import { redactText } from '../../shared/src/adapters/logging/redact';
import type { Clock } from '../../shared/src/ports/clock';
import type { Logger } from '../../shared/src/ports/logger';

/** How the local stack writes its logs: readable lines with a component prefix, or JSON lines. */
export type LogFormat = 'pretty' | 'json';

const COLOURS: Readonly<Record<string, number>> = {
  stack: 1,
  emulators: 90,
  sim: 36,
  executor: 35,
  analyze: 34,
  risk: 33,
  report: 32,
  api: 96,
  alerts: 91,
  telegram: 94,
};
const LEVEL_COLOUR: Readonly<Record<string, number>> = { debug: 90, info: 0, warn: 33, error: 31 };
const WIDTH = 9;
// Fields every line has (shown in the prefix), or that only repeat the prefix.
const HIDDEN = new Set(['time', 'level', 'msg', 'component']);

function scalar(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * The one output of the local stack (`npm start`): every in-process component logs through a JSON
 * logger (so the shared redactor masks secrets before anything is written) and the executor's JSON
 * lines arrive on its stdout; both are written here either as they are (`--json-logs`, one JSON object
 * per line with `component`) or as readable lines `12:01:05 analyze  INFO  analysis done decisions=2`,
 * coloured by component on a terminal. Never throws on a strange line: it prints it redacted.
 */
export class LogStream {
  constructor(
    private readonly options: {
      readonly format: LogFormat;
      readonly colour: boolean;
      readonly minLevel: LogLevelName;
      readonly clock: Clock;
      readonly write: (text: string) => void;
    },
  ) {}

  /** A logger for one component of the stack. */
  logger(component: string): Logger {
    return new JsonLogger((line) => this.line(component, line), this.options.clock, this.options.minLevel, {
      component,
    });
  }

  /** Writes a JSON log line (already redacted) of `component`; a non-JSON line is written redacted as text. */
  line(component: string, text: string): void {
    let record: Record<string, unknown> | undefined;
    if (text.startsWith('{'))
      try {
        record = JSON.parse(text) as Record<string, unknown>;
      } catch {
        record = undefined;
      }
    if (record === undefined) {
      if (text.trim() === '') return;
      this.emit(component, {
        time: new Date(this.options.clock.now()).toISOString(),
        level: 'info',
        msg: redactText(text),
      });
      return;
    }
    const level = typeof record.level === 'string' ? record.level : 'info';
    if ((LogLevel[level as LogLevelName] ?? LogLevel.info) < LogLevel[this.options.minLevel]) return;
    this.emit(component, record);
  }

  /** Follows a child's output line by line under `component`'s prefix. */
  follow(component: string, stream: Readable): void {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (l) =>
      this.line(component, l),
    );
  }

  private emit(component: string, record: Record<string, unknown>): void {
    if (this.options.format === 'json') {
      this.options.write(`${JSON.stringify({ ...record, component: record.component ?? component })}\n`);
      return;
    }
    const level = String(record.level ?? 'info');
    const time = typeof record.time === 'string' ? record.time.slice(11, 19) : '        ';
    const fields = Object.entries(record)
      .filter(([k]) => !HIDDEN.has(k))
      .map(([k, v]) => `${k}=${scalar(v)}`)
      .join(' ');
    const name = component.padEnd(WIDTH);
    const tag = level.toUpperCase().padEnd(5);
    const colour = (code: number | undefined, text: string) =>
      this.options.colour && code !== undefined && code !== 0 ? `\u001b[${code}m${text}\u001b[0m` : text;
    this.options.write(
      `${time} ${colour(COLOURS[component], name)} ${colour(LEVEL_COLOUR[level], tag)} ${String(record.msg ?? '')}${fields === '' ? '' : `  ${fields}`}\n`,
    );
  }
}
