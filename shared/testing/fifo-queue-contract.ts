import type { FifoQueue, QueueMessage } from '../src/ports/decision-queue';

/** A queue under test with its dead-letter queue and the redrive limit it was created with. */
export interface FifoQueueUnderTest {
  readonly queue: FifoQueue;
  readonly deadLetters: FifoQueue;
  readonly maxReceives: number;
}

/** Builds fresh, empty queues for each test. */
export type FifoQueueFactory = () => Promise<FifoQueueUnderTest> | FifoQueueUnderTest;

/**
 * Receives until `count` messages arrived or `attempts` polls came back short. Each poll is a
 * long poll that returns as soon as something is there, so no test sleeps to synchronise.
 */
export async function receiveN(queue: FifoQueue, count: number, attempts = 5): Promise<QueueMessage[]> {
  const out: QueueMessage[] = [];
  for (let i = 0; i < attempts && out.length < count; i += 1)
    out.push(...(await queue.receive({ maxMessages: Math.min(10, count - out.length), waitTimeMs: 1000 })));
  return out;
}

/** A poll that does not wait: what is visible right now. */
export function receiveNow(queue: FifoQueue, maxMessages = 10): Promise<QueueMessage[]> {
  return queue.receive({ maxMessages, waitTimeMs: 0 });
}

/**
 * The behaviour every {@link FifoQueue} must have, run against the memory queue and the SQS adapter
 * on fauxqs. Expectations of "nothing there" only use zero-wait polls, which both answer exactly.
 */
export function describeFifoQueueContract(name: string, make: FifoQueueFactory): void {
  describe(`FifoQueue contract: ${name}`, () => {
    let q: FifoQueueUnderTest;
    beforeEach(async () => {
      q = await make();
    });

    it('delivers a message with its group, dedup id and receive count, and forgets it after ack', async () => {
      await q.queue.send('{"hello":"world"}', { groupId: 'KRW-BTC', dedupId: 'd-1' });
      const [message] = await receiveN(q.queue, 1);
      expect(message).toMatchObject({
        body: '{"hello":"world"}',
        groupId: 'KRW-BTC',
        dedupId: 'd-1',
        receiveCount: 1,
      });
      if (message === undefined) throw new Error('no message');
      await q.queue.ack(message);
      expect(await receiveNow(q.queue)).toEqual([]);
    });

    it('drops a second send with the same dedup id inside the window', async () => {
      await q.queue.send('first', { groupId: 'KRW-BTC', dedupId: 'same' });
      await q.queue.send('second', { groupId: 'KRW-ETH', dedupId: 'same' });
      const [message] = await receiveN(q.queue, 1);
      expect(message?.body).toBe('first');
      if (message !== undefined) await q.queue.ack(message);
      expect(await receiveNow(q.queue)).toEqual([]);
    });

    it('keeps order within a group and holds the group while a message is in flight', async () => {
      for (const body of ['a1', 'a2', 'a3']) await q.queue.send(body, { groupId: 'A', dedupId: body });
      await q.queue.send('b1', { groupId: 'B', dedupId: 'b1' });
      const [first] = await q.queue.receive({ maxMessages: 1, waitTimeMs: 1000 });
      expect(first?.body).toBe('a1');
      const others = await receiveNow(q.queue);
      expect(others.map((m) => m.body)).toEqual(['b1']);
      if (first === undefined) throw new Error('no message');
      await q.queue.ack(first);
      // SQS may return one or several messages of a group per receive; only the order is promised.
      const rest: string[] = [];
      for (let i = 0; i < 5 && rest.length < 2; i += 1) {
        const batch = await q.queue.receive({ maxMessages: 2, waitTimeMs: 1000 });
        for (const m of batch) {
          rest.push(m.body);
          await q.queue.ack(m);
        }
      }
      expect(rest).toEqual(['a2', 'a3']);
    });

    it('redelivers a released message with a higher receive count', async () => {
      await q.queue.send('retry me', { groupId: 'A', dedupId: 'r-1' });
      const [first] = await receiveN(q.queue, 1);
      if (first === undefined) throw new Error('no message');
      await q.queue.extendVisibility(first, 0);
      const [second] = await receiveN(q.queue, 1);
      expect(second).toMatchObject({ body: 'retry me', receiveCount: 2, messageId: first.messageId });
    });

    it('moves a poison message to the dead-letter queue after the configured receives', async () => {
      await q.queue.send('poison', { groupId: 'A', dedupId: 'p-1' });
      for (let i = 1; i <= q.maxReceives; i += 1) {
        const [message] = await receiveN(q.queue, 1);
        expect(message?.receiveCount).toBe(i);
        if (message === undefined) throw new Error('no message');
        await q.queue.extendVisibility(message, 0);
      }
      expect(await receiveNow(q.queue)).toEqual([]);
      const [dead] = await receiveN(q.deadLetters, 1);
      expect(dead?.body).toBe('poison');
      expect(dead?.groupId).toBe('A');
    });

    it('dead-letters a message with the reason and removes it from the queue', async () => {
      await q.queue.send('not json', { groupId: 'A', dedupId: 'm-1' });
      const [message] = await receiveN(q.queue, 1);
      if (message === undefined) throw new Error('no message');
      await q.queue.deadLetter(message, 'malformed: Unexpected token');
      expect(await receiveNow(q.queue)).toEqual([]);
      const [dead] = await receiveN(q.deadLetters, 1);
      expect(dead).toMatchObject({
        body: 'not json',
        groupId: 'A',
        deadLetterReason: 'malformed: Unexpected token',
      });
    });

    it('ends a waiting long poll with nothing when its signal aborts', async () => {
      const stop = new AbortController();
      const polling = q.queue.receive({ maxMessages: 1, waitTimeMs: 20_000, signal: stop.signal });
      stop.abort();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stuck = new Promise<'still waiting'>((resolve) => {
        timer = setTimeout(() => resolve('still waiting'), 5_000);
      });
      await expect(Promise.race([polling, stuck])).resolves.toEqual([]);
      clearTimeout(timer);
    });

    it('wakes a long poll when a message arrives', async () => {
      const polling = q.queue.receive({ maxMessages: 1, waitTimeMs: 5000 });
      await q.queue.send('late', { groupId: 'A', dedupId: 'late-1' });
      const got = await polling;
      const all = got.length > 0 ? got : await receiveN(q.queue, 1);
      expect(all.map((m) => m.body)).toEqual(['late']);
    });
  });
}
