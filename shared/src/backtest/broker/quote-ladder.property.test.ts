import fc from 'fast-check';
import type { QuoteLayerFacts } from '../../domain/ensemble/decision-pipeline';
import type { QuoteColumns } from '../../domain/ensemble/quote-levels';
import type { Candle } from '../../domain/market/market-data';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { krw, price, volume } from '../../domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import type { ValidationResult } from '../../domain/orders/order-rejection';
import { BTC, ETH, T0 } from '../../domain/risk/testing/risk-builders';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { QuoteLevel } from '../../domain/trading/decision';
import type { PendingOrders } from './pending-orders';
import { QuoteLayerOrder } from './quote-layer-order';
import { SimulatedBroker } from './simulated-broker';
import { quoteDecisionOf } from './testing/quote-decision';

const rules = KRW_MARKET_RULES;

// A level around 50,000,000: on its 1,000-won grid or off it (refused by the validation), for
// 1e-8 units from below the 5,000 KRW minimum through 8-decimal odd sizes to more than the cash.
const levelArb = fc.record({
  ticks: fc.oneof(fc.integer({ min: 49_000, max: 51_000 }), fc.integer({ min: 49_998, max: 50_002 })),
  offGrid: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 999 })),
  units: fc.oneof(
    fc.integer({ min: 1, max: 20_000 }),
    fc.integer({ min: 10_000, max: 4_000_000 }),
    fc.integer({ min: 1, max: 2 ** 40 }),
  ),
});

const ladderArb = fc.record({
  bids: fc.array(levelArb, { minLength: 0, maxLength: 6 }),
  asks: fc.array(levelArb, { minLength: 0, maxLength: 6 }),
  // 0: facts for these rules and instant; 1: other rules; 2: another instant.
  stale: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 2 })),
  // Orders left open from the step before (not ended by a bar): their locks and asks count.
  keep: fc.boolean(),
  // The commitments read (every lazy lock built) after the ladder, or the locks left lazy.
  read: fc.boolean(),
  // The whole holding sold at the next bar's open (placed before the ladder): holdsIn turns false.
  sellAll: fc.oneof(fc.constant(false), fc.constant(false), fc.constant(true)),
  bar: fc.record({ low: fc.integer({ min: 0, max: 1_500 }), high: fc.integer({ min: 0, max: 1_500 }) }),
});

function candle(at: number, low: number, high: number): Candle {
  const open = 50_000_000;
  return {
    market: BTC,
    timeframe: '1m',
    openTime: at as EpochMs,
    open,
    high: open + high * 1_000,
    low: open - low * 1_000,
    close: open,
    volume: 3,
    quoteVolume: 3 * open,
  };
}

function verdicts(results: readonly ValidationResult[] | undefined, count: number): string {
  return JSON.stringify(results ?? new Array(count).fill({ ok: true }));
}

