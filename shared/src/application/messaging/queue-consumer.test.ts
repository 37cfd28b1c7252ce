import { aDecision, T0 } from '../../../testing/state-builders';
import { MemoryLogger } from '../../adapters/logging/json-logger';
import { ManualClock } from '../../adapters/memory/manual-clock';
import { MemoryFifoQueue } from '../../adapters/memory/memory-fifo-queue';
import { TradingError } from '../../domain/errors/trading-error';
import { redriveReceivesNeeded } from './failed-attempts';
import { type DecisionMessage, decodeDecisionMessage, encodeDecisionMessage } from './message-envelope';
import { ConsumerHaltedError, QueueConsumer, type QueueConsumerOptions } from './queue-consumer';

const MAX_ATTEMPTS = 3;

function setup(handle: QueueConsumerOptions<DecisionMessage>['handle'], visibilityTimeoutMs = 30_000) {
  const clock = new ManualClock(T0);
  const dlq = new MemoryFifoQueue({ clock });
  // The queue's own redrive is sized as infra/resources/sqs.yml sizes it for the deployed consumer.
  const queue = new MemoryFifoQueue({
    clock,
    deadLetterQueue: dlq,
    maxReceives: redriveReceivesNeeded(MAX_ATTEMPTS, 10),
  });
  const logger = new MemoryLogger(clock);
  const consumer = new QueueConsumer<DecisionMessage>({
    queue,
    clock,
    logger,
    decode: decodeDecisionMessage,
    handle,
    maxAttempts: MAX_ATTEMPTS,
    visibilityTimeoutMs,
    waitTimeMs: 0,
    retryDelayMs: () => 0,
  });
  const sendDecision = async (id: string, market = 'KRW-BTC') => {
    const out = encodeDecisionMessage(aDecision(id, { market: market as never }), T0, 'test');
    await queue.send(out.body, out);
  };
  return { clock, queue, dlq, logger, consumer, sendDecision };
}

const now = (q: MemoryFifoQueue) => q.receive({ maxMessages: 10, waitTimeMs: 0 });

