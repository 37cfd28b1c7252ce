import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from '../../../testing/emulators/emulator-endpoints';
import { createTestQueues } from '../../../testing/emulators/provision';
import { describeFifoQueueContract } from '../../../testing/fifo-queue-contract';
import { isTradingError } from '../../domain/errors/trading-error';
import { SqsFifoQueue } from './sqs-fifo-queue';

beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);

/** Fresh queues from infra/resources/sqs.yml (same redrive limit as deployed). */
async function decisionQueues(): Promise<{
  queue: SqsFifoQueue;
  deadLetters: SqsFifoQueue;
  maxReceives: number;
}> {
  const { client, queues } = await createTestQueues();
  const main = queues.DecisionQueue;
  const dlq = queues.DecisionDeadLetterQueue;
  if (main?.maxReceiveCount === undefined || dlq === undefined)
    throw new Error('sqs.yml lacks the decision queues');
  return {
    queue: new SqsFifoQueue({ client, queueUrl: main.url, deadLetterQueueUrl: dlq.url }),
    deadLetters: new SqsFifoQueue({ client, queueUrl: dlq.url }),
    maxReceives: main.maxReceiveCount,
  };
}

describeFifoQueueContract('SQS on fauxqs', decisionQueues);

describe('SqsFifoQueue errors', () => {
  it('classifies a missing queue as fatal', async () => {
    const { queue } = await decisionQueues();
    const missing = new SqsFifoQueue({
      client: (queue as unknown as { config: { client: never } }).config.client,
      queueUrl: 'http://127.0.0.1:1/000000000000/missing.fifo',
    });
    const error = await missing.send('x', { groupId: 'A', dedupId: 'x' }).catch((e: unknown) => e);
    expect(isTradingError(error)).toBe(true);
  });

  it('refuses to dead-letter without a dead-letter queue', async () => {
    const { deadLetters } = await decisionQueues();
    await deadLetters.send('x', { groupId: 'A', dedupId: 'x' });
    const [message] = await deadLetters.receive({ maxMessages: 1, waitTimeMs: 1000 });
    if (message === undefined) throw new Error('no message');
    await expect(deadLetters.deadLetter(message, 'why')).rejects.toMatchObject({ kind: 'fatal' });
  });
});
