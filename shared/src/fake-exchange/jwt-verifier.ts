import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Why an Exchange request was refused at authentication (PROTOCOL.md §2.4): always HTTP 401. */
export interface AuthFailure {
  readonly status: 401;
  readonly name: string;
  readonly message: string;
}

/** A refused request: the 401 to answer. */
export interface AuthRefusal {
  readonly ok: false;
  readonly error: AuthFailure;
}

/** Outcome of verifying one `Authorization` header. */
export type AuthResult = { readonly ok: true; readonly accessKey: string } | AuthRefusal;

// A Map, not an object literal: `alg` is attacker text, and `toString` or `__proto__` must not resolve.
const HMAC_ALGS: ReadonlyMap<string, string> = new Map([
  ['HS256', 'sha256'],
  ['HS512', 'sha512'],
]);

/** Longest `Authorization` value considered (a real Upbit token is a few hundred characters). */
const MAX_AUTHORIZATION_CHARS = 4_096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function failure(name: string, message: string): AuthRefusal {
  return { ok: false, error: { status: 401, name, message } };
}

const JWT_FAILED = failure('jwt_verification', 'Jwt 토큰 검증에 실패했습니다.');
const QUERY_FAILED = failure('invalid_query_payload', 'Failed to verify the query of Jwt.');

/**
 * Decodes one base64url segment strictly: only the base64url alphabet, and canonical (re-encoding
 * gives the same text), so trailing junk or padding tricks that Node's lenient decoder drops fail.
 */
function decodeBase64url(segment: string): Buffer | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64url(segment);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A token whose signature, key and nonce checked out; its `query_hash` is checked separately. */
export interface VerifiedToken {
  readonly ok: true;
  readonly accessKey: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Verifies Upbit JWTs the way PROTOCOL.md §2.4 prescribes: HS256/HS512 over the received
 * `header.payload` bytes (never re-serialised), known access key, nonce never reused (bounded memory),
 * and `query_hash` = SHA-512 of the request's hashed string. Uses node:crypto only. The token is
 * checked before the request body is even parsed, so an unauthenticated caller never learns more than 401.
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
    const token = this.verifyToken(authorization);
    if (!token.ok) return token;
    return this.verifyQueryHash(token, hashed);
  }

  /** Steps 1–4 of §2.4: header present, well-formed token, algorithm, key, signature, fresh nonce. */
  verifyToken(authorization: string | undefined): VerifiedToken | AuthRefusal {
    if (authorization === undefined || authorization.trim() === '')
      return failure('no_authorization_token', 'Authorization header is missing: send "Bearer <JWT>".');
    try {
      return this.checkToken(authorization);
    } catch {
      // Whatever a hostile token triggers, the answer is a 401, never a 500.
      return JWT_FAILED;
    }
  }

  private checkToken(authorization: string): VerifiedToken | AuthRefusal {
    if (authorization.length > MAX_AUTHORIZATION_CHARS) return JWT_FAILED;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (match === null) return JWT_FAILED;
    const parts = (match[1] as string).split('.');
    if (parts.length !== 3) return JWT_FAILED;
    const [h, p, s] = parts as [string, string, string];
    const header = decodeSegment(h);
    const payload = decodeSegment(p);
    const alg = typeof header?.alg === 'string' ? HMAC_ALGS.get(header.alg) : undefined;
    if (header === undefined || payload === undefined || alg === undefined) return JWT_FAILED;
    const accessKey = payload.access_key;
    const secret = typeof accessKey === 'string' ? this.keys.get(accessKey) : undefined;
    if (typeof accessKey !== 'string' || secret === undefined)
      return failure('invalid_access_key', '잘못된 엑세스 키입니다.');
    const expected = createHmac(alg, Buffer.from(secret, 'utf8')).update(`${h}.${p}`).digest();
    const given = decodeBase64url(s);
    if (given === undefined || given.length !== expected.length || !timingSafeEqual(given, expected))
      return JWT_FAILED;
    const nonce = payload.nonce;
    if (typeof nonce !== 'string' || nonce === '' || nonce.length > 128) return JWT_FAILED;
    if (this.seen(accessKey, nonce))
      return failure('nonce_used', '이미 요청한 nonce값이 다시 사용되었습니다.');
    return { ok: true, accessKey, payload };
  }

  /** Step 5 of §2.4: `query_hash` matches the request's hashed string (or is absent without parameters). */
  verifyQueryHash(token: VerifiedToken, hashed: string | undefined): AuthResult {
    const queryHash = token.payload.query_hash;
    const alg = token.payload.query_hash_alg;
    if (hashed !== undefined && hashed !== '') {
      if (typeof queryHash !== 'string' || (alg !== undefined && alg !== 'SHA512')) return QUERY_FAILED;
      const want = createHash('sha512').update(hashed, 'utf8').digest('hex');
      if (queryHash.toLowerCase() !== want) return QUERY_FAILED;
    } else if (queryHash !== undefined) {
      // UNCONFIRMED (PROTOCOL §2.4 step 5): a hash on a request without parameters is refused.
      return QUERY_FAILED;
    }
    return { ok: true, accessKey: token.accessKey };
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
