import type { EpochMs } from '../../domain/time/epoch';
import {
  type IdempotencyClaim,
  type IdempotencyClaimRequest,
  type IdempotencyRecord,
  IdempotencyState,
  type IdempotencyStore,
  isClaimable,
  type StoredAnswer,
} from '../../ports/idempotency-store';

/**
 * In-memory {@link IdempotencyStore} with the DynamoDB adapter's semantics. Each method checks and
 * writes without an `await` in between, so a claim is atomic like the conditional put: of two
 * claims of one key started together exactly one wins.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private claims = 0;

  async claimIdempotencyKey(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    // What DynamoDB's TTL does: expired records go, so a long-running local API does not keep them all.
    for (const [key, record] of this.records) if (record.expiresAt <= request.at) this.records.delete(key);
    const stored = this.records.get(request.key);
    if (stored !== undefined && !isClaimable(stored, request.at)) return { outcome: 'taken', record: stored };
    this.claims += 1;
    const claimId = `memory-claim-${this.claims}`;
    this.records.set(request.key, {
      key: request.key,
      fingerprint: request.fingerprint,
      claimId,
      state: IdempotencyState.inFlight,
      claimedAt: request.at,
      leaseUntil: request.leaseUntil,
      expiresAt: request.expiresAt,
    });
    return { outcome: 'claimed', claimId };
  }

  async completeIdempotencyKey(key: string, claimId: string, answer: StoredAnswer): Promise<boolean> {
    const stored = this.held(key, claimId);
    if (stored === undefined) return false;
    this.records.set(key, { ...stored, state: IdempotencyState.done, answer: { ...answer } });
    return true;
  }

  async releaseIdempotencyKey(key: string, claimId: string): Promise<boolean> {
    if (this.held(key, claimId) === undefined) return false;
    this.records.delete(key);
    return true;
  }

  async getIdempotencyKey(key: string, now: EpochMs): Promise<IdempotencyRecord | undefined> {
    const stored = this.records.get(key);
    return stored === undefined || stored.expiresAt <= now ? undefined : stored;
  }

  /** The record when `claimId` still holds `key` in flight (the DynamoDB adapter's condition). */
  private held(key: string, claimId: string): IdempotencyRecord | undefined {
    const stored = this.records.get(key);
    return stored?.claimId === claimId && stored.state === IdempotencyState.inFlight ? stored : undefined;
  }
}
