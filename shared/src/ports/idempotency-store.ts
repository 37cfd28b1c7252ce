import type { EpochMs } from '../domain/time/epoch';

/** Where a claimed idempotency key stands: its call is still running, or it finished with an answer. */
export const IdempotencyState = { inFlight: 'in_flight', done: 'done' } as const;
export type IdempotencyState = (typeof IdempotencyState)[keyof typeof IdempotencyState];

/** The answer a finished call gave, kept to be replayed to its retries. */
export interface StoredAnswer {
  readonly status: number;
  /** The response body as sent (JSON text). */
  readonly body: string;
}

/** One key's record: which request claimed it, whether it finished, and with what answer. */
export interface IdempotencyRecord {
  readonly key: string;
  /** Fingerprint of the request that claimed the key; a different one with the same key is refused. */
  readonly fingerprint: string;
  /** Opaque id of the claim, so only its holder may complete or release it. */
  readonly claimId: string;
  readonly state: IdempotencyState;
  readonly claimedAt: EpochMs;
  /** An in-flight claim older than this is presumed dead (its process timed out) and may be taken over. */
  readonly leaseUntil: EpochMs;
  /** From this instant the record counts as absent (the store's TTL deletes it some time later). */
  readonly expiresAt: EpochMs;
  /** Present once `done`. */
  readonly answer?: StoredAnswer;
}

/** A claim attempt: the key, the request's fingerprint and the claim's lease and lifetime. */
export interface IdempotencyClaimRequest {
  readonly key: string;
  readonly fingerprint: string;
  readonly at: EpochMs;
  readonly leaseUntil: EpochMs;
  readonly expiresAt: EpochMs;
}

/** Either this call now holds the key, or the live record that holds it (in flight or done). */
export type IdempotencyClaim =
  | { readonly outcome: 'claimed'; readonly claimId: string }
  | { readonly outcome: 'taken'; readonly record: IdempotencyRecord };

/**
 * Per-key claims for idempotent requests. The claim is one conditional write (DynamoDB
 * `attribute_not_exists`, or an expired record, or an in-flight one past its lease), so of two calls
 * with one key in flight together exactly one holds it; the other learns what holds it and waits
 * for its answer or is refused. Looking for an earlier call first and writing afterwards cannot
 * give that: both calls look before either writes.
 */
export interface IdempotencyStore {
  /** Claims `key` in flight unless a live record holds it (see {@link IdempotencyStore}). */
  claimIdempotencyKey(request: IdempotencyClaimRequest): Promise<IdempotencyClaim>;
  /** Stores the answer and marks the key done; false when this claim no longer holds the key. */
  completeIdempotencyKey(key: string, claimId: string, answer: StoredAnswer): Promise<boolean>;
  /**
   * Deletes this claim's in-flight record, so a retry runs for real (the call failed before it took
   * effect, or in a way the client must correct); false when this claim no longer holds the key.
   */
  releaseIdempotencyKey(key: string, claimId: string): Promise<boolean>;
  /** The live record of `key` at `now` (an expired one reads as absent). */
  getIdempotencyKey(key: string, now: EpochMs): Promise<IdempotencyRecord | undefined>;
}

/** Whether a record lets a claim at `at` take the key: expired, or in flight past its lease. */
export function isClaimable(record: IdempotencyRecord, at: EpochMs): boolean {
  return record.expiresAt <= at || (record.state === IdempotencyState.inFlight && record.leaseUntil <= at);
}
