import { CandleResampler } from '../market/resampler';

/**
 * A strategy's indicator state as JSON-safe data, bit-exact: finite numbers as JSON numbers (which
 * round-trip exactly), NaN, ±Infinity and −0 as markers, Float64Arrays as little-endian base64.
 * Objects carry their fields; class instances are restored in place into the instances a freshly
 * constructed strategy already holds, so prototypes and constructor-derived fields stay the
 * code's own and the snapshot only carries what changed with the bars.
 */
export type StateNode =
  | null
  | boolean
  | number
  | string
  | readonly StateNode[]
  | { readonly $: string; readonly [key: string]: unknown };

/** Why a snapshot cannot be restored into the current code's state: discard it and warm up instead. */
export class SnapshotMismatchError extends Error {
  override readonly name = 'SnapshotMismatchError';
}

// Classes an indicator creates lazily (after construction), which a restore may therefore have to
// create itself. Keyed by a fixed name, never `constructor.name` (bundlers rename classes).
const LAZY_CLASSES: Readonly<Record<string, { readonly prototype: object }>> = {
  CandleResampler,
};

function lazyClassName(proto: object): string | undefined {
  for (const [name, cls] of Object.entries(LAZY_CLASSES)) if (cls.prototype === proto) return name;
  return undefined;
}

/** Encodes a state value (indicator instances, maps, arrays, numbers…) into a {@link StateNode}. */
export function encodeState(value: unknown): StateNode {
  return encode(value, new Set(), false);
}

/**
 * `shapeOnly`: a Float64Array becomes `{ $: 'f64', n: length }` instead of its base64 text, for
 * {@link stateShape}, which needs only the length (the same walk, so the same refusals).
 */
function encode(value: unknown, seen: Set<object>, shapeOnly: boolean): StateNode {
  if (value === null) return null;
  switch (typeof value) {
    case 'number':
      return encodeNumber(value);
    case 'boolean':
    case 'string':
      return value;
    case 'undefined':
      return { $: 'u' };
    case 'object':
      break;
    default:
      throw new SnapshotMismatchError(`cannot snapshot a ${typeof value}`);
  }
  const obj = value as object;
  if (seen.has(obj)) throw new SnapshotMismatchError('state shares an object between two fields');
  seen.add(obj);
  if (obj instanceof Float64Array)
    return shapeOnly ? { $: 'f64', n: obj.length } : { $: 'f64', b: float64ToBase64(obj) };
  if (Array.isArray(obj)) return obj.map((v) => encode(v, seen, shapeOnly));
  if (obj instanceof Map) {
    const entries: [string | number, StateNode][] = [];
    for (const [k, v] of obj) {
      if (typeof k !== 'string' && typeof k !== 'number')
        throw new SnapshotMismatchError('only string or number map keys can be snapshot');
      entries.push([k, encode(v, seen, shapeOnly)]);
    }
    return { $: 'map', e: entries };
  }
  if (ArrayBuffer.isView(obj))
    throw new SnapshotMismatchError('only Float64Array typed arrays can be snapshot');
  const fields: Record<string, StateNode> = {};
  for (const key of Object.keys(obj))
    fields[key] = encode((obj as Record<string, unknown>)[key], seen, shapeOnly);
  const proto = Object.getPrototypeOf(obj) as object | null;
  if (proto === Object.prototype || proto === null) return { $: 'o', v: fields };
  return { $: 'c', n: lazyClassName(proto) ?? '', v: fields };
}

function encodeNumber(n: number): StateNode {
  if (Number.isNaN(n)) return { $: 'nan' };
  if (n === Number.POSITIVE_INFINITY) return { $: 'inf' };
  if (n === Number.NEGATIVE_INFINITY) return { $: '-inf' };
  if (n === 0 && 1 / n < 0) return { $: '-0' };
  return n;
}

