import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { TradingError } from '../../domain/errors/trading-error';
import type { FifoQueue, QueueMessage, ReceiveOptions } from '../../ports/decision-queue';
import { SQS_DEFAULT_REQUEST_TIMEOUT_MS } from './sqs-client';
import { guardQueue, isStaleReceipt } from './sqs-errors';

/** Message attribute carrying why a message was dead-lettered by a consumer. */
export const DEAD_LETTER_REASON_ATTRIBUTE = 'qts-dead-letter-reason';
/** SQS caps a long poll at 20 s. */
export const SQS_MAX_WAIT_SECONDS = 20;
// SQS caps message attributes at 256 KiB with the body; a reason is a diagnosis, not a dump.
const MAX_REASON_LENGTH = 1_000;
// SQS caps a visibility timeout at 12 hours.
const MAX_VISIBILITY_SECONDS = 43_200;

/** Configuration of {@link SqsFifoQueue}. */
export interface SqsFifoQueueConfig {
  readonly client: SQSClient;
  /** URL of the `.fifo` queue (from the stack outputs, e.g. `DecisionQueueUrl`). */
  readonly queueUrl: string;
  /** URL of its dead-letter queue; required for `deadLetter`. */
  readonly deadLetterQueueUrl?: string;
  /** Extra time a long poll may take beyond its wait before it counts as hung. */
  readonly requestTimeoutMs?: number;
}

const toSeconds = (ms: number, max: number): number => Math.min(max, Math.max(0, Math.ceil(ms / 1000)));

/**
 * The {@link FifoQueue} port on an SQS FIFO queue: `groupId` → MessageGroupId (one per market),
 * `dedupId` → MessageDeduplicationId (the decision id), long polls of up to 20 s, visibility
 * changes for long work, and `deadLetter` that copies the message with its reason (a message
 * attribute) to the dead-letter queue before deleting it here. SQS's own redrive moves a message
 * that was received `maxReceiveCount` times without an ack.
 */
export class SqsFifoQueue implements FifoQueue {
  private readonly slackMs: number;

  constructor(private readonly config: SqsFifoQueueConfig) {
    this.slackMs = config.requestTimeoutMs ?? SQS_DEFAULT_REQUEST_TIMEOUT_MS;
  }

  send(
    body: string,
    options: { readonly groupId: string; readonly dedupId: string },
  ): Promise<{ messageId: string }> {
    return guardQueue('send', () =>
      this.sendTo(this.config.queueUrl, body, options.groupId, options.dedupId),
    );
  }

  receive(options: ReceiveOptions): Promise<QueueMessage[]> {
    return guardQueue('receive', async () => {
      const aborted = (): boolean => options.signal?.aborted === true;
      if (aborted()) return [];
      const wait = toSeconds(options.waitTimeMs, SQS_MAX_WAIT_SECONDS);
      const request = new ReceiveMessageCommand({
        QueueUrl: this.config.queueUrl,
        MaxNumberOfMessages: Math.min(10, Math.max(1, options.maxMessages)),
        WaitTimeSeconds: wait,
        ...(options.visibilityTimeoutMs === undefined
          ? {}
          : { VisibilityTimeout: toSeconds(options.visibilityTimeoutMs, MAX_VISIBILITY_SECONDS) }),
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId', 'MessageDeduplicationId'],
        MessageAttributeNames: [DEAD_LETTER_REASON_ATTRIBUTE],
        // The SDK retries a receive whose answer was lost with the same input; on a FIFO queue the
        // same attempt id returns the same messages instead of leaving them locked until they time out.
        ReceiveRequestAttemptId: randomUUID(),
      });
      try {
        const { Messages } = await this.config.client.send(request, {
          // A long poll legitimately takes its whole wait; only time beyond that means a hung request.
          requestTimeout: wait * 1000 + this.slackMs,
          ...(options.signal === undefined ? {} : { abortSignal: options.signal }),
        });
        return (Messages ?? []).map(toQueueMessage);
      } catch (error) {
        // Shutdown: anything this poll might have locked times out and is delivered again.
        if (aborted()) return [];
        throw error;
      }
    });
  }

  ack(message: QueueMessage): Promise<void> {
    return guardQueue('ack', async () => {
      try {
        await this.config.client.send(
          new DeleteMessageCommand({ QueueUrl: this.config.queueUrl, ReceiptHandle: message.receiptHandle }),
        );
      } catch (error) {
        // Same as the memory queue: a late ack is ignored and the message is simply delivered again.
        if (!isStaleReceipt(error)) throw error;
      }
    });
  }

  extendVisibility(message: QueueMessage, visibilityTimeoutMs: number): Promise<void> {
    return guardQueue('extendVisibility', async () => {
      try {
        await this.config.client.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: this.config.queueUrl,
            ReceiptHandle: message.receiptHandle,
            VisibilityTimeout: toSeconds(visibilityTimeoutMs, MAX_VISIBILITY_SECONDS),
          }),
        );
      } catch (error) {
        if (!isStaleReceipt(error)) throw error;
        throw new TradingError(
          'rejected',
          `message ${message.messageId} is no longer in flight: its visibility already expired`,
          { code: 'queue_receipt_stale', cause: error },
        );
      }
    });
  }

  deadLetter(message: QueueMessage, reason: string): Promise<void> {
    return guardQueue('deadLetter', async () => {
      const dlq = this.config.deadLetterQueueUrl;
      if (dlq === undefined)
        throw new TradingError('fatal', 'this queue has no dead-letter queue configured', {
          code: 'queue_misconfigured',
        });
      // The message id as dedup id: a retried dead-letter after a crash is not stored twice.
      await this.sendTo(dlq, message.body, message.groupId, message.messageId, reason);
      await this.ack(message);
    });
  }

  private async sendTo(
    queueUrl: string,
    body: string,
    groupId: string,
    dedupId: string,
    reason?: string,
  ): Promise<{ messageId: string }> {
    const { MessageId } = await this.config.client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageGroupId: groupId,
        MessageDeduplicationId: dedupId,
        ...(reason === undefined
          ? {}
          : {
              MessageAttributes: {
                [DEAD_LETTER_REASON_ATTRIBUTE]: {
                  DataType: 'String',
                  StringValue: reason.slice(0, MAX_REASON_LENGTH) || 'unspecified',
                },
              },
            }),
      }),
    );
    if (MessageId === undefined)
      throw new TradingError('retryable', 'SQS accepted a message without returning its id', {
        code: 'queue_unavailable',
      });
    return { messageId: MessageId };
  }
}

function toQueueMessage(m: Message): QueueMessage {
  const reason = m.MessageAttributes?.[DEAD_LETTER_REASON_ATTRIBUTE]?.StringValue;
  if (m.MessageId === undefined || m.ReceiptHandle === undefined)
    throw new TradingError('retryable', 'SQS returned a message without id or receipt handle', {
      code: 'queue_unavailable',
    });
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body ?? '',
    groupId: m.Attributes?.MessageGroupId ?? '',
    dedupId: m.Attributes?.MessageDeduplicationId ?? '',
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? '1'),
    ...(reason === undefined ? {} : { deadLetterReason: reason }),
  };
}
