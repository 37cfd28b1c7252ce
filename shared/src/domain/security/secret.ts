const REDACTED = '***';

/**
 * A secret value (API key, bot token). Every way of printing it — string interpolation, JSON,
 * `console.log`/`util.inspect` — yields `***`, so a secret cannot leak into logs by accident.
 * Only {@link Secret.reveal} returns the value, which makes every real use easy to audit.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw value; call only where the secret is actually used (signing, an API header). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** What a redacted secret prints as. */
export const REDACTED_TEXT = REDACTED;