/**
 * {@link restoreState} for a strategy's whole saved state, which is always an object: a saved root
 * that is not one (null, an array, a number, a text: a bad deploy or a hand-edited item) is refused
 * like any other mismatch, so the market warms up from candles instead of running cold unnoticed.
 */
export function restoreStateRoot(target: object, node: unknown, path: string): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node))
    throw new SnapshotMismatchError(
      `${path}: the saved state is ${node === null ? 'null' : Array.isArray(node) ? 'an array' : `a ${typeof node}`}, not an object`,
    );
  restoreState(target, node, path);
}

/**
 * Restores `node` into `target` (the same field of a freshly constructed strategy) and returns the
 * restored value: class instances, Maps, arrays, Float64Arrays and plain objects are refilled in
 * place so references held elsewhere stay valid. Throws {@link SnapshotMismatchError} when the
 * snapshot does not fit the current code (a field the snapshot lacks, a typed array of another
 * length, a class it cannot create), so the caller discards it and warms the strategy up instead.
 */
export function restoreState(target: unknown, node: unknown, path = 'state'): unknown {
  if (node === null || typeof node === 'boolean' || typeof node === 'string') return node;
  if (typeof node === 'number') return node;
  if (Array.isArray(node)) return restoreArray(target, node, path);
  if (typeof node !== 'object') throw new SnapshotMismatchError(`${path}: unexpected ${typeof node}`);
  const tagged = node as { readonly $?: unknown; readonly [key: string]: unknown };
  switch (tagged.$) {
    case 'u':
      return undefined;
    case 'nan':
      return Number.NaN;
    case 'inf':
      return Number.POSITIVE_INFINITY;
    case '-inf':
      return Number.NEGATIVE_INFINITY;
    case '-0':
      return -0;
    case 'f64':
      return restoreFloat64(target, tagged.b, path);
    case 'map':
      return restoreMap(target, tagged.e, path);
    case 'o':
      return restoreFields(target, tagged.v, path, Object.prototype);
    case 'c':
      return restoreInstance(target, tagged, path);
    default:
      throw new SnapshotMismatchError(`${path}: unknown node ${String(tagged.$)}`);
  }
}

function restoreArray(target: unknown, node: readonly unknown[], path: string): unknown[] {
  const out = Array.isArray(target) ? target : [];
  const restored = node.map((v, i) => restoreState(out[i], v, `${path}[${i}]`));
  out.length = 0;
  out.push(...restored);
  return out;
}

function restoreFloat64(target: unknown, b: unknown, path: string): Float64Array {
  if (typeof b !== 'string') throw new SnapshotMismatchError(`${path}: Float64Array without data`);
  const values = base64ToFloat64(b);
  if (target === undefined) return values;
  if (!(target instanceof Float64Array) || target.length !== values.length)
    throw new SnapshotMismatchError(
      `${path}: ${values.length} values do not fit ${target instanceof Float64Array ? `${target.length}` : 'a non-array'}`,
    );
  target.set(values);
  return target;
}

function restoreMap(target: unknown, entries: unknown, path: string): Map<unknown, unknown> {
  if (!Array.isArray(entries)) throw new SnapshotMismatchError(`${path}: map without entries`);
  if (target !== undefined && !(target instanceof Map)) throw new SnapshotMismatchError(`${path}: not a map`);
  const map = (target as Map<unknown, unknown> | undefined) ?? new Map<unknown, unknown>();
  const restored: [unknown, unknown][] = [];
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2)
      throw new SnapshotMismatchError(`${path}: bad map entry`);
    const [key, value] = entry as [unknown, unknown];
    restored.push([key, restoreState(map.get(key), value, `${path}.${String(key)}`)]);
  }
  map.clear();
  for (const [k, v] of restored) map.set(k, v);
  return map;
}

