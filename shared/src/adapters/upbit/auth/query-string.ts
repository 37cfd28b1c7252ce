/** A parameter value: arrays are sent as repeated `key[]=v` pairs, everything else as text. */
export type QueryValue = string | number | boolean | readonly string[];

/** Parameters in the order they are sent; Upbit hashes them in exactly this order, so it must never be sorted. */
export type QueryParams = ReadonlyArray<readonly [string, QueryValue | undefined]>;

/** The two renderings of one query: what goes on the wire and what is hashed into the JWT. */
export interface BuiltQuery {
  /** Percent-encoded, for the URL (`pairs=KRW-BTC%2CKRW-ETH`). */
  readonly encoded: string;
  /** The same pairs not percent-encoded, for `query_hash` (`pairs=KRW-BTC,KRW-ETH`). */
  readonly hashed: string;
}

// `[]` may stay literal in array names (PROTOCOL.md §1), which keeps encoded and hashed forms aligned.
function encodeKey(key: string): string {
  return key.endsWith('[]') ? `${encodeURIComponent(key.slice(0, -2))}[]` : encodeURIComponent(key);
}

/**
 * Renders parameters once for the URL and once for the hash. Upbit verifies `query_hash` against the
 * decoded query in the order sent (PROTOCOL.md §2.2): arrays repeat `key[]`, comma lists keep raw commas.
 * Undefined values are skipped so optional parameters can be written inline.
 */
export function buildQuery(params: QueryParams): BuiltQuery {
  const encoded: string[] = [];
  const hashed: string[] = [];
  for (const [rawKey, value] of params) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const key = rawKey.endsWith('[]') ? rawKey : `${rawKey}[]`;
      for (const item of value as readonly string[]) {
        encoded.push(`${encodeKey(key)}=${encodeURIComponent(item)}`);
        hashed.push(`${key}=${item}`);
      }
      continue;
    }
    const text = String(value);
    encoded.push(`${encodeKey(rawKey)}=${encodeURIComponent(text)}`);
    hashed.push(`${rawKey}=${text}`);
  }
  return { encoded: encoded.join('&'), hashed: hashed.join('&') };
}

/** A JSON request body; values are rendered as text for the hash, in the object's own key order. */
export type JsonBody = Readonly<Record<string, string | number | boolean>>;

/**
 * The string hashed for a POST: the JSON body's pairs joined as `k=v&…` in body order with values as
 * written (PROTOCOL.md §2.2). The body sent must be `JSON.stringify` of the same object so orders agree.
 */
export function bodyHashString(body: JsonBody): string {
  const parts: string[] = [];
  for (const key of Object.keys(body)) parts.push(`${key}=${String(body[key])}`);
  return parts.join('&');
}
