import fc from 'fast-check';
import { depthOf } from '../../domain/ensemble/ladder-check-guards';
import type { ViewDepths } from '../../domain/ensemble/ladder-checks';
import type { Candle, OrderbookSnapshot } from '../../domain/market/market-data';
import { parseMarket } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { krw, type Price } from '../../domain/money/quantities';
import { exposureBook } from '../../domain/risk/exposure';
import { bestQuotes, type MarketView, withWholeWon } from '../../domain/risk/fat-finger';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import { SimulatedBroker } from '../broker/simulated-broker';
import { RouterContexts } from './order-router-context';
import { BacktestRiskState } from './risk-state';

const T0 = Date.parse('2026-11-25T00:00:00Z') as EpochMs;
const MARKETS = ['KRW-BTC', 'KRW-XRP', 'KRW-DOGE'].map(parseMarket);

/** Closes on and off every grid: whole won, fractional, past 2^53, tiny, on a tick and between. */
const closeArb = fc.oneof(
  fc.integer({ min: 1, max: 2_000_000_000 }),
  fc.integer({ min: 1, max: 99_999_999 }).map((k) => k / 10_000),
  fc.integer({ min: 1, max: 99 }).map((k) => 2 ** 53 + 2 * k),
  fc.double({ min: 1e15, max: 1e20, noNaN: true }),
  fc.double({ min: 1e-6, max: 1_000, noNaN: true }),
);

/*
 * The backtest's risk view fills its whole-won twins from the integers it builds the decimals from
 * (the close, the synthetic quotes' won): they must be what withWholeWon computes from the view's
 * own decimals and book (the definition every other producer uses).
 */
describe('the backtest router’s market view', () => {
  it('carries the same whole-won twins as withWholeWon computes from its decimals', () => {
    const broker = new SimulatedBroker(krw(new Decimal(1_000_000)), KRW_MARKET_RULES, 0, () => 0.5);
    const risk = new BacktestRiskState(DEFAULT_RISK_LIMITS, true, { count: () => undefined });
    const contexts = new RouterContexts(broker, risk, DEFAULT_RISK_LIMITS, KRW_MARKET_RULES, () =>
      exposureBook(broker.allPositions(), broker.commitments()),
    );
    let whole = 0;
    let other = 0;
    fc.assert(
      fc.property(
        closeArb,
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (close, m, vol) => {
          const bar: Candle = {
            market: MARKETS[m] as Candle['market'],
            timeframe: '1m',
            openTime: T0,
            open: close,
            high: close,
            low: close,
            close,
            volume: vol,
            quoteVolume: vol * close,
          };
          const view = contexts.marketView(bar, (T0 + 60_000) as EpochMs);
          const { lastWon, bidWon, askWon } = view;
          // The view's exact prices are getters (made on first read): read, not spread.
          const want = withWholeWon({
            lastTradePrice: view.lastTradePrice as Price,
            book: view.book as OrderbookSnapshot,
          });
          expect([lastWon, bidWon, askWon]).toEqual([want.lastWon, want.bidWon, want.askWon]);
          // The depths the ladder reads instead of the book are depthOf of each side of it.
          const depths = view as MarketView & ViewDepths;
          const book = view.book as OrderbookSnapshot;
          expect([depths.bidDepth, depths.askDepth]).toEqual([depthOf(book.bids), depthOf(book.asks)]);
          // The best quotes made on read are the book's exact best (bestQuotes' contract).
          const parsed = bestQuotes(view.book as OrderbookSnapshot);
          expect(view.best?.bid.toString()).toBe(parsed?.bid.toString());
          expect(view.best?.ask.toString()).toBe(parsed?.ask.toString());
          expect(view.lastTradePrice?.toString()).toBe(new Decimal(close.toString()).toString());
          if (Number.isSafeInteger(bidWon)) whole += 1;
          else other += 1;
        },
      ),
      { numRuns: 3000 },
    );
    expect(whole).toBeGreaterThan(300);
    expect(other).toBeGreaterThan(300);
  });
});