function restoreInstance(target: unknown, node: { readonly [key: string]: unknown }, path: string): unknown {
  if (target !== undefined && target !== null && typeof target === 'object') {
    const proto = Object.getPrototypeOf(target) as object | null;
    if (proto === Object.prototype || proto === null || Array.isArray(target) || target instanceof Map)
      throw new SnapshotMismatchError(`${path}: expected a class instance`);
    return restoreFields(target, node.v, path, proto);
  }
  const cls = typeof node.n === 'string' ? LAZY_CLASSES[node.n] : undefined;
  if (cls === undefined)
    throw new SnapshotMismatchError(`${path}: cannot create an instance of "${String(node.n)}"`);
  return restoreFields(Object.create(cls.prototype), node.v, path, cls.prototype);
}

function restoreFields(target: unknown, fields: unknown, path: string, proto: object): object {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields))
    throw new SnapshotMismatchError(`${path}: object without fields`);
  const from = fields as Record<string, unknown>;
  const obj =
    target !== undefined && target !== null && typeof target === 'object'
      ? (target as Record<string, unknown>)
      : (Object.create(proto) as Record<string, unknown>);
  for (const key of Object.keys(obj))
    if (!Object.hasOwn(from, key))
      throw new SnapshotMismatchError(`${path}.${key}: missing from the snapshot`);
  for (const key of Object.keys(from)) obj[key] = restoreState(obj[key], from[key], `${path}.${key}`);
  return obj;
}

/**
 * The structure of a state value without its values (field names, kinds, typed-array lengths): what
 * a snapshot must match. A change to an indicator's fields changes it, so an old snapshot is
 * discarded instead of being restored into a different layout.
 */
export function stateShape(value: unknown): string {
  // Lengths straight from the arrays: encoding a fresh strategy's windows to base64 and decoding
  // them again only to count them cost a mean-reversion backtest ~15 ms at every start.
  return shapeOf(encode(value, new Set(), true));
}

function shapeOf(node: unknown): string {
  if (node === null) return 'z';
  if (typeof node !== 'object') return typeof node === 'number' ? 'n' : typeof node === 'string' ? 's' : 'b';
  if (Array.isArray(node)) return `[${node.map(shapeOf).join(',')}]`;
  const t = node as { readonly $: string; readonly [key: string]: unknown };
  switch (t.$) {
    case 'f64':
      return `f${t.n as number}`;
    case 'map':
      return `m{${(t.e as [unknown, unknown][]).map(([k, v]) => `${String(k)}:${shapeOf(v)}`).join(',')}}`;
    case 'o':
    case 'c': {
      const v = t.v as Record<string, unknown>;
      return `${t.$}${String(t.n ?? '')}{${Object.keys(v)
        .map((k) => `${k}:${shapeOf(v[k])}`)
        .join(',')}}`;
    }
    default:
      return 'n';
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Little-endian bytes of the values, base64 (8 bytes per value, about 10.7 characters). */
export function float64ToBase64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i] as number, true);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      ALPHABET[n >> 18] + (ALPHABET[(n >> 12) & 63] as string) + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

/** Inverse of {@link float64ToBase64}; throws {@link SnapshotMismatchError} on malformed text. */
export function base64ToFloat64(text: string): Float64Array {
  const clean = text.replace(/=+$/, '');
  const byteLength = Math.floor((clean.length * 3) / 4);
  if (byteLength % 8 !== 0 || clean.length % 4 === 1)
    throw new SnapshotMismatchError('malformed Float64Array data');
  const bytes = new Uint8Array(byteLength);
  let b = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = i + j < clean.length ? clean.charCodeAt(i + j) : 65;
      const v = c < 128 ? (LOOKUP[c] as number) : -1;
      if (v < 0) throw new SnapshotMismatchError('malformed Float64Array data');
      n = (n << 6) | v;
    }
    if (b < byteLength) bytes[b++] = (n >> 16) & 255;
    if (b < byteLength) bytes[b++] = (n >> 8) & 255;
    if (b < byteLength) bytes[b++] = n & 255;
  }
  const out = new Float64Array(byteLength / 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}
