import type { Clock } from '../../ports/clock';
import type { LogFields, Logger } from '../../ports/logger';
import { redact, redactText } from './redact';

/** Log levels in increasing severity. */
export const LogLevel = { debug: 10, info: 20, warn: 30, error: 40 } as const;
/** Name of a log level. */
export type LogLevelName = keyof typeof LogLevel;

/**
 * One JSON object per line (journald/CloudWatch friendly), with time, level, message, the bound
 * context (e.g. decision id) and the fields — all passed through the redactor first.
 */
export class JsonLogger implements Logger {
  constructor(
    private readonly write: (line: string) => void,
    private readonly clock: Clock,
    private readonly minLevel: LogLevelName = 'info',
    private readonly context: LogFields = {},
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.write, this.clock, this.minLevel, { ...this.context, ...fields });
  }

  private log(level: LogLevelName, message: string, fields: LogFields | undefined): void {
    if (LogLevel[level] < LogLevel[this.minLevel]) return;
    const line = {
      time: new Date(this.clock.now()).toISOString(),
      level,
      msg: redactText(message),
      ...(redact({ ...this.context, ...fields }) as Record<string, unknown>),
    };
    this.write(JSON.stringify(line));
  }
}

/** A logger that keeps lines in memory; tests assert on what would have been written. */
export class MemoryLogger extends JsonLogger {
  readonly lines: string[];

  constructor(clock: Clock, minLevel: LogLevelName = 'debug') {
    const lines: string[] = [];
    super((line) => lines.push(line), clock, minLevel);
    this.lines = lines;
  }

  /** Parsed lines, for assertions. */
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}
