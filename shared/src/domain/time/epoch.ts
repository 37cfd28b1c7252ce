declare const epochBrand: unique symbol;

/** Milliseconds since the Unix epoch (UTC). Branded so seconds or durations are not passed by mistake. */
export type EpochMs = number & { readonly [epochBrand]: 'EpochMs' };

/** Marks a millisecond timestamp as an {@link EpochMs}; rejects non-integers so bugs surface early. */
export function epochMs(ms: number): EpochMs {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`not an integer epoch millisecond: ${ms}`);
  return ms as EpochMs;
}

/** One second, minute, hour and day in ms; durations are plain numbers. */
export const MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** ISO-8601 UTC text of an instant, for logs and reports. */
export function toIsoUtc(at: EpochMs): string {
  return new Date(at).toISOString();
}

/**
 * Parses ISO-8601 text to an epoch. Text without a zone is read as UTC, as Upbit's
 * `candle_date_time_utc` is written (`2020-02-20T08:00:00`).
 */
export function parseIsoUtc(text: string): EpochMs {
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(text);
  const ms = Date.parse(hasZone ? text : `${text}Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 time: "${text}"`);
  return ms as EpochMs;
}
