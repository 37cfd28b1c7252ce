import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { toQuoteLevels } from '../../ensemble/quote-levels';
import type { Candle, OrderbookSnapshot } from '../../market/market-data';
import type { Market } from '../../market/market-id';
import { KRW_MARKET_RULES, tickTableFor } from '../../market/market-rules';
import { isOnTick } from '../../market/tick-rounding';
import type { EpochMs } from '../../time/epoch';
import type { SignalContribution } from '../../trading/decision';
import { QuoteHints } from '../quote-hints';
import { carriedContribution } from '../signal-contribution';
import type { QuoteHint, StrategyContext, StrategySignal } from '../strategy';
import { DEFAULT_STRATEGY_PARAMS, type MarketMakingParams } from '../strategy-params';
import { bookImbalance, createMarketMaking, type MarketMakingStrategy } from './market-making-strategy';

const BTC = 'KRW-BTC' as Market;
const NOW = Date.UTC(2026, 10, 25, 14, 0) as EpochMs;
const params: MarketMakingParams = { ...DEFAULT_STRATEGY_PARAMS.market_making, volatilityWindow: 10 };
const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'strategies');

function bar(i: number, close: number, rangeBps: number): Candle {
  const half = (close * rangeBps) / 2e4;
  return {
    market: BTC,
    timeframe: '1m',
    openTime: (NOW - (100 - i) * 60_000) as EpochMs,
    open: close,
    high: close + half,
    low: close - half,
    close,
    volume: 1,
    quoteVolume: close,
  };
}

const ctx = (positionVolume: number, availableKrw: number): StrategyContext => ({
  now: NOW,
  positionVolume,
  availableKrw,
});

/** A warmed-up strategy whose bars had the given high-low range (in bps of the close). */
function warmed(rangeBps: number, p: MarketMakingParams = params, close = 95_000_000): MarketMakingStrategy {
  const s = createMarketMaking(p, [BTC]);
  for (let i = 0; i < p.volatilityWindow; i++) s.onBar(bar(i, close, rangeBps), ctx(0, 1e6));
  return s;
}

function book(bid: number, bidSize: number, ask: number, askSize: number): OrderbookSnapshot {
  return {
    market: BTC,
    timestamp: NOW,
    bids: [{ price: bid, size: bidSize }],
    asks: [{ price: ask, size: askSize }],
  };
}

/** The first signal's hints as objects (a copy: the strategy refills its columns on the next bar). */
const quotesOf = (signals: readonly StrategySignal[]): readonly QuoteHint[] =>
  signals[0]?.quotes?.toArray() ?? [];
const best = (q: readonly QuoteHint[], side: 'bid' | 'ask') =>
  q
    .filter((h) => h.side === side)
    .reduce(
      (a, h) => (side === 'bid' ? Math.max(a, h.price) : Math.min(a, h.price)),
      side === 'bid' ? 0 : Number.POSITIVE_INFINITY,
    );

