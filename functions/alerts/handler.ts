import { z } from 'zod';
import { TelegramBotApi } from '../../shared/src/adapters/telegram/telegram-bot-api';
import { TelegramAlertChannel } from '../../shared/src/adapters/telegram/telegram-notifier';
import { LogAlertChannel } from '../../shared/src/adapters/telegram/telegram-setup';
import { AlertDispatcher, handleAlertMessage } from '../../shared/src/application/alerts/alert-dispatcher';
import type { Clock } from '../../shared/src/ports/clock';
import type { QueueMessage } from '../../shared/src/ports/decision-queue';
import type { Logger } from '../../shared/src/ports/logger';
import { SecretName, type SecretsProvider } from '../../shared/src/ports/secrets';
import { fifoQueue } from '../lib/aws-deps';
import { functionConfig } from '../lib/function-config';
import { type Env, FunctionEnv } from '../lib/function-env';
import { functionSecrets } from '../lib/function-secrets';
import { defineFunction, lambdaHandler } from '../lib/lambda-handler';

/**
 * Time a message may need at worst: two Bot API attempts of 4 s with one `retry_after` wait of at
 * most 5 s between them. A message is started only with this much (plus a margin) left, so the
 * function (timeout 30 s) never times out halfway through a batch and re-sends what it already sent.
 */
export const MESSAGE_BUDGET_MS = 15_000;

const sqsRecordSchema = z.looseObject({
  messageId: z.string().min(1),
  receiptHandle: z.string().min(1),
  body: z.string(),
  attributes: z.looseObject({
    ApproximateReceiveCount: z.string().optional(),
    MessageGroupId: z.string().optional(),
    MessageDeduplicationId: z.string().optional(),
  }),
  eventSource: z.literal('aws:sqs'),
});

/** The alert queue's SQS batch, as the FifoQueue port's messages (so poison can be dead-lettered). */
const input = z.looseObject({ Records: z.array(sqsRecordSchema).min(1) }).transform(({ Records }) =>
  Records.map(
    (r): QueueMessage => ({
      messageId: r.messageId,
      receiptHandle: r.receiptHandle,
      body: r.body,
      groupId: r.attributes.MessageGroupId ?? '',
      dedupId: r.attributes.MessageDeduplicationId ?? '',
      receiveCount: Number(r.attributes.ApproximateReceiveCount ?? '1'),
    }),
  ),
);

/**
 * The secrets (cached by the SSM adapter for a few minutes) and the dispatcher live as long as the
 * container, so the dedup window and the rate limit span invocations.
 */
let secrets: { readonly key: string; readonly provider: SecretsProvider } | undefined;
let cached: { readonly key: string; readonly dispatcher: AlertDispatcher } | undefined;

function secretsOf(env: Env): SecretsProvider {
  const key = `${env[FunctionEnv.ssmPrefix] ?? ''}\u0000${env.AWS_ENDPOINT_URL_SSM ?? ''}`;
  if (secrets?.key !== key) secrets = { key, provider: functionSecrets(env) };
  return secrets.provider;
}

async function alertDispatcher(env: Env, clock: Clock, logger: Logger): Promise<AlertDispatcher> {
  const { telegram } = functionConfig(env).config;
  const provider = secretsOf(env);
  const [token, chatId] = await Promise.all([
    provider.get(SecretName.telegramBotToken),
    provider.get(SecretName.telegramChatId),
  ]);
  const key = [token?.reveal() ?? '', chatId?.reveal() ?? '', JSON.stringify(telegram)].join('\u0000');
  if (cached?.key === key) return cached.dispatcher;
  if (token === undefined || chatId === undefined)
    logger.warn(
      'Telegram is not configured in SSM (TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID): alerts go to the log',
    );
  const channel =
    token === undefined || chatId === undefined
      ? new LogAlertChannel(logger)
      : new TelegramAlertChannel(
          new TelegramBotApi({
            botToken: token,
            baseUrl: telegram.apiBaseUrl,
            clock,
            logger,
            timeoutMs: 4_000,
            maxAttempts: 2,
            maxRetryAfterMs: 5_000,
          }),
          chatId,
        );
  const dispatcher = new AlertDispatcher({
    channel,
    clock,
    logger,
    language: telegram.language,
    dedupWindowMs: telegram.dedupWindowSeconds * 1_000,
    maxPerMinute: telegram.maxPerMinute,
  });
  cached = { key, dispatcher };
  return dispatcher;
}

/** Lambda's partial batch response: the messages to deliver again. */
export interface BatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/**
 * The alerts function (spec reused by tests): each alert of the batch, in order, through the shared
 * dispatcher (dedup, rate limit, Korean/English) to Telegram, or to the log when no chat is set up.
 * A body that is not an alert is dead-lettered at once with the reason. An alert Telegram did not
 * take, and everything after it (FIFO: the order of a key's alerts is kept), is reported as a batch
 * item failure, so SQS delivers it again after the visibility timeout and, after 5 receives, moves it
 * to the dead-letter queue, whose alarm reaches the operator another way. A message is only started
 * with {@link MESSAGE_BUDGET_MS} left; the rest is handed back the same way.
 */
export const alertsFunction = defineFunction({
  component: 'alerts',
  input,
  run: async (messages, { env, logger, clock, lambda }): Promise<BatchResponse> => {
    const dispatcher = await alertDispatcher(env, clock, logger);
    const queue = fifoQueue(env, FunctionEnv.alertQueueUrl, 'the SQS alert queue', FunctionEnv.alertDlqUrl);
    const counts = { sent: 0, duplicate: 0, rate_limited: 0, dead_lettered: 0 };
    const failed: string[] = [];
    for (const message of messages) {
      if (failed.length > 0 || lambda.getRemainingTimeInMillis() < MESSAGE_BUDGET_MS) {
        failed.push(message.messageId);
        continue;
      }
      const outcome = await handleAlertMessage(dispatcher, message.body);
      if (typeof outcome === 'object') {
        logger.error('alert dead-lettered: not an alert', {
          messageId: message.messageId,
          reason: outcome.invalid,
        });
        try {
          await queue.deadLetter(message, outcome.invalid);
          counts.dead_lettered += 1;
        } catch (error) {
          logger.error('dead-lettering failed; the message comes back', {
            messageId: message.messageId,
            error: error instanceof Error ? error.message : String(error),
          });
          failed.push(message.messageId);
        }
        continue;
      }
      if (outcome === 'failed') failed.push(message.messageId);
      else counts[outcome] += 1;
    }
    logger.info('alerts handled', { received: messages.length, ...counts, retried: failed.length });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  },
});

/** The Lambda entry point (serverless.yml `handler: functions/alerts/handler.handler`). */
export const handler = lambdaHandler(alertsFunction);