describe('SimulatedBroker.placeQuoteLadder', () => {
  it('gives the verdicts and books of placeQuoteUnits placing each level in turn', () => {
    let accepted = 0;
    let refused = 0;
    let mixed = 0;
    // Levels that joined as QuoteLayerOrder (the lazy path), not through placeQuote.
    let layers = 0;
    let soldOut = 0;
    fc.assert(
      fc.property(
        fc.array(ladderArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 3_000_000 }),
        (steps, capitalMillions, held) => {
          const capital = krw(new Decimal(capitalMillions * 1_000_000));
          const one = new SimulatedBroker(capital, rules, 5, () => 0.5);
          const batch = new SimulatedBroker(capital, rules, 5, () => 0.5);
          // A holding for the asks (bought at the first bar's open), when the capital allows.
          for (const b of [one, batch]) {
            b.place(
              {
                identifier: orderIdentifier(makeDecisionId('buy', BTC, T0), 0),
                market: BTC,
                strategy: 'market_making',
                spec: {
                  kind: 'market_buy',
                  amount: krw(new Decimal(Math.min(held, capitalMillions * 500_000))),
                },
                reason: 'buy',
              },
              T0 as EpochMs,
              price(new Decimal(50_000_000)),
            );
            b.processBar(candle(T0 + MS.minute, 0, 0));
            // Another market held all along, so holdsIn(BTC) depends on BTC's holding alone.
            b.place(
              {
                identifier: orderIdentifier(makeDecisionId('eth', ETH, T0), 0),
                market: ETH,
                strategy: 'market_making',
                spec: { kind: 'market_buy', amount: krw(new Decimal(10_000)) },
                reason: 'buy',
              },
              T0 as EpochMs,
              price(new Decimal(50_000_000)),
            );
            b.processBar({ ...candle(T0 + MS.minute, 0, 0), market: ETH });
          }
          const a: string[] = [];
          const z: string[] = [];
          steps.forEach((step, s) => {
            const at = (T0 + (s + 2) * MS.minute) as EpochMs;
            const all = [...step.bids, ...step.asks];
            const columns: QuoteColumns = {
              count: all.length,
              bids: step.bids.length,
              won: all.map((l) => l.ticks * 1_000 + l.offGrid),
              units: all.map((l) => l.units),
            };
            const levels: QuoteLevel[] = all.map((l, i) => ({
              side: i < step.bids.length ? 'bid' : 'ask',
              price: price(new Decimal(columns.won[i] as number)),
              volume: volume(new Decimal(l.units).div(1e8)),
            }));
            const decision = quoteDecisionOf(at, levels);
            const facts: QuoteLayerFacts = {
              rules: step.stale === 1 ? { ...rules } : rules,
              at: (step.stale === 2 ? at + 1 : at) as EpochMs,
              prices: columns.won,
              volumes: columns.units.map((u) => u / 1e8),
              columns,
            };
            for (const b of [one, batch]) {
              const held = b.positionOf(BTC, 'market_making', at).volume;
              if (step.sellAll && !held.isZero())
                b.place(
                  {
                    identifier: orderIdentifier(makeDecisionId('sell', BTC, at), 0),
                    market: BTC,
                    strategy: 'market_making',
                    spec: { kind: 'market_sell', volume: held },
                    reason: 'sell',
                  },
                  at,
                  price(new Decimal(50_000_000)),
                );
            }
            const each = all.map((_, leg) =>
              one.placeQuoteUnits(
                decision,
                leg,
                leg < columns.bids ? 'bid' : 'ask',
                columns.won[leg] as number,
                columns.units[leg] as number,
                at,
                facts,
              ),
            );
            const whole = batch.placeQuoteLadder(decision, columns, at, facts);
            const open = (batch as unknown as { pending: PendingOrders }).pending.get(BTC) ?? [];
            layers += open.filter((o) => o instanceof QuoteLayerOrder && o.placedAt === at).length;
            const ok = each.filter((r) => r.ok).length;
            if (ok === each.length) accepted += 1;
            else if (ok === 0) refused += 1;
            else mixed += 1;
            // Undefined exactly when every level was accepted.
            expect(whole === undefined).toBe(ok === each.length);
            a.push(verdicts(each, each.length));
            z.push(verdicts(whole, each.length));
            for (const [b, out] of [
              [one, a],
              [batch, z],
            ] as const) {
              out.push(String(b.openOrders));
              if (step.read) out.push(JSON.stringify(b.commitments()));
              if (!step.keep)
                out.push(JSON.stringify(b.processBar(candle(at + MS.minute, step.bar.low, step.bar.high))));
              out.push(`${b.cash.toFixed()} ${b.fees.toFixed()}`, JSON.stringify(b.allPositions()));
              // holdsIn's count by market against the positions themselves.
              const holds = b.allPositions().some((p) => p.market === BTC && !p.volume.isZero());
              if (b === batch && !holds && b.allPositions().length > 0) soldOut += 1;
              expect(b.holdsIn(BTC)).toBe(holds);
              expect(b.holdsIn(ETH)).toBe(true);
            }
          });
          expect(z).toEqual(a);
        },
      ),
      { seed: 20261206, numRuns: 300 },
    );
    // Ladders wholly accepted, wholly refused, and partly refused (a fallback in the middle).
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
    expect(mixed).toBeGreaterThan(300);
    expect(layers).toBeGreaterThan(1_000);
    // Holdings sold to zero (holdsIn from true to false).
    expect(soldOut).toBeGreaterThan(30);
  });
});
