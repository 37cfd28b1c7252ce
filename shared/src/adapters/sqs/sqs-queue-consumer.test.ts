import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from '../../../testing/emulators/emulator-endpoints';
import { createTestQueues, createTestTable, type TestTable } from '../../../testing/emulators/provision';
import { aDecision, T0 } from '../../../testing/state-builders';
import {
  type DecisionMessage,
  decodeDecisionMessage,
  encodeDecisionMessage,
} from '../../application/messaging/message-envelope';
import { QueueConsumer } from '../../application/messaging/queue-consumer';
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

async function setup(handle: (m: DecisionMessage) => Promise<void>, visibilityTimeoutMs = 30_000) {
  const { client, queues } = await createTestQueues();
  const main = queues.DecisionQueue;
  const dlq = queues.DecisionDeadLetterQueue;
  if (main?.maxReceiveCount === undefined || dlq === undefined)
    throw new Error('sqs.yml lacks the decision queues');
  const queue = new SqsFifoQueue({ client, queueUrl: main.url, deadLetterQueueUrl: dlq.url });
  const deadLetters = new SqsFifoQueue({ client, queueUrl: dlq.url });
  const clock = new SystemClock();
  const consumer = new QueueConsumer({
    queue,
    clock,
    logger: new MemoryLogger(clock),
    decode: decodeDecisionMessage,
    handle,
    // The deployed redrive limit: the consumer moves a failing message one receive before SQS would.
    maxReceives: main.maxReceiveCount,
    visibilityTimeoutMs,
    waitTimeMs: 1_000,
    retryDelayMs: () => 0,
  });
  return { queue, deadLetters, consumer, maxReceives: main.maxReceiveCount };
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

  it('dead-letters a message whose handler keeps failing after the configured receives', async () => {
    let calls = 0;
    const { queue, deadLetters, consumer, maxReceives } = await setup(async () => {
      calls += 1;
      throw new TradingError('retryable', 'exchange timeout', { code: 'timeout' });
    });
    const out = encodeDecisionMessage(aDecision('ens-BTC-2'), T0, 'test');
    await queue.send(out.body, out);
    const outcomes: string[] = [];
    for (let i = 0; i < maxReceives; i += 1)
      outcomes.push(...(await consumer.pollOnce()).map((o) => o.result));
    expect(outcomes).toEqual([...Array(maxReceives - 1).fill('retry'), 'dead-lettered']);
    expect(calls).toBe(maxReceives);
    const [dead] = await deadLetters.receive({ maxMessages: 1, waitTimeMs: 1_000 });
    expect(dead?.deadLetterReason).toBe(
      `failed ${maxReceives} receives; last error: retryable timeout: exchange timeout`,
    );
    expect(await queue.receive({ maxMessages: 1, waitTimeMs: 0 })).toEqual([]);
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
