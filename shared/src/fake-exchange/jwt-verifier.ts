import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Why an Exchange request was refused at authentication (PROTOCOL.md §2.4): always HTTP 401. */
export interface AuthFailure {
  readonly status: 401;
  readonly name: string;
  readonly message: string;
}

/** Outcome of verifying one `Authorization` header. */
export type AuthResult =
  | { readonly ok: true; readonly accessKey: string }
  | { readonly ok: false; readonly error: AuthFailure };

const HMAC_ALGS: Readonly<Record<string, string>> = { HS256: 'sha256', HS512: 'sha512' };

function failure(name: string, message: string): AuthResult {
  return { ok: false, error: { status: 401, name, message } };
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies Upbit JWTs the way PROTOCOL.md §2.4 prescribes: HS256/HS512 over the received
 * `header.payload` bytes (never re-serialised), known access key, nonce never reused (bounded memory),
 * and `query_hash` = SHA-512 of the request's hashed string. Uses node:crypto only.
 */
export class JwtVerifier {
  private readonly nonces = new Map<string, Set<string>>();
  private readonly nonceOrder = new Map<string, string[]>();

  constructor(
    private readonly keys: ReadonlyMap<string, string>,
    private readonly maxNoncesPerKey = 100_000,
  ) {}

  /**
   * Checks a header against the request. `hashed` is the expected hashed string (decoded query in
   * order, or the JSON body as `k=v&…`); empty/undefined means the request has no parameters.
   */
  verify(authorization: string | undefined, hashed: string | undefined): AuthResult {
    if (authorization === undefined || authorization.trim() === '')
      return failure('no_authorization_token', 'Authorization header is missing: send "Bearer <JWT>".');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (match === null) return failure('jwt_verification', 'Jwt 토큰 검증에 실패했습니다.');
    const token = match[1] as string;
    const parts = token.split('.');
    if (parts.length !== 3) return failure('jwt_verification', 'Jwt 토큰 검증에 실패했습니다.');
    const [h, p, s] = parts as [string, string, string];
    const header = decodeSegment(h);
    const payload = decodeSegment(p);
    const alg = typeof header?.alg === 'string' ? HMAC_ALGS[header.alg] : undefined;
    if (header === undefined || payload === undefined || alg === undefined)
      return failure('jwt_verification', 'Jwt 토큰 검증에 실패했습니다.');
    const accessKey = payload.access_key;
    const secret = typeof accessKey === 'string' ? this.keys.get(accessKey) : undefined;
    if (typeof accessKey !== 'string' || secret === undefined)
      return failure('invalid_access_key', '잘못된 엑세스 키입니다.');
    const expected = createHmac(alg, Buffer.from(secret, 'utf8')).update(`${h}.${p}`).digest();
    const given = Buffer.from(s, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return failure('jwt_verification', 'Jwt 토큰 검증에 실패했습니다.');
    const nonce = payload.nonce;
    if (typeof nonce !== 'string' || nonce === '')
      return failure('jwt_verification', 'Jwt 토큰 검증에 실패했습니다.');
    if (this.seen(accessKey, nonce))
      return failure('nonce_used', '이미 요청한 nonce값이 다시 사용되었습니다.');
    const queryHash = payload.query_hash;
    const alg2 = payload.query_hash_alg;
    if (hashed !== undefined && hashed !== '') {
      if (typeof queryHash !== 'string' || (alg2 !== undefined && alg2 !== 'SHA512'))
        return failure('invalid_query_payload', 'Failed to verify the query of Jwt.');
      const want = createHash('sha512').update(hashed, 'utf8').digest('hex');
      if (queryHash.toLowerCase() !== want)
        return failure('invalid_query_payload', 'Failed to verify the query of Jwt.');
    } else if (queryHash !== undefined) {
      // UNCONFIRMED (PROTOCOL §2.4 step 5): a hash on a request without parameters is refused.
      return failure('invalid_query_payload', 'Failed to verify the query of Jwt.');
    }
    return { ok: true, accessKey };
  }

  private seen(key: string, nonce: string): boolean {
    let set = this.nonces.get(key);
    let order = this.nonceOrder.get(key);
    if (set === undefined || order === undefined) {
      set = new Set();
      order = [];
      this.nonces.set(key, set);
      this.nonceOrder.set(key, order);
    }
    if (set.has(nonce)) return true;
    set.add(nonce);
    order.push(nonce);
    if (order.length > this.maxNoncesPerKey) {
      const dropped = order.splice(0, order.length - this.maxNoncesPerKey);
      for (const d of dropped) set.delete(d);
    }
    return false;
  }
}

/** The hashed string of a GET/DELETE: the raw query percent-decoded, order kept (§2.2). Undefined if malformed. */
export function hashedQueryString(rawQuery: string): string | undefined {
  try {
    return decodeURIComponent(rawQuery);
  } catch {
    return undefined;
  }
}

/** The hashed string of a POST: the JSON body's own key order, values as written (§2.2). */
export function hashedBodyString(body: Readonly<Record<string, unknown>>): string {
  return Object.entries(body)
    .map(
      ([k, v]) =>
        `${k}=${typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`,
    )
    .join('&');
}
