import { z } from 'zod';
import type { FakeExchangeControls } from './fake-exchange-api';
import type { ControlHandler } from './http-server';
import type { RouteReply } from './http-types';

const decimalText = z
  .string()
  .max(40)
  .regex(/^\d+(\.\d+)?$/, 'a decimal string like "0.5" (at most 40 characters)');
const level = z.tuple([decimalText, decimalText]);
const market = z.string().max(32);

const SCHEMAS = {
  '/book': z.strictObject({ market, bids: z.array(level).max(200), asks: z.array(level).max(200) }),
  '/trade': z.strictObject({
    market,
    price: decimalText,
    volume: decimalText,
    takerSide: z.enum(['bid', 'ask']),
  }),
  '/balance': z.strictObject({ currency: z.string().regex(/^[A-Z0-9]{1,16}$/), amount: decimalText }),
  '/faults': z.strictObject({
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    failNext: z.number().int().min(0).optional(),
    failStatus: z.number().int().min(400).max(599).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    timeoutAfterAccept: z.number().int().min(0).optional(),
    dropWebSockets: z.literal(true).optional(),
    dropTradeFrames: z.number().int().min(0).max(1_000_000).optional(),
    staleBook: z.boolean().optional(),
    rateLimits: z.union([z.boolean(), z.record(z.string(), z.number().int().min(0))]).optional(),
  }),
} as const;

function invalid(message: string): RouteReply {
  return { status: 400, body: { error: { name: 'invalid_control', message } } };
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What `GET /_sim/status` reports besides the fault switches. */
export interface ControlStatus {
  readonly seed: number;
  readonly speed: number;
  readonly markets: readonly string[];
  readonly rateLimits: unknown;
}

/**
 * The test-only control API under `/_sim` (PROTOCOL-free: Upbit has nothing like it), so tests and the
 * local stack can drive a sim running in another process: `GET /status`, `POST /book`, `/trade`,
 * `/balance`, `/faults`. Bodies are validated; a bad one answers 400 `invalid_control` and changes nothing.
 */
export function controlApi(controls: FakeExchangeControls, status: () => ControlStatus): ControlHandler {
  return (method, path, bodyText) => {
    if (method === 'GET' && path === '/status')
      return {
        status: 200,
        body: { ...status(), simTime: controls.now(), faults: controls.faults.current() },
      };
    if (method !== 'POST' || !Object.hasOwn(SCHEMAS, path))
      return {
        status: 404,
        body: {
          error: { name: 'not_found', message: 'GET /_sim/status or POST /_sim/{book,trade,balance,faults}' },
        },
      };
    const raw = parseBody(bodyText);
    if (raw === undefined) return invalid('body is not JSON');
    try {
      applyControl(controls, path as keyof typeof SCHEMAS, raw);
    } catch (e) {
      const message =
        e instanceof z.ZodError ? z.prettifyError(e) : e instanceof Error ? e.message : String(e);
      return invalid(message.length > 500 ? `${message.slice(0, 500)}…` : message);
    }
    return { status: 200, body: { ok: true, simTime: controls.now(), faults: controls.faults.current() } };
  };
}

function applyControl(c: FakeExchangeControls, path: keyof typeof SCHEMAS, raw: unknown): void {
  switch (path) {
    case '/book': {
      const b = SCHEMAS['/book'].parse(raw);
      c.setBook(b.market, { bids: b.bids, asks: b.asks });
      return;
    }
    case '/trade': {
      const t = SCHEMAS['/trade'].parse(raw);
      c.trade(t.market, t.price, t.volume, t.takerSide);
      return;
    }
    case '/balance': {
      const b = SCHEMAS['/balance'].parse(raw);
      c.setBalance(b.currency, b.amount);
      return;
    }
    case '/faults': {
      const f = SCHEMAS['/faults'].parse(raw);
      if (f.latencyMs !== undefined) c.faults.setLatencyMs(f.latencyMs);
      if (f.failNext !== undefined) c.faults.failNext(f.failNext, f.failStatus);
      if (f.errorRate !== undefined) c.faults.setErrorRate(f.errorRate, f.failStatus);
      if (f.timeoutAfterAccept !== undefined) c.faults.timeoutAfterAccept(f.timeoutAfterAccept);
      if (f.rateLimits !== undefined) c.faults.setRateLimits(f.rateLimits);
      if (f.dropWebSockets === true) c.faults.dropWebSockets();
      if (f.dropTradeFrames !== undefined) c.faults.dropTradeFrames(f.dropTradeFrames);
      if (f.staleBook !== undefined) c.faults.setStaleBook(f.staleBook);
      return;
    }
  }
}
