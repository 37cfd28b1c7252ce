import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Bot API stand-in that records sendMessage calls; `failNext` makes it answer 429 or 5xx first. */
export interface FakeTelegramServer {
  readonly baseUrl: string;
  readonly messages: { token: string; chatId: string; text: string }[];
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

/** Starts the fake Bot API on a free loopback port. */
export async function startFakeTelegram(): Promise<FakeTelegramServer> {
  const messages: FakeTelegramServer['messages'] = [];
  let failures: { left: number; status: number } = { left: 0, status: 500 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const match = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
      if (match === null) {
        res.statusCode = 404;
        res.end(JSON.stringify({ ok: false, description: 'Not Found' }));
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
      const parsed = JSON.parse(body) as { chat_id: string; text: string };
      messages.push({ token: match[1] ?? '', chatId: parsed.chat_id, text: parsed.text });
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
