import fc from 'fast-check';
import type { Candle } from '../../domain/market/market-data';
import { KRW_MARKET_RULES, tickTableFor } from '../../domain/market/market-rules';
import { spreadAroundNumber } from '../../domain/market/tick-rounding';
import { Decimal } from '../../domain/money/decimal';
import { numberOf } from '../../domain/money/decimal-units';
import { krw, price, volume } from '../../domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { BTC, T0 } from '../../domain/risk/testing/risk-builders';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { QuoteLevel } from '../../domain/trading/decision';
import type { SimOrder } from './sim-order';
import { SimulatedBroker } from './simulated-broker';
import { quoteDecisionOf } from './testing/quote-decision';
import { untouchedLayers } from './untouched-layers';

const rules = KRW_MARKET_RULES;

// A ladder around 50,000,000 on its 1,000-won grid, and bars whose open, low, high and close sit
// at, one tick inside or one tick beyond the ladder's best bid and ask (the skip's boundaries).
const ladderArb = fc.record({
  bids: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 0, maxLength: 5 }),
  asks: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 0, maxLength: 5 }),
  units: fc.integer({ min: 20_000, max: 400_000 }),
});
const edge = fc.integer({ min: -2, max: 2 });
const barArb = fc.record({
  open: edge,
  low: edge,
  high: edge,
  close: edge,
  volume: fc.integer({ min: 0, max: 5 }),
});

describe('SimulatedBroker.processBar on a bar that touches no quote layer', () => {
  it('gives what resting every layer gives: the same outcome, books and counts', () => {
    let skipped = 0;
    let touched = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(ladderArb, barArb), { minLength: 1, maxLength: 5 }), (steps) => {
        // Capital for a holding to sell: asks are placed only as far as it reaches (below).
        const capital = krw(new Decimal(50_000_000));
        // `plain`: the same levels placed with their decimals (plain orders, never skipped).
        const plain = new SimulatedBroker(capital, rules, 5, () => 0.5);
        const units = new SimulatedBroker(capital, rules, 5, () => 0.5);
        // A holding for the asks: a market buy filled at the first bar's open.
        for (const x of [plain, units]) {
          x.place(
            {
              identifier: orderIdentifier(makeDecisionId('buy', BTC, T0), 0),
              market: BTC,
              strategy: 'market_making',
              spec: { kind: 'market_buy', amount: krw(new Decimal(20_000_000)) },
              reason: 'buy',
            },
            T0,
            price(new Decimal(50_000_000)),
          );
          x.processBar({
            market: BTC,
            timeframe: '1m',
            openTime: T0,
            open: 50_000_000,
            low: 50_000_000,
            high: 50_000_000,
            close: 50_000_000,
            volume: 1,
            quoteVolume: 50_000_000,
          });
        }
        const a: string[] = [];
        const b: string[] = [];
        steps.forEach(([ladder, bar], s) => {
          const at = (T0 + (s + 1) * MS.minute) as EpochMs;
          const mid = 50_000_000;
          const bidWon = ladder.bids.map((k) => mid - k * 1_000);
          const askWon = ladder.asks.map((k) => mid + k * 1_000);
          const best = { bid: Math.max(...bidWon, mid - 9_000), ask: Math.min(...askWon, mid + 9_000) };
          const levels: QuoteLevel[] = [
            ...bidWon.map((w) => ({ side: 'bid' as const, won: w })),
            ...askWon.map((w) => ({ side: 'ask' as const, won: w })),
          ].map((l) => ({
            side: l.side,
            price: price(new Decimal(l.won)),
            volume: volume(new Decimal(ladder.units).div(1e8)),
          }));
          const decision = quoteDecisionOf(at, levels);
          levels.forEach((l, leg) => {
            const facts = {
              rules,
              at,
              prices: levels.map((x) => numberOf(x.price)),
              volumes: levels.map((x) => numberOf(x.volume)),
            };
            a.push(JSON.stringify(plain.placeQuote(decision, leg, l, at)));
            b.push(
              JSON.stringify(
                units.placeQuoteUnits(decision, leg, l.side, numberOf(l.price), ladder.units, at, facts),
              ),
            );
          });
          // The bar's prices one tick (1,000 won) from the best bid (low) and the best ask (high).
          const open = mid + bar.open * 1_000;
          const candle: Candle = {
            market: BTC,
            timeframe: '1m',
            openTime: (at + MS.minute) as EpochMs,
            open,
            low: Math.min(open, best.bid + bar.low * 1_000),
            high: Math.max(open, best.ask + bar.high * 1_000),
            close: open + bar.close * 1_000,
            volume: bar.volume,
            quoteVolume: bar.volume * open,
          };
          const orders = (
            units as unknown as { pending: { get(m: string): SimOrder[] | undefined } }
          ).pending.get(BTC);
          const ctx = { table: tickTableFor(rules, candle.openTime), asset: 'BTC' };
          if (orders !== undefined) {
            if (untouchedLayers(orders, candle, spreadAroundNumber(open, ctx))) skipped += 1;
            else touched += 1;
          }
          a.push(JSON.stringify(plain.processBar(candle)));
          b.push(JSON.stringify(units.processBar(candle)));
          for (const [out, x] of [
            [a, plain],
            [b, units],
          ] as const) {
            out.push(`${x.cash.toFixed()} ${x.fees.toFixed()} ${JSON.stringify(x.restingFillSources())}`);
            out.push(JSON.stringify(x.allPositions()));
          }
        });
        expect(b).toEqual(a);
      }),
      { numRuns: 400 },
    );
    expect(skipped).toBeGreaterThan(100);
    expect(touched).toBeGreaterThan(100);
  });
});
