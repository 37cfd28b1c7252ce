import fc from 'fast-check';
import { quoteOrderReason, reasonOf } from '../../domain/ensemble/order-plan';
import type { Candle, Trade } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { krw, price, volume } from '../../domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { BTC, ETH, T0 } from '../../domain/risk/testing/risk-builders';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../domain/trading/decision';
import type { SimOrderSpec } from './sim-order';
import { SimulatedBroker } from './simulated-broker';

// Quote layers resting as columns (placeQuote) against the same layers placed as complete orders
// (place, the path every order took before the columns): every verdict, commitment, fill,
// rejection, cash, fee and position must be equal, across two markets, with other orders joining a
// market before and after its layers, cancels, reads of the book between placements and bars with
// a recorded tape.

const rules = KRW_MARKET_RULES;
const MARKETS: readonly Market[] = [BTC, ETH];

const levelArb = fc.record({
  bid: fc.boolean(),
  ticks: fc.integer({ min: 49_000, max: 51_000 }),
  offGrid: fc.constantFrom(0, 0, 0, 7),
  units: fc.integer({ min: 1_000, max: 8_000_000 }),
});

// Mostly null: most bars of a quoting market meet only its layers.
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: arb, weight: 1 });
}

const marketStepArb = fc.record({
  levels: fc.array(levelArb, { minLength: 0, maxLength: 10 }),
  // Another order of the strategy in the market: a market sell before the layers, a limit bid after.
  sellBefore: rarely(fc.integer({ min: 1_000, max: 4_000_000 })),
  bidAfter: rarely(fc.integer({ min: 49_000, max: 51_000 })),
  readMidway: fc.boolean(),
  cancel: fc.integer({ min: 0, max: 9 }),
  open: fc.integer({ min: 49_000, max: 51_000 }),
  low: fc.integer({ min: 0, max: 1_500 }),
  high: fc.integer({ min: 0, max: 1_500 }),
  volume: fc.integer({ min: 0, max: 50 }),
  tape: rarely(fc.array(fc.tuple(fc.integer({ min: 48_500, max: 51_500 }), fc.boolean()), { maxLength: 6 })),
});

type MarketStep = typeof marketStepArb extends fc.Arbitrary<infer T> ? T : never;

function candle(market: Market, at: number, s: MarketStep): Candle {
  const open = s.open * 1_000;
  return {
    market,
    timeframe: '1m',
    openTime: at as EpochMs,
    open,
    high: open + s.high * 1_000,
    low: open - s.low * 1_000,
    close: open,
    // 0 to 0.25 BTC: layers (up to 0.08 BTC each) often share too little volume and fill in part.
    volume: s.volume / 200,
    quoteVolume: (s.volume / 200) * open,
  };
}

function tapeOf(market: Market, at: number, s: MarketStep): { trades: Trade[] } | undefined {
  if (s.tape === null) return undefined;
  return {
    trades: s.tape.map(([p, buy], i) => ({
      market,
      timestamp: (at + i) as EpochMs,
      price: p * 1_000,
      volume: 0.05,
      takerSide: buy ? 'bid' : 'ask',
      sequentialId: `${at}-${i}`,
    })),
  };
}

function decisionOf(market: Market, at: EpochMs, levels: readonly QuoteLevel[]): Decision {
  return {
    id: makeDecisionId('mmq', market, at),
    market,
    createdAt: at,
    expiresAt: (at + MS.minute) as EpochMs,
    source: 'market_making',
    strategy: 'market_making',
    intent: { kind: 'quotes', levels },
    signals: [{ strategy: 'market_making', score: 0, weight: 1, reason: `quotes at ${at}` }],
  };
}

describe('SimulatedBroker quote columns', () => {
  it('give every verdict, commitment, fill and balance that complete orders give', () => {
    let quoteBars = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(marketStepArb, marketStepArb), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        (steps, capitalMillions) => {
          const capital = krw(new Decimal(capitalMillions * 250_000));
          const eager = new SimulatedBroker(capital, rules, 5, () => 0.5);
          const lazy = new SimulatedBroker(capital, rules, 5, () => 0.5);
          const a: string[] = [];
          const z: string[] = [];
          const both = (f: (b: SimulatedBroker) => unknown) => {
            a.push(JSON.stringify(f(eager)));
            z.push(JSON.stringify(f(lazy)));
          };
          const ref = price(new Decimal(50_000_000));
          steps.forEach((pair, s) => {
            const at = (T0 + s * MS.minute) as EpochMs;
            pair.forEach((step, m) => {
              const market = MARKETS[m] as Market;
              const other = (leg: number, spec: SimOrderSpec, why: string) => ({
                identifier: orderIdentifier(makeDecisionId('other', market, at), leg),
                market,
                strategy: 'market_making' as const,
                spec,
                reason: why,
              });
              if (step.sellBefore !== null) {
                const spec: SimOrderSpec = {
                  kind: 'market_sell',
                  volume: volume(new Decimal(step.sellBefore).div(1e8)),
                };
                both((b) => b.place(other(0, spec, 'sell'), at, ref));
              }
              const levels: QuoteLevel[] = step.levels.map((l) => ({
                side: l.bid ? 'bid' : 'ask',
                price: price(new Decimal(l.ticks * 1_000 + l.offGrid)),
                volume: volume(new Decimal(l.units).div(1e8)),
              }));
              const decision = decisionOf(market, at, levels);
              const reason = reasonOf(decision);
              levels.forEach((l, leg) => {
                const spec = {
                  kind: 'limit',
                  side: l.side,
                  price: l.price,
                  volume: l.volume,
                  postOnly: true,
                } as const;
                const request = {
                  identifier: orderIdentifier(decision.id, leg),
                  market,
                  strategy: 'market_making' as const,
                  spec,
                  reason: quoteOrderReason(l.side, leg, reason),
                  decisionId: decision.id,
                };
                a.push(JSON.stringify(eager.place(request, at, ref)));
                z.push(JSON.stringify(lazy.placeQuote(decision, leg, l, at)));
                if (step.readMidway && leg === 1) both((b) => b.commitments());
              });
              if (step.bidAfter !== null) {
                const spec: SimOrderSpec = {
                  kind: 'limit',
                  side: 'bid',
                  price: price(new Decimal(step.bidAfter * 1_000)),
                  volume: volume(new Decimal('0.001')),
                  postOnly: false,
                };
                both((b) => b.place(other(1, spec, 'bid'), at, ref));
              }
              both((b) => b.hasPending(market));
            });
            pair.forEach((step, m) => {
              const market = MARKETS[m] as Market;
              if (step.cancel === 0) both((b) => b.cancelAll(market));
              const bar = candle(market, at + MS.minute, step);
              const tape = tapeOf(market, at + MS.minute, step);
              if (step.levels.length > 0 && step.sellBefore === null && tape === undefined) quoteBars += 1;
              both((b) => b.processBar(bar, tape));
              both((b) => [b.cash.toFixed(), b.fees.toFixed(), b.allPositions()]);
            });
            both((b) => b.commitments());
          });
          expect(z).toEqual(a);
        },
      ),
      { numRuns: 300 },
    );
    expect(quoteBars).toBeGreaterThan(200);
  });
});
