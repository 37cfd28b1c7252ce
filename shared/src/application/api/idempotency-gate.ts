import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Clock } from '../../ports/clock';
import { IdempotencyState, type IdempotencyStore, type StoredAnswer } from '../../ports/idempotency-store';
import type { Logger } from '../../ports/logger';

/** How long a key is remembered: a retry within this time replays the first answer (README, HTTP API). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * MS.hour;

/**
 * An in-flight claim older than this belongs to a call that died (the API Lambda times out after
 * 29 s), and a retry may take the key over and run the request itself.
 */
export const IN_FLIGHT_LEASE_MS = 60 * MS.second;

/** How long a retry waits for the answer of the same request still in flight before answering 409. */
export const IN_FLIGHT_WAIT_MS = 5 * MS.second;

/** `Retry-After` (seconds) of that 409. */
export const IN_FLIGHT_RETRY_AFTER_S = 1;

/** Pauses between looks at a claim held by another process: short first, then once a second. */
const POLL_MS = [50, 100, 200, 400, 800] as const;
const POLL_MAX_MS = 1_000;

/** Pauses before writing a claim's end again after the store failed (then it is left to lapse). */
const FINISH_RETRY_MS = [100, 400, 1_600] as const;

/** Largest answer body kept for replay; a larger one is replaced by a note (mutation answers are small). */
const MAX_STORED_BODY = 64_000;

/** What the router does with a mutation carrying a key. */
export type Admission =
  | { readonly kind: 'run'; readonly claimId: string }
  | { readonly kind: 'replay'; readonly answer: StoredAnswer }
  | { readonly kind: 'reused' }
  | { readonly kind: 'in-flight' };

/** The answer to keep for replays: the body text as sent, or a note when it is too large to keep. */
export function answerToKeep(status: number, text: string): StoredAnswer {
  if (text.length <= MAX_STORED_BODY) return { status, body: text };
  const note = { note: 'the original response was too large to keep; the command was applied once' };
  return { status, body: JSON.stringify(note) };
}

/**
 * Admits each mutation once per key. The claim in the store decides who runs (one conditional
 * write, so it holds across processes); a second call with the key and a different request is
 * refused at once, the same request waits up to {@link IN_FLIGHT_WAIT_MS} for the first one's answer
 * and replays it, or is told to retry. A waiter in the same process is woken the moment the holder
 * finishes; one in another process looks again after a short pause on the clock.
 */
export class IdempotencyGate {
  /** Claims this process holds now, resolved when each is completed or released. */
  private readonly local = new Map<string, { claimId: string; done: Promise<void>; finish: () => void }>();
  /**
   * Claims of this process finished so far. A look whose claim found the key held by a claim of this
   * very process that finished while the look's store call was in flight finds no holder left to
   * wake it, and would sleep a whole pause on the clock with the answer already stored (a test's
   * fake clock never ends that sleep); when this count moved during the look, it looks again at once.
   */
  private finishes = 0;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async admit(key: string, fingerprint: string): Promise<Admission> {
    const deadline = this.clock.now() + IN_FLIGHT_WAIT_MS;
    for (let look = 0; ; look += 1) {
      const at = this.clock.now();
      const finishesBefore = this.finishes;
      const claim = await this.store.claimIdempotencyKey({
        key,
        fingerprint,
        at,
        leaseUntil: (at + IN_FLIGHT_LEASE_MS) as EpochMs,
        expiresAt: (at + IDEMPOTENCY_KEY_TTL_MS) as EpochMs,
      });
      if (claim.outcome === 'claimed') {
        let finish = () => {};
        const done = new Promise<void>((resolve) => {
          finish = resolve;
        });
        this.local.set(key, { claimId: claim.claimId, done, finish });
        return { kind: 'run', claimId: claim.claimId };
      }
      const { record } = claim;
      if (record.fingerprint !== fingerprint) return { kind: 'reused' };
      if (record.state === IdempotencyState.done && record.answer !== undefined)
        return { kind: 'replay', answer: record.answer };
      const left = deadline - this.clock.now();
      if (left <= 0) return { kind: 'in-flight' };
      if (this.finishes !== finishesBefore) continue;
      await this.pause(key, Math.min(left, POLL_MS[look] ?? POLL_MAX_MS));
    }
  }

  /**
   * Ends a claim: keeps `answer` for replays, or with none releases the key so a retry runs for
   * real. A store failure is retried three times ({@link FINISH_RETRY_MS}), then logged, not thrown:
   * the request's own outcome stands, and the claim lapses after its lease.
   */
  async finish(key: string, claimId: string, answer: StoredAnswer | undefined): Promise<void> {
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const held =
            answer === undefined
              ? await this.store.releaseIdempotencyKey(key, claimId)
              : await this.store.completeIdempotencyKey(key, claimId, answer);
          if (!held)
            this.logger.warn('idempotency claim was taken over before this call finished', {
              key,
              kept: answer !== undefined,
            });
          return;
        } catch (error) {
          // A lost answer turns a retry after the lease into a second run of the command (for a
          // release: one that could clear a newer latch), so a throttled write is tried again.
          const pause = FINISH_RETRY_MS[attempt];
          if (pause === undefined) {
            this.logger.error('idempotency claim not finished; it lapses after its lease', {
              key,
              kept: answer !== undefined,
              attempts: attempt + 1,
              error: error instanceof Error ? error.message : String(error),
            });
            return;
          }
          await this.clock.sleep(pause);
        }
      }
    } finally {
      // After the store write, so a woken waiter's next look finds the answer.
      const mine = this.local.get(key);
      if (mine?.claimId === claimId) {
        this.local.delete(key);
        this.finishes += 1;
        mine.finish();
      }
    }
  }

  /** Waits `ms` on the clock, or less when this process's holder of `key` finishes first. */
  private async pause(key: string, ms: number): Promise<void> {
    const holder = this.local.get(key);
    const stop = new AbortController();
    const sleep = this.clock.sleep(ms, stop.signal).catch(() => undefined);
    await (holder === undefined ? sleep : Promise.race([sleep, holder.done]));
    stop.abort();
  }
}
