import type { DispatchedEvent, FakeExchangeCore } from './exchange-core';
import {
  candleFrame,
  candleUnitOf,
  myAssetFrame,
  myOrderFrame,
  orderbookFrame,
  type StreamType,
  tickerFrame,
  tradeFrame,
} from './ws-frames';
import type { WsSubscription } from './ws-subscription';

/** A socket as the fan-out sees it: what it subscribed to. */
export interface WsSubscriber {
  readonly subscriptions: readonly WsSubscription[];
}

/** Sends one frame of `stream` to a subscriber in its requested format. */
export type SendFrame<C> = (c: C, stream: string, frame: Record<string, unknown>) => void;

/** The fan-out's fault switches and its end. */
export interface RealtimeFanout {
  /** The next `count` public trades are not sent as `trade` frames (their ids are skipped on the feed). */
  dropTradeFrames(count: number): void;
  /** While on, realtime `orderbook` frames are not sent: a stale book. */
  setStaleBooks(on: boolean): void;
  /** Stops listening to the core. */
  close(): void;
}

/**
 * The frame a subscription gets for `code` now (snapshot or realtime), from the core's tape and book;
 * undefined when there is nothing to send yet or the code is unknown (Upbit ignores unknown codes).
 */
export function subscriptionFrame(
  core: FakeExchangeCore,
  sub: WsSubscription,
  code: string,
  st: StreamType,
): Record<string, unknown> | undefined {
  const now = core.now();
  const tape = core.tapes.get(code);
  const book = core.engine.book(code);
  if (tape === undefined || book === undefined) return undefined; // unknown codes are silently ignored
  if (sub.type === 'ticker') {
    const t = tape.ticker(now);
    return t === undefined ? undefined : tickerFrame(code, t, st, now);
  }
  if (sub.type === 'trade') {
    const t = tape.lastTrade();
    return t === undefined ? undefined : tradeFrame(code, t, book, st, now);
  }
  if (sub.type === 'orderbook') return orderbookFrame(code, book, sub.codes.get(code) ?? 30, st);
  const unit = candleUnitOf(sub.type);
  const c = unit === undefined ? undefined : tape.latestCandle(unit);
  return c === undefined ? undefined : candleFrame(code, sub.type, c, st, now);
}

/**
 * Turns the core's events into realtime frames for every subscriber that asked for them: trades,
 * tickers and candles per public trade, `myOrder`/`myAsset` per account change, and order books
 * coalesced to one frame per market per turn of the event loop (a burst of fills moves a book many
 * times; Upbit sends the latest). Kept apart from the socket layer (upgrades, auth, limits, idle)
 * because this changes with what Upbit streams, not with how sockets are handled.
 */
export function startRealtimeFanout<C extends WsSubscriber>(
  core: FakeExchangeCore,
  subscribers: ReadonlySet<C>,
  send: SendFrame<C>,
): RealtimeFanout {
  let assetCounter = 0;
  let tradeDrops = 0;
  const dirtyBooks = new Set<string>();
  let flushScheduled = false;
  let staleBooks = false;
  function flushBooks(): void {
    flushScheduled = false;
    if (staleBooks) {
      dirtyBooks.clear();
      return;
    }
    for (const market of dirtyBooks)
      for (const c of subscribers)
        for (const sub of c.subscriptions)
          if (sub.type === 'orderbook' && !sub.onlySnapshot && sub.codes.has(market)) {
            const f = subscriptionFrame(core, sub, market, 'REALTIME');
            if (f !== undefined) send(c, 'orderbook', f);
          }
    dirtyBooks.clear();
  }

  const unsubscribe = core.onEvent(({ event, tapeTrade }: DispatchedEvent) => {
    if (event.type === 'book') {
      dirtyBooks.add(event.market);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushBooks);
      }
      return;
    }
    const dropTrade = event.type === 'publicTrade' && tradeDrops > 0;
    if (dropTrade) tradeDrops -= 1;
    for (const c of subscribers)
      for (const sub of c.subscriptions) {
        if (event.type === 'publicTrade' && tapeTrade !== undefined) {
          if (sub.onlySnapshot || !sub.codes.has(event.market)) continue;
          if (sub.type === 'trade' && dropTrade) continue;
          if (sub.type === 'trade')
            send(
              c,
              'trade',
              tradeFrame(event.market, tapeTrade, core.engine.book(event.market), 'REALTIME', core.now()),
            );
          else if (sub.type === 'ticker' || sub.type.startsWith('candle.')) {
            const f = subscriptionFrame(core, sub, event.market, 'REALTIME');
            if (f !== undefined) send(c, sub.type, f);
          }
        } else if (event.type === 'order' && sub.type === 'myOrder') {
          if (sub.codes.size === 0 || sub.codes.has(event.order.market))
            send(c, 'myOrder', myOrderFrame(event));
        } else if (event.type === 'asset' && sub.type === 'myAsset') {
          send(c, 'myAsset', myAssetFrame(event, assetUuid(++assetCounter)));
        }
      }
  });

  return {
    dropTradeFrames: (count) => {
      tradeDrops = Math.max(0, count);
    },
    setStaleBooks: (on) => {
      staleBooks = on;
    },
    close: unsubscribe,
  };
}

function assetUuid(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}
