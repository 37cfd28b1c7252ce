import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An incoming chat message as a test pushes it (Telegram's JSON shape, trimmed). */
export interface FakeUpdateMessage {
  readonly chatId: number | string;
  readonly text: string;
  readonly username?: string;
}

/**
 * A Bot API stand-in: records `sendMessage` calls (`failNext` makes it answer 429 or 5xx first) and
 * serves `getUpdates` long polls from updates a test pushes, confirming them by offset as Telegram
 * does. Loopback only, any token.
 */
export interface FakeTelegramServer {
  readonly baseUrl: string;
  readonly messages: { token: string; chatId: string; text: string }[];
  failNext(count: number, status: number): void;
  /** Queues an incoming message for `getUpdates`; returns its update id. */
  pushUpdate(message: FakeUpdateMessage): number;
  /** Resolves once `sendMessage` has been called `count` times in total (or rejects after `timeoutMs`). */
  waitForMessages(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Poll {
  readonly offset: number;
  readonly res: ServerResponse;
  readonly timer: NodeJS.Timeout;
}

/** Starts the fake Bot API on a free loopback port. */
export async function startFakeTelegram(): Promise<FakeTelegramServer> {
  const messages: FakeTelegramServer['messages'] = [];
  let failures: { left: number; status: number } = { left: 0, status: 500 };
  let updates: { update_id: number; message: unknown }[] = [];
  let nextUpdateId = 1000;
  const polls = new Set<Poll>();
  const messageWaiters = new Set<() => void>();

  const answerPoll = (poll: Poll): void => {
    clearTimeout(poll.timer);
    polls.delete(poll);
    const result = updates.filter((u) => u.update_id >= poll.offset);
    poll.res.end(JSON.stringify({ ok: true, result }));
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const match = /^\/bot([^/]+)\/(sendMessage|getUpdates)$/.exec(req.url ?? '');
      if (match === null) {
        res.statusCode = 404;
        res.end(JSON.stringify({ ok: false, description: 'Not Found' }));
        return;
      }
      const parsed = (body === '' ? {} : JSON.parse(body)) as Record<string, unknown>;
      if (match[2] === 'getUpdates') {
        const offset = Number(parsed.offset ?? 0);
        updates = updates.filter((u) => u.update_id >= offset);
        const poll: Poll = {
          offset,
          res,
          timer: setTimeout(() => answerPoll(poll), Number(parsed.timeout ?? 0) * 1000),
        };
        polls.add(poll);
        if (updates.length > 0) answerPoll(poll);
        return;
      }
      if (failures.left > 0) {
        failures = { ...failures, left: failures.left - 1 };
        res.statusCode = failures.status;
        res.end(
          JSON.stringify({ ok: false, description: 'Too Many Requests', parameters: { retry_after: 2 } }),
        );
        return;
      }
      messages.push({ token: match[1] ?? '', chatId: String(parsed.chat_id), text: String(parsed.text) });
      for (const wake of messageWaiters) wake();
      res.end(JSON.stringify({ ok: true, result: { message_id: messages.length } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    messages,
    failNext: (count, status) => {
      failures = { left: count, status };
    },
    pushUpdate: (m) => {
      const id = nextUpdateId++;
      updates.push({
        update_id: id,
        message: {
          message_id: id,
          date: 0,
          chat: { id: m.chatId, type: 'private' },
          text: m.text,
          ...(m.username === undefined ? {} : { from: { id: 1, is_bot: false, username: m.username } }),
        },
      });
      for (const poll of [...polls]) if (updates.some((u) => u.update_id >= poll.offset)) answerPoll(poll);
      return id;
    },
    waitForMessages: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        if (messages.length >= count) return resolve();
        const timer = setTimeout(() => {
          messageWaiters.delete(check);
          reject(new Error(`fake Telegram: ${messages.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = (): void => {
          if (messages.length < count) return;
          clearTimeout(timer);
          messageWaiters.delete(check);
          resolve();
        };
        messageWaiters.add(check);
      }),
    close: () => {
      for (const poll of [...polls]) answerPoll(poll);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
