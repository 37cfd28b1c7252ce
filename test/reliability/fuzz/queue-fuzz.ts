import fc from 'fast-check';
import { MemoryFifoQueue } from '../../../shared/src/adapters/memory/memory-fifo-queue';
import {
  decodeDecisionMessage,
  encodeDecisionMessage,
} from '../../../shared/src/application/messaging/message-envelope';
import { QueueConsumer } from '../../../shared/src/application/messaging/queue-consumer';
import { krw, price, volume } from '../../../shared/src/domain/money/quantities';
import type { EpochMs } from '../../../shared/src/domain/time/epoch';
import type { Decision } from '../../../shared/src/domain/trading/decision';
import { executionWorld } from '../../executor/support/execution-world';
import { BTC, TEST_LIMITS } from '../../executor/support/memory-world';
import type { CapturedLogs } from '../lib/captured-logs';
import type { FuzzTally } from './api-fuzz';
import { describeCrash, hostileText, hostileValue, mutatedFrom } from './hostile';

/** SQS's largest message body. */
const SQS_MAX_BYTES = 256 * 1024;

function seeds(now: number): unknown[] {
  const base = (intent: Decision['intent'], strategy: Decision['strategy'], n: number): unknown => {
    const d: Decision = {
      id: `fuzz-BTC-20260302T0100-${n}` as Decision['id'],
      market: BTC,
      createdAt: now as EpochMs,
      expiresAt: (now + 60_000) as EpochMs,
      source: 'ensemble',
      strategy,
      intent,
      signals: [{ strategy: 'momentum_scalping', score: 0.5, weight: 0.15, reason: 'seed' }],
    };
    return JSON.parse(encodeDecisionMessage(d, now as EpochMs, 'fuzz').body) as unknown;
  };
  return [
    base(
      { kind: 'directional', side: 'bid', notional: krw('100000'), urgency: 'aggressive' },
      'momentum_scalping',
      1,
    ),
    base(
      { kind: 'directional', side: 'ask', notional: krw('50000'), urgency: 'passive', takeProfitPct: 0.5 },
      'mean_reversion',
      2,
    ),
    base(
      { kind: 'quotes', levels: [{ side: 'bid', price: price('99900000'), volume: volume('0.0001') }] },
      'market_making',
      3,
    ),
    // More layers than an order identifier can number (legs 0–99).
    base(
      {
        kind: 'quotes',
        levels: Array.from({ length: 120 }, (_, i) => ({
          side: 'bid' as const,
          price: price(String(99_000_000 - i * 1_000)),
          volume: volume('0.0001'),
        })),
      },
      'market_making',
      6,
    ),
    base({ kind: 'flatten' }, 'stat_arb', 4),
    base({ kind: 'hold' }, 'microstructure', 5),
  ];
}

/**
 * Fuzzes the decision-queue consumer as the executor runs it (the shared QueueConsumer, the
 * envelope decoder, the executor's DecisionHandler and execution engine on memory adapters): each
 * hostile body must be acked (valid, executed or dropped as stale) or dead-lettered at once with a
 * reason; never crash or halt the consumer, never be retried as if it were transient, and a
 * dead-lettered body must not have written a decision, an order or a fill.
 */
export async function fuzzQueueConsumer(runs: number, seed: number, logs: CapturedLogs): Promise<FuzzTally> {
  const w = executionWorld({}, { ...TEST_LIMITS, minMsBetweenTrades: 0 });
  const counter = { writes: 0 };
  for (const name of ['recordDecision', 'createOrder', 'updateOrder', 'applyFill'] as const) {
    const original = w.store[name].bind(w.store) as (...a: unknown[]) => Promise<unknown>;
    (w.store as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      counter.writes += 1;
      return original(...args);
    };
  }
  const queue = new MemoryFifoQueue({
    clock: w.clock,
    deadLetterQueue: new MemoryFifoQueue({ clock: w.clock }),
  });
  const consumer = new QueueConsumer({
    queue,
    clock: w.clock,
    logger: w.logger,
    decode: decodeDecisionMessage,
    handle: w.handler.handle,
    maxAttempts: 5,
    visibilityTimeoutMs: 60_000,
    waitTimeMs: 0,
    retryDelayMs: () => 0,
  });
  const bodies = fc.sample(
    hostileText(
      fc.oneof(
        { weight: 4, arbitrary: mutatedFrom(seeds(w.clock.now())) },
        { weight: 1, arbitrary: hostileValue },
      ),
      SQS_MAX_BYTES - 64,
    ),
    { numRuns: runs, seed },
  );
  let crashes = 0;
  let rejected = 0;
  let writesOnRejected = 0;
  let unclear = 0;
  const examples: string[] = [];
  const note = (what: string, body: string) => {
    if (examples.length < 8) examples.push(`${what}: ${body.slice(0, 120)}`);
  };
  for (const [i, body] of bodies.entries()) {
    const group = /"market":"([^"]{1,40})"/.exec(body)?.[1] ?? 'fuzz';
    await queue.send(body, { groupId: group, dedupId: `fuzz-${i}` });
    const before = counter.writes;
    try {
      let retries = 0;
      for (;;) {
        const [outcome] = await consumer.pollOnce();
        if (outcome === undefined) break;
        if (outcome.result === 'retry') {
          retries += 1;
          continue;
        }
        if (outcome.result === 'dead-lettered') {
          rejected += 1;
          if (retries > 0) {
            unclear += 1;
            note(`retried ${retries}× before dead-lettering (${outcome.reason.slice(0, 80)})`, body);
          }
          if (counter.writes !== before && retries === 0) {
            writesOnRejected += 1;
            note(`dead-lettered after ${counter.writes - before} writes`, body);
          }
        }
        break;
      }
    } catch (error) {
      crashes += 1;
      note(`consumer crashed: ${describeCrash(error)}`, body);
    }
  }
  const sink = logs.sink('fuzz-queue');
  for (const line of w.logger.lines) sink(line);
  return { inputs: bodies.length, crashes, rejected, writesOnRejected, unclear, examples };
}
