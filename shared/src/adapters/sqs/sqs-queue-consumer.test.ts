import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from '../../../testing/emulators/emulator-endpoints';
import { createTestQueues, createTestTable, type TestTable } from '../../../testing/emulators/provision';
import { aDecision, T0 } from '../../../testing/state-builders';
import { redriveReceivesNeeded } from '../../application/messaging/failed-attempts';
import {
  type DecisionMessage,
  decodeDecisionMessage,
  encodeDecisionMessage,
} from '../../application/messaging/message-envelope';
import {
  DEFAULT_MAX_ATTEMPTS,
  QueueConsumer,
  type QueueConsumerOptions,
} from '../../application/messaging/queue-consumer';
import { TradingError } from '../../domain/errors/trading-error';
import { DynamoDbStateStore } from '../dynamodb/dynamodb-state-store';
import { MemoryLogger } from '../logging/json-logger';
import { SystemClock } from '../system/system-clock';
import { SqsFifoQueue } from './sqs-fifo-queue';

// The consumer on real SQS semantics (fauxqs) and, for the durable effect, DynamoDB Local.
const tables: TestTable[] = [];
beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(tables.map((t) => t.drop()));
});

async function setup(handle: QueueConsumerOptions<DecisionMessage>['handle'], visibilityTimeoutMs = 30_000) {
  const { client, queues } = await createTestQueues();
  const main = queues.DecisionQueue;
  const dlq = queues.DecisionDeadLetterQueue;
  if (main?.maxReceiveCount === undefined || dlq === undefined)
    throw new Error('sqs.yml lacks the decision queues');
  if (main.maxReceiveCount < redriveReceivesNeeded(DEFAULT_MAX_ATTEMPTS, 10))
    throw new Error('sqs.yml redrives sooner than the consumer gives up');
  const queue = new SqsFifoQueue({ client, queueUrl: main.url, deadLetterQueueUrl: dlq.url });
  const deadLetters = new SqsFifoQueue({ client, queueUrl: dlq.url });
  const clock = new SystemClock();
  const consumer = new QueueConsumer({
    queue,
    clock,
    logger: new MemoryLogger(clock),
    decode: decodeDecisionMessage,
    handle,
    // As deployed: the consumer gives up after this many failed runs, SQS's redrive is the net.
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    visibilityTimeoutMs,
    waitTimeMs: 1_000,
    retryDelayMs: () => 0,
  });
  return { queue, deadLetters, consumer, maxAttempts: DEFAULT_MAX_ATTEMPTS };
}