describe('market_making quotes', () => {
  it('quotes 5 layers per side with the configured spacing and size decay, flat direction', () => {
    const s = warmed(10);
    const signals = s.onBar(bar(99, 95_000_000, 10), ctx(0.02, 1_000_000));
    expect(signals).toHaveLength(1);
    expect(signals[0]?.direction).toBe('flat');
    const bids = quotesOf(signals).filter((q) => q.side === 'bid');
    const asks = quotesOf(signals).filter((q) => q.side === 'ask');
    expect(bids).toHaveLength(5);
    expect(asks).toHaveLength(5);
    for (let i = 1; i < 5; i++) {
      const b0 = bids[i - 1] as QuoteHint;
      const b1 = bids[i] as QuoteHint;
      expect((b0.price - b1.price) / 95_000_000).toBeCloseTo(params.layerSpacingBps / 1e4, 4);
      expect(b1.sizeKrw / b0.sizeKrw).toBeCloseTo(params.sizeDecay, 10);
    }
    expect(bids[0]?.sizeKrw).toBe(params.baseQuoteKrw);
  });

  it('never quotes a half-spread below maker fee + margin, even with zero volatility and a tiny floor', () => {
    const s = warmed(0, { ...params, minHalfSpreadBps: 0.1 });
    const mid = 95_000_000;
    // Upbit maker fee 5 bps + default margin 2 bps on each side of the reservation price.
    const noSkew = quotesOf(s.onBar(bar(99, mid, 0), ctx(1e-9, 1_000_000)));
    expect(best(noSkew, 'bid')).toBeLessThanOrEqual(mid * (1 - 7e-4) * (1 + 1e-9));
    expect(best(noSkew, 'ask')).toBeGreaterThanOrEqual(mid * (1 + 7e-4) * (1 - 1e-9));
    // Skewed by inventory, the ladder moves but a round trip still earns ≥ 2 × (fee + margin).
    const skewed = quotesOf(s.onBar(bar(100, mid, 0), ctx(0.1, 1_000_000)));
    expect(best(skewed, 'ask')).toBeLessThan(best(noSkew, 'ask'));
    expect((best(skewed, 'ask') - best(skewed, 'bid')) / mid).toBeGreaterThanOrEqual(14e-4 * 0.999);
  });

  it('widens the spread when recent volatility is higher', () => {
    const calm = quotesOf(warmed(5).onBar(bar(99, 95_000_000, 5), ctx(0.1, 1e6)));
    const wild = quotesOf(warmed(80).onBar(bar(99, 95_000_000, 80), ctx(0.1, 1e6)));
    expect(best(wild, 'ask') - best(wild, 'bid')).toBeGreaterThan(best(calm, 'ask') - best(calm, 'bid'));
  });

  it('skews quotes down as inventory grows (sell what is held, buy less)', () => {
    const s = warmed(10);
    const light = quotesOf(s.onBar(bar(99, 95_000_000, 10), ctx(0.001, 2_000_000)));
    const s2 = warmed(10);
    const heavy = quotesOf(s2.onBar(bar(99, 95_000_000, 10), ctx(0.02, 100_000)));
    expect(best(heavy, 'bid')).toBeLessThan(best(light, 'bid'));
    expect(best(heavy, 'ask')).toBeLessThan(best(light, 'ask'));
  });

  it('stops quoting bids beyond the cap and asks beyond the holding (spot-only)', () => {
    const s = warmed(10);
    const noCash = quotesOf(s.onBar(bar(99, 95_000_000, 10), ctx(0.01, 0)));
    expect(noCash.filter((q) => q.side === 'bid')).toEqual([]);
    expect(noCash.filter((q) => q.side === 'ask').length).toBeGreaterThan(0);
    const flat = quotesOf(warmed(10).onBar(bar(99, 95_000_000, 10), ctx(0, 150_000)));
    expect(flat.filter((q) => q.side === 'ask')).toEqual([]);
    const bidKrw = flat.filter((q) => q.side === 'bid').reduce((a, q) => a + q.sizeKrw, 0);
    expect(bidKrw).toBeCloseTo(150_000, 6);
    const held = 0.0012;
    const asks = quotesOf(warmed(10).onBar(bar(99, 95_000_000, 10), ctx(held, 1e6))).filter(
      (q) => q.side === 'ask',
    );
    expect(asks.reduce((a, q) => a + q.sizeKrw / q.price, 0)).toBeLessThanOrEqual(held * (1 + 1e-12));
  });

  it('follows book imbalance: heavier bids shift quotes up', () => {
    const s = warmed(10);
    const bidHeavy = quotesOf(s.onBook(book(94_999_000, 9, 95_001_000, 1), ctx(0.01, 1e6)));
    const askHeavy = quotesOf(s.onBook(book(94_999_000, 1, 95_001_000, 9), ctx(0.01, 1e6)));
    expect(best(bidHeavy, 'bid')).toBeGreaterThan(best(askHeavy, 'bid'));
    expect(bookImbalance(book(1, 9, 2, 1), 5)).toBeCloseTo(0.8, 12);
  });

  it('pulls quotes on a locked or crossed book', () => {
    const s = warmed(10);
    const out = s.onBook(book(95_000_000, 1, 95_000_000, 1), ctx(0.01, 1e6));
    expect(out[0]?.quotes?.count).toBe(0);
  });

  it('property: quotes never cross the book, and exact levels are on tick, ≥ 5,000 KRW, 8-decimal volumes', () => {
    const table = tickTableFor(KRW_MARKET_RULES, NOW);
    fc.assert(
      fc.property(
        fc.double({ min: 500, max: 200_000_000, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: -0.99, max: 0.99, noNaN: true }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 5_000_000, noNaN: true }),
        fc.double({ min: 0, max: 5_000_000, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (mid, spreadBps, imb, rangeBps, cash, heldKrw, skew) => {
          const p = { ...params, inventorySkew: skew, imbalanceWeight: 1 };
          const s = warmed(rangeBps, p, mid);
          const bid = mid * (1 - spreadBps / 2e4);
          const ask = mid * (1 + spreadBps / 2e4);
          const b = book(bid, 1 + imb, ask, 1 - imb);
          const q = quotesOf(s.onBook(b, ctx(heldKrw / mid, cash)));
          for (const h of q) {
            if (h.side === 'bid') expect(h.price).toBeLessThan(ask);
            else expect(h.price).toBeGreaterThan(bid);
          }
          const levels = toQuoteLevels(BTC, QuoteHints.of(q), NOW, KRW_MARKET_RULES, {
            bestBid: bid,
            bestAsk: ask,
          });
          for (const l of levels) {
            expect(isOnTick(l.price, { table, asset: 'BTC' })).toBe(true);
            expect(l.price.times(l.volume).gte(5000)).toBe(true);
            expect(l.volume.decimalPlaces()).toBeLessThanOrEqual(8);
            if (l.side === 'bid') expect(l.price.toNumber()).toBeLessThan(ask);
            else expect(l.price.toNumber()).toBeGreaterThan(bid);
          }
        },
      ),
      { seed: 20261206, numRuns: 300 },
    );
  });
});

describe('market_making lookahead: truncation invariance on real 1m candles', () => {
  const data = JSON.parse(readFileSync(join(FIXTURES, 'binance_btcusdt_1m_2021-02-19_7d.json'), 'utf8')) as {
    rows: [number, number, number, number, number, number][];
  };
  const candles: Candle[] = data.rows.slice(0, 600).map(([t, o, h, l, c, v]) => ({
    market: BTC,
    timeframe: '1m',
    openTime: t as EpochMs,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
    quoteVolume: v * c,
  }));
  // Inventory follows a deterministic function of the bar index so ctx varies too.
  const ctxAt = (i: number): StrategyContext => ({
    now: ((candles[i] as Candle).openTime + 60_000) as EpochMs,
    positionVolume: (i % 7) * 0.01,
    availableKrw: 1_000_000 - (i % 5) * 100_000,
  });
  const runTo = (t: number) => {
    const s = createMarketMaking(DEFAULT_STRATEGY_PARAMS.market_making, [BTC]);
    // Each bar's signals with their hints copied: the strategy refills its columns the next bar.
    return candles
      .slice(0, t + 1)
      .map((c, i) => s.onBar(c, ctxAt(i)).map((sig) => ({ ...sig, quotes: sig.quotes?.toArray() })));
  };

  it('signals at t are identical whether fed bars 0..t or 0..N', () => {
    const full = runTo(candles.length - 1);
    expect(full.filter((s) => s.length > 0).length).toBeGreaterThan(500);
    for (const t of [29, 30, 117, 345, candles.length - 1]) expect(runTo(t)[t]).toEqual(full[t]);
  });
});

describe('market_making signal: the reason as a carried contribution', () => {
  it('JSON, keys and spread copies are the plain literal’s; the carried reason is the text, also after later bars', () => {
    const s = warmed(40);
    const texts: { json: string; carried: SignalContribution }[] = [];
    for (let i = 0; i < 5; i++) {
      const [sig] = s.onBar(bar(20 + i, 95_000_000 + i * 7_000, 40 + 9 * i), ctx(0.001 * i, 1e6 - i * 1e5));
      if (sig === undefined) throw new Error('no signal');
      const literal = {
        strategy: sig.strategy,
        market: sig.market,
        at: sig.at,
        direction: sig.direction,
        strength: sig.strength,
        reason: sig.reason,
        priceHint: sig.priceHint,
        quotes: sig.quotes,
      };
      expect(Object.keys(sig)).toEqual(Object.keys(literal));
      expect(JSON.stringify(sig)).toBe(JSON.stringify(literal));
      const copy = { ...sig };
      expect(copy.reason).toBe(literal.reason);
      expect(carriedContribution(copy)).toBeUndefined();
      const carried = carriedContribution(sig);
      if (carried === undefined) throw new Error('no carried contribution');
      expect(carried).toMatchObject({ strategy: 'market_making', score: 0, weight: 1 });
      expect(carried.reason).toBe(literal.reason);
      texts.push({
        json: JSON.stringify({ strategy: 'market_making', score: 0, weight: 1, reason: literal.reason }),
        carried,
      });
    }
    // Each bar's contribution keeps its own text after the strategy quoted again.
    for (const t of texts) expect(JSON.stringify(t.carried)).toBe(t.json);
  });
});
