import { ExchangeEngine } from '../domain/exchange/exchange-engine';
import type { ExchangeEvent } from '../domain/exchange/exchange-events';
import type { LiquidityLevel } from '../domain/exchange/market-book';
import { MarketTape, type TapeTrade } from '../domain/exchange/market-tape';
import type { SeededHistory } from '../domain/exchange/seeded-history';
import { type Market, parseMarket } from '../domain/market/market-id';
import { parseDecimal } from '../domain/money/decimal';
import { price as toPrice, volume as toVolume } from '../domain/money/quantities';
import type { EpochMs } from '../domain/time/epoch';
import type { Clock } from '../ports/clock';
import type { BookSpec } from './fake-exchange-api';

/** An engine event plus, for public trades, the tape record (with its previous close) that WS frames need. */
export interface DispatchedEvent {
  readonly event: ExchangeEvent;
  readonly tapeTrade?: TapeTrade;
}

/** Settings of the core (no networking). */
export interface CoreOptions {
  readonly markets: readonly string[];
  readonly seed: number;
  readonly clock: Clock;
  /** Sim time runs `speed` times faster than the clock. */
  readonly speed: number;
  /** Sim time at start; default the clock's now. A replay starts at its data's first candle. */
  readonly startAt?: number;
  /** The backtester's tape fill model for resting orders (tape replay); see the engine's `tapeQueue`. */
  readonly tapeQueue?: boolean;
}

/**
 * The exchange without transport: the pure engine, one tape per market (trades → candles/ticker), the
 * sim-time mapping and an event fan-out to the REST/WebSocket layers. Every mutation goes through
 * {@link run} so events are always drained and published in order.
 */
export class FakeExchangeCore {
  readonly engine: ExchangeEngine;
  readonly tapes = new Map<string, MarketTape>();
  private readonly listeners = new Set<(e: DispatchedEvent) => void>();
  private readonly clockStart: number;
  private readonly simStart: number;
  private lastNow = 0;

  constructor(private readonly options: CoreOptions) {
    const markets = options.markets.map((m) => parseMarket(m));
    this.engine = new ExchangeEngine({ markets, seed: options.seed, tapeQueue: options.tapeQueue === true });
    for (const m of markets) this.tapes.set(m, new MarketTape());
    this.clockStart = options.clock.now();
    this.simStart = options.startAt ?? this.clockStart;
  }

  /** Current sim time: the clock's elapsed time times `speed`, never going backwards. */
  now(): EpochMs {
    const t = Math.floor(this.simStart + (this.options.clock.now() - this.clockStart) * this.options.speed);
    if (t > this.lastNow) this.lastNow = t;
    return this.lastNow as EpochMs;
  }

  /** Subscribes to dispatched events; returns the unsubscribe function. */
  onEvent(listener: (e: DispatchedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs an engine operation at `at` (default now) and publishes what it produced. */
  run<T>(op: (engine: ExchangeEngine, now: EpochMs) => T, at?: EpochMs): T {
    const now = at ?? this.now();
    const result = op(this.engine, now);
    this.dispatch();
    return result;
  }

  /** Publishes pending engine events (public trades are recorded on the tape first). */
  dispatch(): void {
    for (const event of this.engine.drainEvents()) {
      let tapeTrade: TapeTrade | undefined;
      if (event.type === 'publicTrade')
        tapeTrade = this.tapes
          .get(event.market)
          ?.record(
            event.price.toNumber(),
            event.volume.toNumber(),
            event.takerSide,
            event.at,
            event.sequentialId,
          );
      const out: DispatchedEvent = tapeTrade === undefined ? { event } : { event, tapeTrade };
      for (const l of this.listeners) l(out);
    }
  }

  /** Replaces other traders' liquidity of a market (test driver / market generator). */
  setBook(market: string, book: BookSpec, at?: EpochMs): void {
    const m = this.requireMarket(market);
    const toLevels = (rows: BookSpec['bids']): LiquidityLevel[] =>
      rows.map(([p, s]) => ({ price: parseDecimal(p), size: parseDecimal(s) }));
    this.run((e, now) => e.setLiquidity(m, toLevels(book.bids), toLevels(book.asks), now), at);
  }

  /** Prints another trader's trade on the tape. */
  trade(market: string, p: string, v: string, takerSide: 'bid' | 'ask', at?: EpochMs): void {
    const m = this.requireMarket(market);
    this.run((e, now) => e.tapeTrade(m, toPrice(p), toVolume(v), takerSide, now), at);
  }

  /**
   * Puts a market's history on its tape before trading starts: candles as given, then the trades
   * with trade ids reserved from the engine (no order of ours can fill on the past). Public trade
   * frames are not sent for it: it happened before anyone could subscribe.
   */
  seedHistory(market: string, history: SeededHistory): void {
    const m = this.requireMarket(market);
    const tape = this.tapes.get(m) as MarketTape;
    tape.seed(history.days, history.minutes);
    let id = this.engine.reserveSequentialIds(m, history.trades.length);
    for (const t of history.trades) tape.record(t.price, t.volume, t.takerSide, t.at, id++);
  }

  /** Sets an available balance. */
  setBalance(currency: string, amount: string): void {
    this.run((e, now) => e.setBalance(currency, parseDecimal(amount), now));
  }

  private requireMarket(market: string): Market {
    if (!this.engine.isListed(market))
      throw new RangeError(`market ${market} is not listed on the fake exchange`);
    return market as Market;
  }
}
