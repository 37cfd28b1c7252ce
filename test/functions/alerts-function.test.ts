import type { Context } from 'aws-lambda';
import { alertsFunction, MESSAGE_BUDGET_MS } from '../../functions/alerts/handler';
import { closeSecretClients } from '../../functions/lib/function-secrets';
import { lambdaHandler } from '../../functions/lib/lambda-handler';
import { alertDedupId, alertGroupId, sqsSafeJson } from '../../shared/src/adapters/sqs/queue-alert-notifier';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { QueueMessage } from '../../shared/src/ports/decision-queue';
import type { Alert } from '../../shared/src/ports/notifier';
import {
  EMULATOR_STARTUP_TIMEOUT_MS,
  waitForEmulators,
} from '../../shared/testing/emulators/emulator-endpoints';
import { type FakeSsmServer, startFakeSsm } from '../../shared/testing/fake-ssm-server';
import { type FakeTelegramServer, startFakeTelegram } from '../../shared/testing/fake-telegram-server';
import { functionWorld } from './support/function-world';

let ssm: FakeSsmServer;
let telegram: FakeTelegramServer;
beforeAll(async () => {
  await waitForEmulators();
  ssm = await startFakeSsm({ '/qts/test/TELEGRAM_BOT_TOKEN': 'bot-1', '/qts/test/TELEGRAM_CHAT_ID': '555' });
  telegram = await startFakeTelegram();
}, EMULATOR_STARTUP_TIMEOUT_MS);
afterAll(async () => {
  closeSecretClients();
  await ssm.close();
  await telegram.close();
});

type World = Awaited<ReturnType<typeof functionWorld>>;
let w: World;
beforeEach(async () => {
  w = await functionWorld();
});
afterEach(() => w.close());

let serial = 0;
function alert(key: string, severity: Alert['severity'] = 'warning'): Alert {
  serial += 1;
  return {
    severity,
    key,
    at: (Date.now() + serial) as EpochMs,
    text: { ko: `경보 ${key} ${serial}`, en: `alert ${key} ${serial}` },
  };
}

/** Puts bodies on the real alert queue and receives them back: real receipt handles for the batch. */
async function received(bodies: { body: string; group: string; dedup: string }[]): Promise<QueueMessage[]> {
  for (const b of bodies) await w.alertQueue.send(b.body, { groupId: b.group, dedupId: b.dedup });
  const out: QueueMessage[] = [];
  while (out.length < bodies.length)
    out.push(...(await w.alertQueue.receive({ maxMessages: 10, waitTimeMs: 1_000 })));
  return out;
}
const queued = (a: Alert) => ({ body: sqsSafeJson(a), group: alertGroupId(a), dedup: alertDedupId(a) });

/** The SQS event Lambda's event source mapping delivers for these messages. */
const sqsEvent = (messages: readonly QueueMessage[]) => ({
  Records: messages.map((m) => ({
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      MessageGroupId: m.groupId,
      MessageDeduplicationId: m.dedupId,
    },
    messageAttributes: {},
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-2:000000000000:qts-test-alerts.fifo',
    awsRegion: 'ap-northeast-2',
  })),
});

const env = (extra: Record<string, string> = {}) => ({
  ...w.env,
  QTS_SSM_PREFIX: '/qts/test',
  AWS_ENDPOINT_URL_SSM: ssm.endpoint,
  QTS_TELEGRAM__API_BASE_URL: telegram.baseUrl,
  ...extra,
});
/**
 * Runs the function on a batch and then does what the event source mapping does: deletes every
 * message not reported as a failure (a dead-lettered one is already gone).
 */
async function invoke(
  messages: readonly QueueMessage[],
  context: Context = w.context('alerts'),
  extra: Record<string, string> = {},
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const answer = (await lambdaHandler(alertsFunction, env(extra))(sqsEvent(messages), context)) as {
    batchItemFailures: { itemIdentifier: string }[];
  };
  const failed = new Set(answer.batchItemFailures.map((f) => f.itemIdentifier));
  for (const m of messages) if (!failed.has(m.messageId)) await w.alertQueue.ack(m).catch(() => undefined);
  return answer;
}

describe('alerts function on fauxqs, Telegram secrets from SSM', () => {
  it('sends each alert to the chat once and dead-letters a body that is not an alert, with the reason', async () => {
    const a = alert('loss-limit');
    const before = telegram.messages.length;
    const messages = await received([queued(a), { body: '{"nope":1}', group: 'g', dedup: 'poison-1' }]);
    const answer = await invoke(messages);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(telegram.messages.slice(before)).toEqual([
      expect.objectContaining({ token: 'bot-1', chatId: '555', text: expect.stringContaining(a.text.ko) }),
    ]);
    const dead = await w.alertDlq.receive({ maxMessages: 10, waitTimeMs: 1_000 });
    expect(dead).toEqual([
      expect.objectContaining({
        body: '{"nope":1}',
        deadLetterReason: expect.stringMatching(/^invalid alert/),
      }),
    ]);
    // The same alert redelivered inside the dedup window is dropped, not sent twice.
    const again = await received([{ ...queued(a), dedup: 'redelivered' }]);
    expect(await invoke(again)).toEqual({ batchItemFailures: [] });
    expect(telegram.messages.length).toBe(before + 1);
  });

  it('hands back an alert Telegram did not take and everything after it (FIFO order kept)', async () => {
    const [first, second] = [alert('heartbeat', 'critical'), alert('reconcile')];
    const messages = await received([queued(first), queued(second)]);
    telegram.failNext(2, 500);
    const answer = await invoke(messages);
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(messages.map((m) => m.messageId));
  });

  it('starts no message without time for Telegram, and writes to the log when no chat is configured', async () => {
    const messages = await received([queued(alert('late'))]);
    const short: Context = { ...w.context('alerts'), getRemainingTimeInMillis: () => MESSAGE_BUDGET_MS - 1 };
    expect((await invoke(messages, short)).batchItemFailures).toHaveLength(1);
    const before = telegram.messages.length;
    const unconfigured = await invoke(messages, w.context('alerts'), {
      QTS_SSM_PREFIX: '/qts/none',
    });
    expect(unconfigured).toEqual({ batchItemFailures: [] });
    expect(telegram.messages.length).toBe(before);
  });
});
