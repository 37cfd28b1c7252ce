import { describeFifoQueueContract, receiveNow } from '../../../testing/fifo-queue-contract';
import { ManualClock } from './manual-clock';
import { DEDUP_WINDOW_MS, MemoryFifoQueue } from './memory-fifo-queue';

function makeQueues(maxReceives = 3): { clock: ManualClock; queue: MemoryFifoQueue; dlq: MemoryFifoQueue } {
  const clock = new ManualClock();
  const dlq = new MemoryFifoQueue({ clock });
  const queue = new MemoryFifoQueue({
    clock,
    deadLetterQueue: dlq,
    maxReceives,
    visibilityTimeoutMs: 30_000,
  });
  return { clock, queue, dlq };
}

describeFifoQueueContract('memory', () => {
  const { queue, dlq } = makeQueues();
  return { queue, deadLetters: dlq, maxReceives: 3 };
});

describe('MemoryFifoQueue timing', () => {
  it('redelivers after the visibility timeout on the clock, not before', async () => {
    const { clock, queue } = makeQueues();
    await queue.send('x', { groupId: 'A', dedupId: 'x' });
    const [first] = await queue.receive({ maxMessages: 1, waitTimeMs: 0, visibilityTimeoutMs: 10_000 });
    expect(first?.receiveCount).toBe(1);
    await clock.advance(9_999);
    expect(await receiveNow(queue)).toEqual([]);
    await clock.advance(1);
    const [again] = await receiveNow(queue);
    expect(again?.receiveCount).toBe(2);
    // The first receipt handle is stale now: acking with it must not delete the redelivered message.
    if (first !== undefined) await queue.ack(first);
    expect(queue.depth()).toBe(1);
  });

  it('accepts the same dedup id again once the five-minute window has passed', async () => {
    const { clock, queue } = makeQueues();
    await queue.send('one', { groupId: 'A', dedupId: 'd' });
    const [m] = await receiveNow(queue);
    if (m !== undefined) await queue.ack(m);
    await clock.advance(DEDUP_WINDOW_MS - 1);
    await queue.send('dropped', { groupId: 'A', dedupId: 'd' });
    expect(await receiveNow(queue)).toEqual([]);
    await clock.advance(1);
    await queue.send('two', { groupId: 'A', dedupId: 'd' });
    expect((await receiveNow(queue)).map((x) => x.body)).toEqual(['two']);
  });

  it('ends an empty long poll when the clock passes the wait time', async () => {
    const { clock, queue } = makeQueues();
    const poll = queue.receive({ maxMessages: 1, waitTimeMs: 20_000 });
    await clock.advance(20_000);
    await expect(poll).resolves.toEqual([]);
  });

  it('wakes a long poll when an in-flight message times out', async () => {
    const { clock, queue } = makeQueues();
    await queue.send('y', { groupId: 'A', dedupId: 'y' });
    await queue.receive({ maxMessages: 1, waitTimeMs: 0, visibilityTimeoutMs: 5_000 });
    const poll = queue.receive({ maxMessages: 1, waitTimeMs: 20_000 });
    await clock.advance(5_000);
    await expect(poll).resolves.toMatchObject([{ body: 'y', receiveCount: 2 }]);
  });

  it('refuses to extend a message whose receipt is stale', async () => {
    const { clock, queue } = makeQueues();
    await queue.send('z', { groupId: 'A', dedupId: 'z' });
    const [first] = await queue.receive({ maxMessages: 1, waitTimeMs: 0, visibilityTimeoutMs: 1_000 });
    await clock.advance(1_000);
    await receiveNow(queue);
    if (first === undefined) throw new Error('no message');
    await expect(queue.extendVisibility(first, 10_000)).rejects.toThrow(/no longer in flight/);
  });
});
