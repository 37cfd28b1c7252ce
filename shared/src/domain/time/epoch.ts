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
  // Years 1970–9999 with whole milliseconds: the date text once per UTC day, the time of day by
  // arithmetic (a backtest formats every fill's time; `toISOString` builds a date each call).
  if (!(at >= 0 && at < FOUR_DIGIT_YEARS_END && Number.isInteger(at))) return new Date(at).toISOString();
  const day = Math.floor(at / MS.day);
  if (day !== isoDay) {
    isoDate = new Date(day * MS.day).toISOString();
    isoDay = day;
  }
  const inDay = at - day * MS.day;
  const h = Math.floor(inDay / MS.hour);
  const m = Math.floor((inDay % MS.hour) / MS.minute);
  const sec = Math.floor((inDay % MS.minute) / MS.second);
  const ms = inDay % MS.second;
  const d = isoDate;
  // One flat string from its character codes: a template of parts would be a rope of a dozen heap
  // objects, and a backtest keeps one per fill (a year × 5 markets of `all`: ~40 MB more live heap).
  return String.fromCharCode(
    d.charCodeAt(0),
    d.charCodeAt(1),
    d.charCodeAt(2),
    d.charCodeAt(3),
    d.charCodeAt(4),
    d.charCodeAt(5),
    d.charCodeAt(6),
    d.charCodeAt(7),
    d.charCodeAt(8),
    d.charCodeAt(9),
    d.charCodeAt(10),
    ZERO_CODE + Math.floor(h / 10),
    ZERO_CODE + (h % 10),
    COLON_CODE,
    ZERO_CODE + Math.floor(m / 10),
    ZERO_CODE + (m % 10),
    COLON_CODE,
    ZERO_CODE + Math.floor(sec / 10),
    ZERO_CODE + (sec % 10),
    DOT_CODE,
    ZERO_CODE + Math.floor(ms / 100),
    ZERO_CODE + (Math.floor(ms / 10) % 10),
    ZERO_CODE + (ms % 10),
    Z_CODE,
  );
}

/**
 * Year 10000, 00:00 UTC: from here on ISO text has a six-digit year (`+010000-…`), so fixed-position
 * formatting (here and in order identifiers) stops and `toISOString` decides.
 */
export const FOUR_DIGIT_YEARS_END = 253_402_300_800_000;
const ZERO_CODE = 48;
const COLON_CODE = 58;
const DOT_CODE = 46;
const Z_CODE = 90;
// The ISO text of the latest UTC midnight formatted (its first 11 characters are the date and `T`).
let isoDay = Number.NaN;
let isoDate = '';

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
