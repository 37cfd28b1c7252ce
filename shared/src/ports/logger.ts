/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Structured logging. Lines are JSON with a correlation id (decision id, request id) in the fields;
 * adapters redact secrets before anything is written.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ decisionId }`). */
  child(fields: LogFields): Logger;
}
