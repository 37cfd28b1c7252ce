import { executorMetrics, MetricsRegistry } from '../../../executor/src/health/metrics';
import { OrderManager, type OrderManagerDeps } from '../../../executor/src/orders/order-manager';
import { TradingGate } from '../../../executor/src/runtime/trading-gate';
import { MemoryLogger } from '../../../shared/src/adapters/logging/json-logger';
import { ManualClock } from '../../../shared/src/adapters/memory/manual-clock';
import { MemoryStateStore } from '../../../shared/src/adapters/memory/memory-state-store';
import { MemoryTradingVenue, type PaperBook } from '../../../shared/src/adapters/memory/memory-trading-venue';
import type { OrderbookSnapshot } from '../../../shared/src/domain/market/market-data';
import { type Market, parseMarket } from '../../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../../shared/src/domain/market/market-rules';
import { Decimal } from '../../../shared/src/domain/money/decimal';
import { krw, price } from '../../../shared/src/domain/money/quantities';
import type { MarketView } from '../../../shared/src/domain/risk/fat-finger';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import type { TradingVenue } from '../../../shared/src/ports/trading-venue';

/** Markets of the in-memory tests. */
export const BTC = parseMarket('KRW-BTC');
/** See {@link BTC}. */
export const ETH = parseMarket('KRW-ETH');
/** 2026-03-02 10:00 KST, a Monday morning. */
export const T0 = Date.UTC(2026, 2, 2, 1, 0, 0);

/** BTC around 100,000,000 (tick 1,000 on the 2026 table) with depth enough for the fat-finger caps. */
export const BTC_BOOK: PaperBook = {
  bids: [
    ['99999000', '1'],
    ['99998000', '2'],
    ['99990000', '5'],
  ],
  asks: [
    ['100000000', '1'],
    ['100001000', '2'],
    ['100010000', '5'],
  ],
};

/** The feed's view of a paper book (what the risk checks compare orders with). */
export function viewOf(market: Market, book: PaperBook, at: number, last?: string): MarketView {
  const levels = (rows: PaperBook['bids']) => rows.map(([p, s]) => ({ price: Number(p), size: Number(s) }));
  const snapshot: OrderbookSnapshot = {
    market,
    timestamp: at as never,
    bids: levels(book.bids),
    asks: levels(book.asks),
  };
  const bid = book.bids[0]?.[0];
  return { book: snapshot, lastTradePrice: price(new Decimal(String(last ?? bid ?? '0'))) };
}

/** Limits of the tests: the seed limits with a 1 % deviation guard as in config/default.yaml. */
export const TEST_LIMITS: RiskLimits = {
  ...DEFAULT_RISK_LIMITS,
  fatFinger: { ...DEFAULT_RISK_LIMITS.fatFinger, maxDeviationFromLastTrade: new Decimal('0.01') },
};

/** Everything an order-path test needs, in memory and on a manual clock. */
export interface MemoryWorld {
  readonly clock: ManualClock;
  readonly store: MemoryStateStore;
  readonly venue: MemoryTradingVenue;
  readonly logger: MemoryLogger;
  readonly gate: TradingGate;
  readonly metrics: ReturnType<typeof executorMetrics>;
  readonly views: Map<Market, MarketView>;
  managerWith(overrides?: Partial<OrderManagerDeps>): OrderManager;
}

/** A paper venue with BTC_BOOK and 10,000,000 KRW, an empty store, a reconciled gate. */
export function memoryWorld(
  options: { readonly venue?: (v: MemoryTradingVenue) => TradingVenue } = {},
): MemoryWorld {
  const clock = new ManualClock(T0);
  const store = new MemoryStateStore();
  const venue = new MemoryTradingVenue({ markets: [BTC, ETH], clock, balances: { KRW: '10000000' } });
  venue.setBook(BTC, BTC_BOOK);
  const logger = new MemoryLogger(clock);
  const gate = new TradingGate();
  gate.setReconciled(true);
  const metrics = executorMetrics(new MetricsRegistry());
  const views = new Map<Market, MarketView>([[BTC, viewOf(BTC, BTC_BOOK, T0)]]);
  const wrapped = options.venue?.(venue) ?? venue;
  const managerWith = (overrides: Partial<OrderManagerDeps> = {}) =>
    new OrderManager({
      store,
      venue: wrapped,
      clock,
      logger,
      rules: KRW_MARKET_RULES,
      limits: TEST_LIMITS,
      gate,
      metrics,
      marketView: (m) => views.get(m) ?? {},
      equity: async () => krw('10000000'),
      ...overrides,
    });
  return { clock, store, venue, logger, gate, metrics, views, managerWith };
}
