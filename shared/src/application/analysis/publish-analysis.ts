import type { PipelineResult } from '../../domain/ensemble/decision-pipeline';
import { fateText } from '../../domain/ensemble/signal-fate';
import type { Market } from '../../domain/market/market-id';
import type { StrategySignal } from '../../domain/strategies/strategy';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import type { DecisionLog } from '../../ports/decision-log';
import type { FifoQueue } from '../../ports/decision-queue';
import type { Logger } from '../../ports/logger';
import type { SignalRecord } from '../../ports/signal-log';
import type { StrategyStateStore } from '../../ports/strategy-state-store';
import { encodeDecisionMessage } from '../messaging/message-envelope';
import { mapLimit } from './map-limit';
import type { StrategyBook } from './strategy-book';

/** The producer name on every decision message the analysis sends. */
export const ANALYSIS_PRODUCER = 'analysis-function';

/** What publishing the decisions did. */
export interface PublishedDecisions {
  /** Decisions recorded for the first time and sent. */
  readonly sent: number;
  /** Decisions an earlier (retried) run had already recorded; re-sent only while still valid. */
  readonly duplicates: number;
}

/**
 * Records each decision in the decision log first (put-if-absent on its deterministic id), then
 * sends it on the FIFO queue (group = market, dedup id = decision id). A decision an earlier run
 * already recorded is not sent as computed now: the stored one is re-sent if it has not expired
 * (the earlier run may have died between recording and sending; the queue's deduplication drops it
 * if it did go out), so a retried invocation never puts anything new on the queue.
 */
export async function publishDecisions(
  deps: {
    readonly log: Pick<DecisionLog, 'recordDecision' | 'getDecision'>;
    readonly queue: Pick<FifoQueue, 'send'>;
  },
  decisions: readonly Decision[],
  sentAt: EpochMs,
): Promise<PublishedDecisions> {
  let sent = 0;
  let duplicates = 0;
  for (const decision of decisions) {
    const recorded = await deps.log.recordDecision(decision);
    let outgoing: Decision | undefined = decision;
    if (recorded === 'duplicate') {
      duplicates += 1;
      const stored = await deps.log.getDecision(decision.id);
      outgoing = stored !== undefined && stored.expiresAt > sentAt ? stored : undefined;
    } else sent += 1;
    if (outgoing === undefined) continue;
    const message = encodeDecisionMessage(outgoing, sentAt, ANALYSIS_PRODUCER);
    await deps.queue.send(message.body, { groupId: message.groupId, dedupId: message.dedupId });
  }
  return { sent, duplicates };
}

/** The signal log's records of one decision instant: every signal with its strategy's fate. */
export function signalRecords(
  at: EpochMs,
  signals: ReadonlyMap<Market, readonly StrategySignal[]>,
  results: ReadonlyMap<Market, PipelineResult>,
): SignalRecord[] {
  const out: SignalRecord[] = [];
  for (const [market, list] of signals) {
    const seq = new Map<string, number>();
    const fates = results.get(market)?.fates;
    for (const s of list) {
      const n = seq.get(s.strategy) ?? 0;
      seq.set(s.strategy, n + 1);
      const fate = fates?.get(s.strategy);
      out.push({
        at,
        market,
        strategy: s.strategy,
        seq: n,
        direction: s.direction,
        strength: Number.isFinite(s.strength) ? s.strength : 0,
        reason: s.reason,
        fate: fate === undefined ? 'held:not_decided' : fateText(fate.fate),
        ...(fate?.decisionId === undefined ? {} : { decisionId: fate.decisionId }),
      });
    }
  }
  return out;
}

/** Parallel snapshot writes per run. */
const WRITE_CONCURRENCY = 16;

/**
 * Saves each market's snapshot under the version this book read (compare-and-set). A conflict means
 * another run wrote in between: its state is as good, this one is dropped, and the caller must not
 * reuse its in-memory book next time (returns the markets that conflicted).
 */
export async function saveSnapshots(
  store: StrategyStateStore,
  book: StrategyBook,
  markets: readonly Market[],
  savedAt: EpochMs,
  keyOf: (market: Market) => string,
  logger: Logger,
): Promise<Market[]> {
  const conflicts: Market[] = [];
  await mapLimit(markets, WRITE_CONCURRENCY, async (market) => {
    const lastBarAt = book.lastBarAt(market);
    if (lastBarAt === undefined) return;
    const key = keyOf(market);
    const stored = await store.putSnapshot(
      { key, lastBarAt, savedAt, body: book.snapshotBody(market) },
      book.version(key),
    );
    if (stored === 'conflict') {
      conflicts.push(market);
      logger.warn('strategy snapshot changed by another run; keeping the stored one', { market, key });
    } else book.noteVersion(key, stored.version);
  });
  return conflicts;
}