describe('QueueConsumer on SQS (fauxqs)', () => {
  it('records a decision sent twice once, and acks it only after the store write', async () => {
    const table = await createTestTable();
    tables.push(table);
    const store = new DynamoDbStateStore({ client: table.client, tableName: table.tableName });
    const results: string[] = [];
    const { queue, consumer } = await setup(async (m) => {
      results.push(await store.recordDecision(m.decision));
    });
    const out = encodeDecisionMessage(aDecision('ens-BTC-1'), T0, 'test');
    await queue.send(out.body, out);
    await queue.send(out.body, out);
    expect((await consumer.pollOnce()).map((o) => o.result)).toEqual(['acked']);
    expect(await consumer.pollOnce()).toEqual([]);
    expect(results).toEqual(['created']);
    expect((await store.getDecision(aDecision('ens-BTC-1').id))?.market).toBe('KRW-BTC');
  });

  it('dead-letters an invalid envelope at once, with the reason', async () => {
    const { queue, deadLetters, consumer } = await setup(async () => undefined);
    await queue.send('{"v":7}', { groupId: 'KRW-BTC', dedupId: 'bad-1' });
    expect((await consumer.pollOnce()).map((o) => o.result)).toEqual(['dead-lettered']);
    const [dead] = await deadLetters.receive({ maxMessages: 1, waitTimeMs: 1_000 });
    expect(dead).toMatchObject({
      body: '{"v":7}',
      groupId: 'KRW-BTC',
      deadLetterReason: 'invalid envelope: unsupported envelope version 7 (this build reads 1)',
    });
    expect(await queue.receive({ maxMessages: 1, waitTimeMs: 0 })).toEqual([]);
  });

  it('dead-letters a message whose handler keeps failing after the configured attempts', async () => {
    let calls = 0;
    const { queue, deadLetters, consumer, maxAttempts } = await setup(async () => {
      calls += 1;
      throw new TradingError('retryable', 'exchange timeout', { code: 'timeout' });
    });
    const out = encodeDecisionMessage(aDecision('ens-BTC-2'), T0, 'test');
    await queue.send(out.body, out);
    const outcomes: string[] = [];
    for (let i = 0; i < maxAttempts; i += 1)
      outcomes.push(...(await consumer.pollOnce()).map((o) => o.result));
    expect(outcomes).toEqual([...Array(maxAttempts - 1).fill('retry'), 'dead-lettered']);
    expect(calls).toBe(maxAttempts);
    const [dead] = await deadLetters.receive({ maxMessages: 1, waitTimeMs: 1_000 });
    expect(dead?.deadLetterReason).toBe(
      `failed ${maxAttempts} attempts; last error: retryable timeout: exchange timeout`,
    );
    expect(await queue.receive({ maxMessages: 1, waitTimeMs: 0 })).toEqual([]);
  });

  it('gives a message released unprocessed many times all its attempts; SQS does not redrive it early', async () => {
    const runs: number[] = [];
    let lastReceiveCount = 0;
    const { queue, deadLetters, consumer, maxAttempts } = await setup(async (_m, context) => {
      runs.push(context.attempt);
      lastReceiveCount = context.receiveCount;
      if (context.attempt < maxAttempts) throw new TradingError('retryable', 'blip', { code: 'timeout' });
    });
    const out = encodeDecisionMessage(aDecision('ens-ETH-1', { market: 'KRW-ETH' as never }), T0, 'test');
    await queue.send(out.body, out);
    // On SQS a batch holds several messages of a group; each time the one ahead fails, this one is
    // released unprocessed and its receive count still rises. fauxqs 1.9.2 hands out one message per
    // group per receive, so the test releases it the way the consumer does, as often as the worst case
    // allows (every one of the 9 messages ahead of it failing all but its last attempt).
    const releasedUnprocessed = (10 - 1) * (maxAttempts - 1);
    for (let i = 0; i < releasedUnprocessed; i += 1) {
      const [message] = await queue.receive({ maxMessages: 10, waitTimeMs: 1_000 });
      if (message === undefined) throw new Error(`message gone after ${i} releases`);
      await queue.extendVisibility(message, 0);
    }
    const outcomes: string[] = [];
    for (let i = 0; i < maxAttempts; i += 1)
      outcomes.push(...(await consumer.pollOnce()).map((o) => o.result));
    expect(outcomes).toEqual([...Array(maxAttempts - 1).fill('retry'), 'acked']);
    expect(runs).toEqual([1, 2, 3, 4, 5].slice(0, maxAttempts));
    expect(lastReceiveCount).toBe(releasedUnprocessed + maxAttempts);
    expect(await deadLetters.receive({ maxMessages: 10, waitTimeMs: 0 })).toEqual([]);
    expect(await queue.receive({ maxMessages: 10, waitTimeMs: 0 })).toEqual([]);
  });

  it('extends visibility while slow work runs, so no other consumer gets the message', async () => {
    let release: () => void = () => undefined;
    const { queue, consumer } = await setup(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      1_000,
    );
    const out = encodeDecisionMessage(aDecision('ens-BTC-3'), T0, 'test');
    await queue.send(out.body, out);
    const polling = consumer.pollOnce();
    await new Promise((r) => setTimeout(r, 2_200));
    expect(await queue.receive({ maxMessages: 1, waitTimeMs: 0 })).toEqual([]);
    release();
    expect((await polling).map((o) => o.result)).toEqual(['acked']);
    expect(await queue.receive({ maxMessages: 1, waitTimeMs: 0 })).toEqual([]);
  });
});
