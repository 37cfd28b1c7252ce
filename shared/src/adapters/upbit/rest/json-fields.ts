import { type Decimal, decimalFromNumber, parseDecimal } from '../../../domain/money/decimal';
import { type EpochMs, parseIsoUtc } from '../../../domain/time/epoch';

/** A payload that does not have the shape Upbit documents; the path says where. */
export class UpbitPayloadError extends Error {
  override readonly name = 'UpbitPayloadError';
}

/** A JSON object as parsed; fields are read through the helpers below, which check their types. */
export type JsonObject = Readonly<Record<string, unknown>>;

function fail(path: string, expected: string, got: unknown): never {
  const shown = typeof got === 'string' ? JSON.stringify(got.slice(0, 40)) : typeof got;
  throw new UpbitPayloadError(`${path}: expected ${expected}, got ${shown}`);
}

/** The value as an object (not null, not an array). */
export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as JsonObject;
}

/** The value as an array. */
export function asArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

/** A required string field. */
export function str(o: JsonObject, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}.${key}`, 'a string', v);
  return v;
}

/** An optional string field; null counts as absent (Upbit sends `"time_in_force":null`). */
export function optStr(o: JsonObject, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`${path}.${key}`, 'a string', v);
  return v;
}

/** A required finite number; numeric strings are accepted because some libraries re-serialise them. */
export function num(o: JsonObject, key: string, path: string): number {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  return fail(`${path}.${key}`, 'a finite number', v);
}

/** An optional number; null counts as absent. */
export function optNum(o: JsonObject, key: string, path: string): number | undefined {
  const v = o[key];
  return v === undefined || v === null ? undefined : num(o, key, path);
}

/** A required integer (counts, timestamps). */
export function int(o: JsonObject, key: string, path: string): number {
  const n = num(o, key, path);
  if (!Number.isSafeInteger(n)) fail(`${path}.${key}`, 'an integer', o[key]);
  return n;
}

/**
 * A required exact decimal. Exchange fields are decimal strings and are parsed without ever becoming a
 * `number`; a JSON number (older `min_total`, WebSocket payloads) goes through its shortest round-trip text.
 */
export function dec(o: JsonObject, key: string, path: string): Decimal {
  const v = o[key];
  try {
    if (typeof v === 'string') return parseDecimal(v);
    if (typeof v === 'number') return decimalFromNumber(v);
  } catch {
    // fall through to the shaped error below
  }
  return fail(`${path}.${key}`, 'a decimal', v);
}

/** An optional decimal; null counts as absent. */
export function optDec(o: JsonObject, key: string, path: string): Decimal | undefined {
  const v = o[key];
  return v === undefined || v === null ? undefined : dec(o, key, path);
}

/** A required boolean. */
export function bool(o: JsonObject, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${path}.${key}`, 'a boolean', v);
  return v;
}

/** A required ISO-8601 time (KST with offset on orders, zone-less UTC on candles). */
export function isoTime(o: JsonObject, key: string, path: string): EpochMs {
  const text = str(o, key, path);
  try {
    return parseIsoUtc(text);
  } catch {
    return fail(`${path}.${key}`, 'an ISO-8601 time', text);
  }
}

/** A string field that must be one of `allowed`. */
export function oneOf<T extends string>(
  o: JsonObject,
  key: string,
  allowed: ReadonlySet<string>,
  path: string,
): T {
  const v = str(o, key, path);
  if (!allowed.has(v)) fail(`${path}.${key}`, `one of ${[...allowed].join('|')}`, v);
  return v as T;
}

/**
 * Raw JSON text of every numeric value of `"key":` in a payload, to read what a double cannot hold
 * exactly: excessive-precision balances (`1386929.37231066771348207123`, PROTOCOL.md §7.4 myAsset) and
 * trade ids beyond 2^53 (`17103275719220001`).
 */
export function rawNumbers(text: string, key: string): string[] {
  const needle = `"${key}":`;
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return out;
    let i = at + needle.length;
    while (text.charCodeAt(i) === 32) i++;
    const start = i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // digits, '.', '-', '+', 'e', 'E'
      if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69)) break;
    }
    if (i > start) out.push(text.slice(start, i));
    from = i;
  }
}
