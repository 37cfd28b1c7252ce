import { type Decimal, decimalFromNumber } from '../../../domain/money/decimal';
import type { EpochMs } from '../../../domain/time/epoch';
import type { StreamType } from '../../../ports/market-data-stream';
import { type JsonObject, UpbitPayloadError } from '../rest/json-fields';

// Field readers for WebSocket frames: each one type-checks a single field and throws
// UpbitPayloadError otherwise, so a malformed frame is always a counted decode error, never a crash.

/** Throws the decode error the stream counts as a rejected frame. */
export function bad(what: string): never {
  throw new UpbitPayloadError(what);
}

/** A required finite JSON number (WebSocket numbers are never strings). */
export function n(o: JsonObject, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(`field ${key} is not a finite number`);
  return v;
}

/**
 * Several required numbers through a key table: `fields` name both the output properties and the
 * table's entries, so each stream lists its numeric fields once instead of one `n()` line per field.
 */
export function numbers<F extends string>(
  o: JsonObject,
  keys: Readonly<Record<F, string>>,
  fields: readonly F[],
): Record<F, number> {
  const out = {} as Record<F, number>;
  for (const f of fields) out[f] = n(o, keys[f]);
  return out;
}

/** A required epoch-ms timestamp. */
export function ts(o: JsonObject, key: string): EpochMs {
  const v = n(o, key);
  if (!Number.isSafeInteger(v) || v < 0) bad(`field ${key} is not an epoch ms`);
  return v as EpochMs;
}

/** A required string. */
export function s(o: JsonObject, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') bad(`field ${key} is not a string`);
  return v;
}

/** A required number as an exact decimal (shortest round-trip text of the double). */
export function d(o: JsonObject, key: string): Decimal {
  return decimalFromNumber(n(o, key));
}

/** An optional decimal; null counts as absent. */
export function optD(o: JsonObject, key: string): Decimal | undefined {
  const v = o[key];
  return v === undefined || v === null ? undefined : d(o, key);
}

/** `SNAPSHOT` or (anything else) `REALTIME`. */
export function streamType(o: JsonObject, key: string): StreamType {
  const v = o[key];
  return v === 'SNAPSHOT' ? 'SNAPSHOT' : 'REALTIME';
}

/** Upbit's upper-case `BID`/`ASK` as the domain's side. */
export function side(o: JsonObject, key: string): 'bid' | 'ask' {
  const v = o[key];
  if (v === 'BID') return 'bid';
  if (v === 'ASK') return 'ask';
  return bad(`field ${key} is not BID/ASK`);
}

/**
 * Decodes Upbit WebSocket frames (binary UTF-8 JSON) in DEFAULT or SIMPLE format into typed stream
 * events. One `JSON.parse` per frame and table-driven field reads; no regex on the hot path (market
 * codes are validated once and cached). Malformed frames throw {@link UpbitPayloadError} or
 * `SyntaxError`; the caller counts and logs them — a bad frame never stops the feed.
 */