describe('QueueConsumer', () => {
  it('hands over the decoded decision and deletes the message only after the handler resolved', async () => {
    let release: () => void = () => undefined;
    const seen: string[] = [];
    const { consumer, queue, sendDecision } = setup(async (m) => {
      seen.push(m.decision.id);
      await new Promise<void>((r) => {
        release = r;
      });
    });
    await sendDecision('d-1');
    const polling = consumer.pollOnce();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['d-1']);
    expect(queue.depth()).toBe(1);
    release();
    await expect(polling).resolves.toEqual([{ messageId: 'mem-1', result: 'acked' }]);
    expect(queue.depth()).toBe(0);
  });

  it('dead-letters an invalid envelope at once with the reason, without calling the handler', async () => {
    const handle = jest.fn(async () => undefined);
    const { consumer, queue, dlq } = setup(handle);
    await queue.send('{"v":1,"type":"decision","decision":{}}', { groupId: 'KRW-BTC', dedupId: 'bad' });
    const [outcome] = await consumer.pollOnce();
    expect(outcome).toMatchObject({ result: 'dead-lettered' });
    expect(handle).not.toHaveBeenCalled();
    const [dead] = await now(dlq);
    expect(dead?.deadLetterReason).toMatch(/^invalid envelope: invalid decision envelope: /);
    expect(queue.depth()).toBe(0);
  });

  // Found by the reliability campaign (queue fuzzing): a decoder that threw made every poll fail on
  // the same message, which was never deleted and blocked its market for good.
  it('dead-letters a message whose decoder throws, and keeps polling', async () => {
    const clock = new ManualClock(T0);
    const dlq = new MemoryFifoQueue({ clock });
    const queue = new MemoryFifoQueue({ clock, deadLetterQueue: dlq });
    const consumer = new QueueConsumer<DecisionMessage>({
      queue,
      clock,
      logger: new MemoryLogger(clock),
      decode: () => {
        throw new RangeError('decoder bug');
      },
      handle: async () => undefined,
      maxAttempts: MAX_ATTEMPTS,
      visibilityTimeoutMs: 30_000,
      waitTimeMs: 0,
    });
    await queue.send('{}', { groupId: 'KRW-BTC', dedupId: 'x' });
    await expect(consumer.pollOnce()).resolves.toMatchObject([{ result: 'dead-lettered' }]);
    const [dead] = await now(dlq);
    expect(dead?.deadLetterReason).toContain('the decoder failed: RangeError: decoder bug');
    expect(queue.depth()).toBe(0);
  });

  it('retries a failing handler and dead-letters it with the last error after maxAttempts', async () => {
    let calls = 0;
    const { consumer, queue, dlq, sendDecision } = setup(async () => {
      calls += 1;
      throw new TradingError('retryable', `timeout ${calls}`, { code: 'timeout' });
    });
    await sendDecision('d-poison');
    const results: string[] = [];
    for (let i = 0; i < MAX_ATTEMPTS; i += 1)
      results.push(...(await consumer.pollOnce()).map((o) => o.result));
    expect(results).toEqual(['retry', 'retry', 'dead-lettered']);
    expect(calls).toBe(MAX_ATTEMPTS);
    expect(queue.depth()).toBe(0);
    const [dead] = await now(dlq);
    expect(dead?.deadLetterReason).toBe('failed 3 attempts; last error: retryable timeout: timeout 3');
  });

  it('dead-letters a rejected message at once', async () => {
    const { consumer, dlq, sendDecision } = setup(async () => {
      throw new TradingError('rejected', 'decision expired', { code: 'decision_expired' });
    });
    await sendDecision('d-late');
    expect((await consumer.pollOnce()).map((o) => o.result)).toEqual(['dead-lettered']);
    expect((await now(dlq))[0]?.deadLetterReason).toContain('decision_expired');
  });

  it('halts on a fatal error and leaves the message for the next run', async () => {
    const { consumer, queue, sendDecision } = setup(async () => {
      throw new TradingError('fatal', 'table missing', { code: 'state_store_misconfigured' });
    });
    await sendDecision('d-fatal');
    await expect(consumer.pollOnce()).rejects.toBeInstanceOf(ConsumerHaltedError);
    expect((await now(queue)).map((m) => m.receiveCount)).toEqual([2]);
  });

  it('keeps a message invisible while long work continues, by extending its visibility', async () => {
    let release: () => void = () => undefined;
    const { consumer, queue, clock, sendDecision } = setup(
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
      10_000,
    );
    await sendDecision('d-slow');
    const polling = consumer.pollOnce();
    // Three visibility timeouts pass; without heartbeats the message would be visible again.
    for (let i = 0; i < 6; i += 1) await clock.advance(5_000);
    expect(await now(queue)).toEqual([]);
    release();
    await expect(polling).resolves.toMatchObject([{ result: 'acked' }]);
    expect(queue.depth()).toBe(0);
  });

  it('keeps order in a market after a failure while other markets proceed', async () => {
    const handled: string[] = [];
    const { consumer, queue, sendDecision } = setup(async (m) => {
      if (m.decision.id === 'btc-1' && handled.filter((h) => h === 'btc-1').length === 0) {
        handled.push('btc-1');
        throw new Error('transient');
      }
      handled.push(m.decision.id);
    });
    await sendDecision('btc-1');
    await sendDecision('btc-2');
    await sendDecision('eth-1', 'KRW-ETH');
    const first = await consumer.pollOnce();
    expect(first.map((o) => o.result).sort()).toEqual(['acked', 'deferred', 'retry']);
    await consumer.pollOnce();
    await consumer.pollOnce();
    expect(handled).toEqual(['btc-1', 'eth-1', 'btc-1', 'btc-2']);
    expect(queue.depth()).toBe(0);
  });

  it('never dead-letters a message for receives it spent released behind a failing one', async () => {
    const runs: string[] = [];
    const { consumer, queue, dlq, sendDecision } = setup(async (m, context) => {
      runs.push(`${m.decision.id}#${context.attempt}`);
      if (m.decision.id === 'btc-1') throw new Error('exchange down');
      if (m.decision.id === 'btc-2' && context.attempt === 1) throw new Error('one blip');
    });
    await sendDecision('btc-1');
    await sendDecision('btc-2');
    await sendDecision('btc-3');
    const results: string[][] = [];
    for (let i = 0; i < MAX_ATTEMPTS + 1; i += 1)
      results.push((await consumer.pollOnce()).map((o) => o.result));
    // btc-2 and btc-3 come back with every receive of btc-1, their receive count rising each time…
    expect(results).toEqual([
      ['retry', 'deferred', 'deferred'],
      ['retry', 'deferred', 'deferred'],
      ['dead-lettered', 'retry', 'deferred'],
      ['acked', 'acked'],
    ]);
    // …yet each runs as often as it needs: one failure is one attempt, not a fourth receive.
    expect(runs).toEqual(['btc-1#1', 'btc-1#2', 'btc-1#3', 'btc-2#1', 'btc-2#2', 'btc-3#1']);
    expect(queue.depth()).toBe(0);
    const dead = await now(dlq);
    expect(dead.map((d) => d.deadLetterReason)).toEqual([
      'failed 3 attempts; last error: Error: exchange down',
    ]);
  });

  it('runs until aborted and survives a failing poll', async () => {
    const clock = new ManualClock(T0);
    const failing = new MemoryFifoQueue({ clock });
    let polls = 0;
    failing.receive = async () => {
      polls += 1;
      if (polls === 1) throw new TradingError('retryable', 'network', { code: 'queue_unavailable' });
      return clock.sleep(20_000).then(() => []);
    };
    const stop = new AbortController();
    const consumer = new QueueConsumer({
      queue: failing,
      clock,
      logger: new MemoryLogger(clock),
      decode: decodeDecisionMessage,
      handle: async () => undefined,
      maxAttempts: 3,
      visibilityTimeoutMs: 30_000,
    });
    const running = consumer.run(stop.signal);
    expect(polls).toBe(1);
    // The failed poll is followed by a pause (1 s), then the loop polls again.
    await clock.advance(1_000);
    expect(polls).toBe(2);
    stop.abort();
    await clock.advance(20_000);
    await expect(running).resolves.toBeUndefined();
  });
});
