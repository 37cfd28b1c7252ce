import type { Clock } from '../../ports/clock';
import type { FifoQueue, QueueMessage, ReceiveOptions } from '../../ports/decision-queue';

/** SQS's FIFO deduplication window. */
export const DEDUP_WINDOW_MS = 5 * 60_000;
/** SQS's default visibility timeout. */
export const DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;

/** Options of {@link MemoryFifoQueue}. */
export interface MemoryFifoQueueOptions {
  readonly clock: Clock;
  /** Where messages go after `maxReceives` receives (the SQS redrive policy); none = kept forever. */
  readonly deadLetterQueue?: MemoryFifoQueue;
  /** SQS `maxReceiveCount`. */
  readonly maxReceives?: number;
  readonly visibilityTimeoutMs?: number;
}

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string;
  readonly dedupId: string;
  readonly deadLetterReason: string | undefined;
  receiveCount: number;
  visibleAt: number;
  /** Changes on every receive so a stale handle cannot ack a redelivered message. */
  receiptHandle: string | undefined;
}

/**
 * In-memory SQS FIFO queue on a {@link Clock}: per-group order with one group locked while a
 * message of it is in flight, queue-wide deduplication by `dedupId` for five minutes, visibility
 * timeouts, `receiveCount`, redrive to a dead-letter queue after `maxReceives`, and long polls that
 * wake on a send. Behaves like SQS so consumers are tested against the semantics they will meet.
 */
export class MemoryFifoQueue implements FifoQueue {
  private readonly messages: StoredMessage[] = [];
  private readonly dedup = new Map<string, { messageId: string; until: number }>();
  private readonly waiters = new Set<() => void>();
  private sequence = 0;
  private readonly clock: Clock;
  private readonly options: MemoryFifoQueueOptions;

  constructor(options: MemoryFifoQueueOptions) {
    this.clock = options.clock;
    this.options = options;
  }

  async send(
    body: string,
    options: { readonly groupId: string; readonly dedupId: string },
  ): Promise<{ messageId: string }> {
    return { messageId: this.enqueue(body, options.groupId, options.dedupId, undefined) };
  }

  async receive(options: ReceiveOptions): Promise<QueueMessage[]> {
    const deadline = this.clock.now() + options.waitTimeMs;
    for (;;) {
      const batch = this.take(options);
      const now = this.clock.now();
      if (batch.length > 0 || now >= deadline || options.signal?.aborted === true) return batch;
      await this.waitForChange(Math.min(deadline, this.nextVisibleAt() ?? deadline) - now, options.signal);
    }
  }

  async ack(message: QueueMessage): Promise<void> {
    const index = this.messages.findIndex((m) => m.receiptHandle === message.receiptHandle);
    // SQS ignores a delete with an expired handle; the message will simply be delivered again.
    if (index >= 0) this.messages.splice(index, 1);
  }

  async extendVisibility(message: QueueMessage, visibilityTimeoutMs: number): Promise<void> {
    const stored = this.messages.find((m) => m.receiptHandle === message.receiptHandle);
    if (stored === undefined)
      throw new Error(`message ${message.messageId} is no longer in flight: its visibility already expired`);
    stored.visibleAt = this.clock.now() + visibilityTimeoutMs;
    if (visibilityTimeoutMs === 0) this.wake();
  }

  async deadLetter(message: QueueMessage, reason: string): Promise<void> {
    const dlq = this.options.deadLetterQueue;
    if (dlq === undefined) throw new Error('this queue has no dead-letter queue configured');
    dlq.enqueue(message.body, message.groupId, message.messageId, reason);
    await this.ack(message);
  }

  /** Messages stored (visible or in flight); for tests and the dashboard's queue depth. */
  depth(): number {
    return this.messages.length;
  }

  private enqueue(body: string, groupId: string, dedupId: string, reason: string | undefined): string {
    const now = this.clock.now();
    const seen = this.dedup.get(dedupId);
    if (seen !== undefined && seen.until > now) return seen.messageId;
    this.sequence += 1;
    const messageId = `mem-${this.sequence}`;
    this.dedup.set(dedupId, { messageId, until: now + DEDUP_WINDOW_MS });
    this.messages.push({
      messageId,
      body,
      groupId,
      dedupId,
      deadLetterReason: reason,
      receiveCount: 0,
      visibleAt: now,
      receiptHandle: undefined,
    });
    this.wake();
    return messageId;
  }

  private take(options: ReceiveOptions): QueueMessage[] {
    const now = this.clock.now();
    const visibility = options.visibilityTimeoutMs ?? this.options.visibilityTimeoutMs;
    const blocked = new Set<string>();
    const out: QueueMessage[] = [];
    for (const m of [...this.messages]) {
      if (out.length >= options.maxMessages) break;
      if (blocked.has(m.groupId)) continue;
      if (m.visibleAt > now) {
        // In flight: FIFO holds back the rest of its group until it is acked or times out.
        blocked.add(m.groupId);
        continue;
      }
      const max = this.options.maxReceives;
      if (max !== undefined && m.receiveCount >= max && this.options.deadLetterQueue !== undefined) {
        this.messages.splice(this.messages.indexOf(m), 1);
        this.options.deadLetterQueue.enqueue(m.body, m.groupId, m.dedupId, m.deadLetterReason);
        continue;
      }
      m.receiveCount += 1;
      m.visibleAt = now + (visibility ?? DEFAULT_VISIBILITY_TIMEOUT_MS);
      m.receiptHandle = `${m.messageId}:${m.receiveCount}`;
      out.push(toQueueMessage(m, m.receiptHandle));
    }
    return out;
  }

  private nextVisibleAt(): number | undefined {
    let next: number | undefined;
    const now = this.clock.now();
    for (const m of this.messages)
      if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    return next;
  }

  private waitForChange(ms: number, external: AbortSignal | undefined): Promise<void> {
    const abort = new AbortController();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        external?.removeEventListener('abort', done);
        abort.abort();
        resolve();
      };
      this.waiters.add(done);
      external?.addEventListener('abort', done, { once: true });
      this.clock.sleep(Math.max(ms, 0), abort.signal).then(done, () => undefined);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

function toQueueMessage(m: StoredMessage, receiptHandle: string): QueueMessage {
  return {
    messageId: m.messageId,
    receiptHandle,
    body: m.body,
    groupId: m.groupId,
    dedupId: m.dedupId,
    receiveCount: m.receiveCount,
    ...(m.deadLetterReason === undefined ? {} : { deadLetterReason: m.deadLetterReason }),
  };
}
