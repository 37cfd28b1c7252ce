import fc from 'fast-check';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { decimalFromNumber } from '../../domain/money/decimal';
import { krw, volume } from '../../domain/money/quantities';
import { exposureBook } from '../../domain/risk/exposure';
import { emptyPosition } from '../../domain/risk/position-accounting';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { BrokerBooks } from '../broker/broker-books';
import { SimulatedBroker } from '../broker/simulated-broker';
import { ExitGates } from './exit-gates';
import { RouterContexts } from './order-router-context';
import { BacktestRiskState } from './risk-state';

// The per-bar lookups that check the key asked last before their map (rec): interleaved markets,
// bars and owners must read exactly what the map alone gives.

const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'] as Market[];
const OWNERS = ['market_making', 'mean_reversion', 'operator'] as const;
const RUNS = { seed: 20261207, numRuns: 300 } as const;

/** Books whose positions a test stores directly (the broker's own store, no order path). */
class Books extends BrokerBooks {
  put(p: Position): void {
    this.store(p, this.findPosition(p.market, p.strategy));
  }
}

function newContexts(): RouterContexts {
  const broker = new SimulatedBroker(krw('10000000'), KRW_MARKET_RULES, 0, () => 0.5);
  const risk = new BacktestRiskState(DEFAULT_RISK_LIMITS, true, { count: () => undefined });
  return new RouterContexts(broker, risk, DEFAULT_RISK_LIMITS, KRW_MARKET_RULES, () => exposureBook([], []));
}

function bar(market: Market, openTime: number, close: number): Candle {
  return { market, timeframe: '1m', openTime: openTime as EpochMs, close } as unknown as Candle;
}

describe('last-key lookups', () => {
  it('BrokerBooks.findPosition reads what the owner maps hold, whatever the order of markets', () => {
    const op = fc.record({
      market: fc.integer({ min: 0, max: 2 }),
      owner: fc.integer({ min: 0, max: 2 }),
      store: fc.boolean(),
      units: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const books = new Books(krw('1000000'), KRW_MARKET_RULES);
        const expected = new Map<string, Position>();
        for (const o of ops) {
          const market = MARKETS[o.market] as Market;
          const owner = OWNERS[o.owner] as StrategyName;
          if (o.store) {
            const p = {
              ...emptyPosition(market, owner, 0 as EpochMs),
              volume: volume(decimalFromNumber(o.units)),
            };
            books.put(p);
            expected.set(`${market}|${owner}`, p);
          }
          expect(books.findPosition(market, owner)).toBe(expected.get(`${market}|${owner}`));
          for (const m of MARKETS)
            for (const w of OWNERS)
              expect(books.findPosition(m, w as StrategyName)).toBe(expected.get(`${m}|${w}`));
        }
      }),
      RUNS,
    );
  });

  it('RouterContexts.quotesAt makes a bar’s quotes once and never answers with another market’s', () => {
    const step = fc.record({
      market: fc.integer({ min: 0, max: 2 }),
      next: fc.boolean(),
      repeat: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const contexts = newContexts();
        const latest = MARKETS.map((m, i) => bar(m, 1_700_000_000_000, 1_000_000 * (i + 1)));
        let at = 1_700_000_060_000;
        // Each bar's quotes as first made: made once per bar (and instant), whatever came between.
        const made = new Map<Candle, { at: number; q: unknown }>();
        for (const s of steps) {
          if (s.next) {
            at += 60_000;
            latest[s.market] = bar(
              MARKETS[s.market] as Market,
              at - 60_000,
              1_000_000 * (s.market + 1) + at / 60_000,
            );
          }
          const b = latest[s.market] as Candle;
          const q = contexts.quotesAt(b, at as EpochMs);
          // The very quotes a router with no slots yet makes for this bar.
          const fresh = newContexts().quotesAt(b, at as EpochMs);
          expect(q.bid.eq(fresh.bid) && q.ask.eq(fresh.ask)).toBe(true);
          expect(Object.is(q.bidWon, fresh.bidWon)).toBe(true);
          const first = made.get(b);
          if (first === undefined || first.at !== at) made.set(b, { at, q });
          else expect(q).toBe(first.q);
          if (s.repeat) expect(contexts.quotesAt(b, at as EpochMs)).toBe(q);
        }
      }),
      RUNS,
    );
  });

  it('ExitGates.market gives each market its own gates, the same object every time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 40 }), (order) => {
        const gates = new ExitGates(decimalFromNumber(0.0005), DEFAULT_RISK_LIMITS, decimalFromNumber(5000));
        const first = new Map<string, unknown>();
        for (const i of order) {
          const market = MARKETS[i] as Market;
          const g = gates.market(market);
          if (!first.has(market)) first.set(market, g);
          expect(g).toBe(first.get(market));
        }
        expect(new Set(first.values()).size).toBe(first.size);
      }),
      RUNS,
    );
  });
});
