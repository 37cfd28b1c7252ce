import { createHash, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import type { FakeExchange } from '../../../shared/src/fake-exchange/fake-exchange';

/** A raw HTTP answer: status, lower-cased headers and the parsed JSON body. */
export interface SimResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  readonly body: any;
}

/** How to sign one request (defaults: the fake's keys, a fresh nonce, HS512). */
export interface SignOptions {
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly nonce?: string;
  readonly algorithm?: 'HS256' | 'HS512';
  /** Override the hashed string (to send a wrong query_hash). */
  readonly hashed?: string | null;
  /** Send no Authorization header at all. */
  readonly unsigned?: boolean;
}

/** An Upbit JWT the way PROTOCOL.md §2 describes it, signed with jsonwebtoken (independent of the fake). */
export function signJwt(fake: FakeExchange, hashed: string | null, o: SignOptions = {}): string {
  const payload: Record<string, string> = {
    access_key: o.accessKey ?? fake.accessKey,
    nonce: o.nonce ?? randomUUID(),
  };
  if (hashed !== null && hashed !== '') {
    payload.query_hash = createHash('sha512').update(hashed, 'utf8').digest('hex');
    payload.query_hash_alg = 'SHA512';
  }
  return jwt.sign(payload, o.secretKey ?? fake.secretKey, {
    algorithm: o.algorithm ?? 'HS512',
    noTimestamp: true,
  });
}

function queryText(query: readonly (readonly [string, string])[]): { encoded: string; hashed: string } {
  return {
    encoded: query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'),
    hashed: query.map(([k, v]) => `${k}=${v}`).join('&'),
  };
}

async function toResponse(res: Response): Promise<SimResponse> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Signed/unsigned REST calls against a running fake, over real HTTP. */
export function simHttp(fake: FakeExchange) {
  const auth = (hashed: string | null, o: SignOptions): Record<string, string> =>
    o.unsigned === true
      ? {}
      : { authorization: `Bearer ${signJwt(fake, o.hashed === undefined ? hashed : o.hashed, o)}` };
  return {
    /** GET or DELETE with query pairs in the order given (hashed in that order). */
    async call(
      method: 'GET' | 'DELETE',
      path: string,
      query: readonly (readonly [string, string])[] = [],
      o: SignOptions = {},
    ): Promise<SimResponse> {
      const q = queryText(query);
      const url = `${fake.restUrl}${path}${q.encoded === '' ? '' : `?${q.encoded}`}`;
      return toResponse(await fetch(url, { method, headers: auth(q.hashed, o) }));
    },
    get(path: string, query: readonly (readonly [string, string])[] = [], o: SignOptions = {}) {
      return this.call('GET', path, query, o);
    },
    del(path: string, query: readonly (readonly [string, string])[] = [], o: SignOptions = {}) {
      return this.call('DELETE', path, query, o);
    },
    /** POST a JSON body; the hashed string is the body's k=v pairs in key order. */
    async post(path: string, body: Record<string, string>, o: SignOptions = {}): Promise<SimResponse> {
      const hashed = Object.entries(body)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      return toResponse(
        await fetch(`${fake.restUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', ...auth(hashed, o) },
          body: JSON.stringify(body),
        }),
      );
    },
  };
}

/** A WebSocket client that records every frame (decoded JSON) and whether it arrived as binary. */
export class FrameRecorder {
  // biome-ignore lint/suspicious/noExplicitAny: frames are arbitrary JSON
  readonly frames: any[] = [];
  readonly binary: boolean[] = [];
  closeCode: number | undefined;
  readonly socket: WebSocket;
  private waiters: (() => void)[] = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url, { headers });
    this.socket.on('message', (data, isBinary) => {
      this.frames.push(JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)));
      this.binary.push(isBinary);
      this.wake();
    });
    this.socket.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    this.socket.on('error', () => this.wake());
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves once connected. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState === WebSocket.OPEN) return resolve();
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** Waits until `predicate` holds over the recorded frames (or the socket closes / time runs out). */
  // biome-ignore lint/suspicious/noExplicitAny: frames are arbitrary JSON
  async waitFor(predicate: (frames: any[]) => boolean, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.frames)) {
      if (this.closeCode !== undefined && !predicate(this.frames))
        throw new Error(`socket closed (${this.closeCode})`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out; frames so far: ${JSON.stringify(this.frames).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the close event and returns its code. */
  async closed(timeoutMs = 3_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.closeCode;
  }

  close(): void {
    this.socket.terminate();
  }
}
