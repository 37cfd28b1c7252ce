import { createHash, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Secret } from '../../../domain/security/secret';

/** Upbit API keys. The secret is a {@link Secret} so it prints as `***` wherever it travels. */
export interface UpbitCredentials {
  readonly accessKey: string;
  readonly secretKey: Secret;
}

/** Signing algorithms Upbit accepts; HS512 is the documented recommendation (PROTOCOL.md §2.1). */
export type UpbitJwtAlgorithm = 'HS512' | 'HS256';

/** Lower-case hex SHA-512 of the hashed query string, as Upbit's `query_hash` claim wants it. */
export function queryHash(hashed: string): string {
  return createHash('sha512').update(hashed, 'utf8').digest('hex');
}

/**
 * Signs one Upbit JWT. Claims in Upbit's order (`access_key`, `nonce`, then `query_hash` and
 * `query_hash_alg` only when there are parameters) and no `iat`, so the token is byte-identical to the
 * published vectors. The secret is used as raw UTF-8, never base64-decoded (PROTOCOL.md §2.1).
 */
export function signUpbitJwt(
  credentials: UpbitCredentials,
  hashed: string | null,
  nonce: string,
  algorithm: UpbitJwtAlgorithm = 'HS512',
): string {
  const payload: Record<string, string> = { access_key: credentials.accessKey, nonce };
  if (hashed !== null && hashed.length > 0) {
    payload.query_hash = queryHash(hashed);
    payload.query_hash_alg = 'SHA512';
  }
  return jwt.sign(payload, Buffer.from(credentials.secretKey.reveal(), 'utf8'), {
    algorithm,
    noTimestamp: true,
  });
}

/** Options for {@link UpbitAuthenticator}. */
export interface UpbitAuthenticatorOptions {
  /** Nonce source; tests inject fixed nonces, production uses a fresh UUID v4 per request. */
  readonly nonce?: () => string;
  readonly algorithm?: UpbitJwtAlgorithm;
}

/**
 * Produces `Authorization` header values. A nonce can never be reused (`nonce_used`), so every call
 * signs a new token; there is deliberately no caching.
 */
export class UpbitAuthenticator {
  readonly #credentials: UpbitCredentials;
  readonly #nonce: () => string;
  readonly #algorithm: UpbitJwtAlgorithm;

  constructor(credentials: UpbitCredentials, options: UpbitAuthenticatorOptions = {}) {
    this.#credentials = credentials;
    this.#nonce = options.nonce ?? randomUUID;
    this.#algorithm = options.algorithm ?? 'HS512';
  }

  /** `Bearer <jwt>` for a request whose hashed parameter string is `hashed` (null or '' = no parameters). */
  authorization(hashed: string | null): string {
    return `Bearer ${signUpbitJwt(this.#credentials, hashed, this.#nonce(), this.#algorithm)}`;
  }

  /** The access key, for logs that must say which key failed (never the secret). */
  get accessKey(): string {
    return this.#credentials.accessKey;
  }
}
