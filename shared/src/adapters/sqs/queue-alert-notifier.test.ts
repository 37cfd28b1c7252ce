import { EMULATOR_STARTUP_TIMEOUT_MS, waitForEmulators } from '../../../testing/emulators/emulator-endpoints';
import { createTestQueues } from '../../../testing/emulators/provision';
import { describeNotifierContract } from '../../../testing/notifier-contract';
import type { EpochMs } from '../../domain/time/epoch';
import type { FifoQueue } from '../../ports/decision-queue';
import type { Alert } from '../../ports/notifier';
import { ManualClock } from '../memory/manual-clock';
import { MemoryFifoQueue } from '../memory/memory-fifo-queue';
import { alertDedupId, alertGroupId, QueueAlertNotifier, sqsSafeJson } from './queue-alert-notifier';
import { SqsFifoQueue } from './sqs-fifo-queue';

/** Everything on the queue, decoded as the alerts function will (JSON of the Alert type). */
async function drain(queue: FifoQueue): Promise<Alert[]> {
  const out: Alert[] = [];
  for (;;) {
    const batch = await queue.receive({ maxMessages: 10, waitTimeMs: 0 });
    if (batch.length === 0) return out;
    for (const m of batch) {
      out.push(JSON.parse(m.body) as Alert);
      await queue.ack(m);
    }
  }
}

async function alertQueue(): Promise<SqsFifoQueue> {
  const { client, queues } = await createTestQueues();
  const q = queues.AlertQueue;
  if (q === undefined) throw new Error('infra/resources/sqs.yml lacks AlertQueue');
  return new SqsFifoQueue({ client, queueUrl: q.url });
}

const alert: Alert = {
  severity: 'critical',
  key: 'emergency:instant_drop',
  at: 1_764_000_000_000 as EpochMs,
  text: { ko: '긴급 정지: 자산이 3% 하락했습니다', en: 'Emergency stop: equity fell 3%' },
};

describeNotifierContract('alert queue (memory FIFO)', () => {
  const queue = new MemoryFifoQueue({ clock: new ManualClock() });
  return {
    notifier: new QueueAlertNotifier(queue),
    delivered: async () => (await drain(queue)).map((a) => a.text.ko),
  };
});

describe('QueueAlertNotifier on fauxqs (infra/resources/sqs.yml AlertQueue)', () => {
  beforeAll(() => waitForEmulators(), EMULATOR_STARTUP_TIMEOUT_MS);

  describeNotifierContract('alert queue (SQS)', async () => {
    const queue = await alertQueue();
    return {
      notifier: new QueueAlertNotifier(queue),
      delivered: async () => (await drain(queue)).map((a) => a.text.ko),
    };
  });

  it('sends JSON of the Alert type, grouped by key', async () => {
    const queue = await alertQueue();
    await new QueueAlertNotifier(queue).notify(alert);
    const [message] = await queue.receive({ maxMessages: 1, waitTimeMs: 0 });
    expect(JSON.parse(message?.body ?? '')).toEqual(alert);
    expect(message?.groupId).toBe('emergency:instant_drop');
    expect(message?.dedupId).toBe(alertDedupId(alert));
  });

  it('carries emoji and other characters SQS refuses raw, unchanged after JSON.parse', async () => {
    const queue = await alertQueue();
    const fancy = { ...alert, text: { ko: '📊 일일 리포트 \uFFFF 🚨', en: '📊 Daily report' } };
    await new QueueAlertNotifier(queue).notify(fancy);
    expect(await drain(queue)).toEqual([fancy]);
    expect(sqsSafeJson(fancy)).not.toMatch(/[\u{10000}-\u{10FFFF}]/u);
  });

  it('drops the identical alert sent again by a retried run, keeps a different one', async () => {
    const queue = await alertQueue();
    const notifier = new QueueAlertNotifier(queue);
    await notifier.notify(alert);
    await notifier.notify({ ...alert });
    await notifier.notify({ ...alert, text: { ko: '격상', en: 'escalated' } });
    expect((await drain(queue)).map((a) => a.text.en)).toEqual([
      'Emergency stop: equity fell 3%',
      'escalated',
    ]);
  });
});

describe('alert ids', () => {
  it('hash keys SQS would refuse as a group id, and never collide on different text', () => {
    expect(alertGroupId({ ...alert, key: '리포트:2026-11-25' })).toMatch(/^alert-[0-9a-f]{40}$/);
    expect(alertGroupId({ ...alert, key: 'x'.repeat(129) })).toMatch(/^alert-/);
    expect(alertDedupId(alert)).not.toBe(alertDedupId({ ...alert, at: (alert.at + 1) as EpochMs }));
    expect(alertDedupId(alert)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an alert without a key (nothing could deduplicate it)', async () => {
    const queue = new MemoryFifoQueue({ clock: new ManualClock() });
    await expect(new QueueAlertNotifier(queue).notify({ ...alert, key: ' ' })).rejects.toMatchObject({
      kind: 'rejected',
    });
  });
});
