import { MemoryLogger } from '../../adapters/logging/json-logger';
import { ManualClock } from '../../adapters/memory/manual-clock';
import { MemoryIdempotencyStore } from '../../adapters/memory/memory-idempotency-store';
import type {
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyStore,
} from '../../ports/idempotency-store';
import { IdempotencyGate } from './idempotency-gate';

/**
 * A store whose claims after the first are answered only when the test lets them go: the answer
 * the store had at the call, delivered late, as a slow DynamoDB round trip does.
 */
function heldStore(inner: MemoryIdempotencyStore): { store: IdempotencyStore; letGo: () => void } {
  let calls = 0;
  let letGo = () => {};
  const gate = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  const store: IdempotencyStore = {
    async claimIdempotencyKey(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
      calls += 1;
      const claim = await inner.claimIdempotencyKey(request);
      if (calls === 2) await gate;
      return claim;
    },
    completeIdempotencyKey: (key, claimId, answer) => inner.completeIdempotencyKey(key, claimId, answer),
    releaseIdempotencyKey: (key, claimId) => inner.releaseIdempotencyKey(key, claimId),
    getIdempotencyKey: (key, now) => inner.getIdempotencyKey(key, now),
  };
  return { store, letGo: () => letGo() };
}

describe('IdempotencyGate', () => {
  // Found by CI (a 30 s timeout of the concurrent-retry audit on DynamoDB Local): the retry's claim
  // came back "in flight" after the first call had already finished, so no holder was left to wake
  // it and it slept a pause on the clock (forever on a manual clock) with the answer stored.
  it('a retry whose look outlived the first call replays its answer at once, without a pause', async () => {
    const clock = new ManualClock();
    const { store, letGo } = heldStore(new MemoryIdempotencyStore());
    const gate = new IdempotencyGate(store, clock, new MemoryLogger(clock));
    const first = await gate.admit('k', 'f');
    expect(first.kind).toBe('run');
    const retry = gate.admit('k', 'f');
    const answer = { status: 200, body: '{"outcome":"applied"}' };
    await gate.finish('k', (first as { claimId: string }).claimId, answer);
    letGo();
    // The clock never moves here: only a look without a pause can answer.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('no answer within 2 s'), 2_000);
    });
    try {
      await expect(Promise.race([retry, timeout])).resolves.toEqual({ kind: 'replay', answer });
    } finally {
      clearTimeout(timer);
    }
  });
});
