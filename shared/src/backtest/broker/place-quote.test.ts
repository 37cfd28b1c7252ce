import fc from 'fast-check';
import { draftOfPlanned, quoteOrderReason, reasonOf } from '../../domain/ensemble/order-plan';
import type { Candle } from '../../domain/market/market-data';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { fixedText } from '../../domain/money/decimal-text';
import { decimalOfUnits, numberOf } from '../../domain/money/decimal-units';
import { krw, type Price, price, type Volume, volume } from '../../domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { validateOrder } from '../../domain/orders/validate-order';
import { BTC, T0 } from '../../domain/risk/testing/risk-builders';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { QuoteLevel } from '../../domain/trading/decision';
import { SimulatedBroker } from './simulated-broker';
import { quoteDecisionOf } from './testing/quote-decision';

const rules = KRW_MARKET_RULES;

const levelArb = fc.record({
  bid: fc.boolean(),
  // Around 50,000,000 on its 1,000-won grid; sometimes off the grid (the exchange refuses it).
  // Sometimes a few ticks from the open (a layer on the synthetic book's bid or ask: a tie).
  ticks: fc.oneof(fc.integer({ min: 49_000, max: 51_000 }), fc.integer({ min: 49_998, max: 50_002 })),
  offGrid: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9 })),
  // 1e-8 units: from below the 5,000 KRW minimum to a few million won.
  units: fc.integer({ min: 1_000, max: 8_000_000 }),
  // The lazy broker's level as new decimals of the same value (no remembered validation verdict).
  fresh: fc.boolean(),
});

const barArb = fc.record({
  open: fc.oneof(fc.integer({ min: 49_000, max: 51_000 }), fc.constant(50_000)),
  low: fc.integer({ min: 0, max: 1_500 }),
  high: fc.integer({ min: 0, max: 1_500 }),
  volume: fc.integer({ min: 0, max: 50 }),
  // A thin bar (volume / 1,000): our layers share what traded beyond them (best price first).
  thin: fc.boolean(),
});

const stepArb = fc.record({
  levels: fc.array(levelArb, { minLength: 1, maxLength: 10 }),
  bar: barArb,
  commitments: fc.boolean(),
  // 0: every order of the market is cancelled before the bar (cancelAll ends them instead).
  cancel: fc.integer({ min: 0, max: 4 }),
});

function candle(at: number, b: Bar): Candle {
  const open = b.open * 1_000;
  return {
    market: BTC,
    timeframe: '1m',
    openTime: at as EpochMs,
    open,
    high: open + b.high * 1_000,
    low: open - b.low * 1_000,
    close: open,
    volume: b.thin ? b.volume / 1_000 : b.volume,
    quoteVolume: (b.thin ? b.volume / 1_000 : b.volume) * open,
  };
}

type Bar = { open: number; low: number; high: number; volume: number; thin: boolean };

describe('SimulatedBroker.placeQuote', () => {
  it('places, fills and rejects a quote layer exactly as place does with the planned texts', () => {
    let lazyTexts = 0;
    let withFacts = 0;
    let placedAsUnits = 0;
    let unitFills = 0;
    // Resting fills of layers placed as integers that take part of a layer (fillsFromBar's floor on
    // 1e-8 units) and that take all of it (the layer's own units); both on FeeRate's integer fee.
    let partialUnitFills = 0;
    let wholeUnitFills = 0;
    let reusedLayers = 0;
    // Fills whose price, volume and fee the trade list may keep as units (SimFill's FillUnits).
    let keptAsUnits = 0;
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        (steps, capitalMillions) => {
          const capital = krw(new Decimal(capitalMillions * 250_000));
          const eager = new SimulatedBroker(capital, rules, 5, () => 0.5);
          const lazy = new SimulatedBroker(capital, rules, 5, () => 0.5);
          // The ladder path's facts handed along for every level the exchange validation accepts.
          const known = new SimulatedBroker(capital, rules, 5, () => 0.5);
          // Whole-won levels placed as integers (placeQuoteUnits) with the same facts.
          const units = new SimulatedBroker(capital, rules, 5, () => 0.5);
          const k: string[] = [];
          const u: string[] = [];
          const unitsOfLayer = new Map<string, number>();
          const trace = (b: SimulatedBroker, out: string[]) => {
            out.push(`${b.cash.toFixed()} ${b.fees.toFixed()}`);
            out.push(JSON.stringify(b.allPositions()));
          };
          const a: string[] = [];
          const z: string[] = [];
          steps.forEach((step, s) => {
            const at = (T0 + s * MS.minute) as EpochMs;
            const levels: QuoteLevel[] = step.levels.map((l) => ({
              side: l.bid ? 'bid' : 'ask',
              price: price(new Decimal(l.ticks * 1_000 + l.offGrid)),
              volume: volume(new Decimal(l.units).div(1e8)),
            }));
            const decision = quoteDecisionOf(at, levels);
            const reason = reasonOf(decision);
            const ref = price(new Decimal(50_000_000));
            levels.forEach((l, leg) => {
              const spec = {
                kind: 'limit',
                side: l.side,
                price: l.price,
                volume: l.volume,
                postOnly: true,
              } as const;
              const identifier = orderIdentifier(decision.id, leg);
              const r = eager.place(
                {
                  identifier,
                  market: BTC,
                  strategy: 'market_making',
                  spec,
                  reason: quoteOrderReason(l.side, leg, reason),
                  decisionId: decision.id,
                },
                at,
                ref,
              );
              a.push(JSON.stringify(r));
              const own = (step.levels[leg] as { fresh: boolean }).fresh
                ? {
                    side: l.side,
                    price: price(new Decimal(l.price.toFixed())) as Price,
                    volume: volume(new Decimal(l.volume.toFixed())) as Volume,
                  }
                : l;
              z.push(JSON.stringify(lazy.placeQuote(decision, leg, own, at)));
              const facts = {
                rules,
                at,
                prices: levels.map((x) => numberOf(x.price)),
                volumes: levels.map((x) => numberOf(x.volume)),
              };
              const valid = validateOrder(draftOfPlanned(BTC, spec), rules, at).ok;
              if (valid) withFacts += 1;
              // A level the validation refuses comes with facts for other rules or another
              // instant (or none): the broker must not take them for its own.
              const stale =
                leg % 3 === 0
                  ? undefined
                  : leg % 3 === 1
                    ? { ...facts, rules: { ...rules } }
                    : { ...facts, at: (at + 1) as EpochMs };
              k.push(JSON.stringify(known.placeQuote(decision, leg, l, at, valid ? facts : stale)));
              const level = step.levels[leg] as { offGrid: number; ticks: number; units: number };
              if (level.offGrid === 0 && valid) {
                placedAsUnits += 1;
                unitsOfLayer.set(orderIdentifier(decision.id, leg), level.units);
                // A layer a bar or a cancel ended is reused for this one (see endedLayers).
                if ((units as unknown as { endedLayers: readonly unknown[] }).endedLayers.length > 0)
                  reusedLayers += 1;
                u.push(
                  JSON.stringify(
                    units.placeQuoteUnits(decision, leg, l.side, level.ticks * 1_000, level.units, at, facts),
                  ),
                );
              } else u.push(JSON.stringify(units.placeQuote(decision, leg, l, at, valid ? facts : stale)));
            });
            if (step.commitments) {
              a.push(JSON.stringify(eager.commitments()));
              z.push(JSON.stringify(lazy.commitments()));
              k.push(JSON.stringify(known.commitments()));
              u.push(JSON.stringify(units.commitments()));
            }
            if (step.cancel === 0) for (const b of [eager, lazy, known, units]) b.cancelAll(BTC);
            const bar = candle(at + MS.minute, step.bar);
            const fa = eager.processBar(bar);
            const fz = lazy.processBar(bar);
            a.push(JSON.stringify(fa));
            z.push(JSON.stringify(fz));
            k.push(JSON.stringify(known.processBar(bar)));
            const fu = units.processBar(bar);
            u.push(JSON.stringify(fu));
            unitFills += fu.fills.length;
            for (const f of [...fa.fills, ...fz.fills, ...fu.fills]) {
              if (Number.isNaN(f.priceWon)) continue;
              keptAsUnits += 1;
              expect(sameDecimal(decimalOfUnits(f.priceWon, 0), f.fill.price)).toBe(true);
              expect(sameDecimal(decimalOfUnits(f.volumeUnits, 8), f.fill.volume)).toBe(true);
              if (!Number.isNaN(f.feeUnits))
                expect(sameDecimal(decimalOfUnits(f.feeUnits, f.feeScale), f.fill.fee)).toBe(true);
            }
            for (const f of fu.fills) {
              const placed = unitsOfLayer.get(f.fill.identifier);
              if (placed === undefined || !f.fill.isMaker) continue;
              if (Math.round(numberOf(f.fill.volume) * 1e8) < placed) partialUnitFills += 1;
              else wholeUnitFills += 1;
            }
            lazyTexts += fz.fills.length + fz.rejections.length;
            trace(eager, a);
            trace(lazy, z);
            trace(known, k);
            trace(units, u);
          });
          expect(z).toEqual(a);
          expect(k).toEqual(a);
          expect(u).toEqual(a);
        },
      ),
      { numRuns: 400 },
    );
    // Fills and rejections read the lazily made texts.
    expect(lazyTexts).toBeGreaterThan(100);
    expect(withFacts).toBeGreaterThan(300);
    // Layers placed as integers, and fills among their bars.
    expect(placedAsUnits).toBeGreaterThan(300);
    expect(unitFills).toBeGreaterThan(50);
    expect(partialUnitFills).toBeGreaterThan(30);
    expect(wholeUnitFills).toBeGreaterThan(30);
    // Layers that reuse an ended one, whose texts, decimals and commitment must not leak.
    expect(reusedLayers).toBeGreaterThan(100);
    expect(keptAsUnits).toBeGreaterThan(50);
  });

  it('places an ask as integers exactly when the strategy holds its units unoffered', () => {
    const at = T0 as EpochMs;
    for (const extra of [-1, 0, 1]) {
      const brokers = [0, 1].map(
        () => new SimulatedBroker(krw(new Decimal(10_000_000)), rules, 0, () => 0.5),
      );
      const out = brokers.map((b, i) => {
        // A holding from a market buy filled at the next bar's open.
        b.place(
          {
            identifier: orderIdentifier(makeDecisionId('buy', BTC, at), 0),
            market: BTC,
            strategy: 'market_making',
            spec: { kind: 'market_buy', amount: krw(new Decimal(1_000_000)) },
            reason: 'buy',
          },
          at,
          price(new Decimal(50_000_000)),
        );
        b.processBar(candle(at + MS.minute, { open: 50_000, low: 0, high: 0, volume: 1, thin: false }));
        const now = (at + 2 * MS.minute) as EpochMs;
        const held = Math.round(numberOf(b.positionOf(BTC, 'market_making', now).volume) * 1e8);
        // Two asks: the first takes half the holding, the second the rest plus `extra` units.
        const halves = [Math.floor(held / 2), held - Math.floor(held / 2) + extra];
        const levels: QuoteLevel[] = halves.map((u, leg) => ({
          side: 'ask',
          price: price(new Decimal(50_100_000 + leg * 1_000)),
          volume: volume(new Decimal(u).div(1e8)),
        }));
        const decision = quoteDecisionOf(now, levels);
        const facts = {
          rules,
          at: now,
          prices: levels.map((x) => numberOf(x.price)),
          volumes: levels.map((x) => numberOf(x.volume)),
        };
        return levels.map((l, leg) =>
          JSON.stringify(
            i === 0
              ? b.placeQuote(decision, leg, l, now, facts)
              : b.placeQuoteUnits(
                  decision,
                  leg,
                  'ask',
                  50_100_000 + leg * 1_000,
                  halves[leg] as number,
                  now,
                  facts,
                ),
          ),
        );
      });
      expect(out[1]).toEqual(out[0]);
      // Above the holding by one unit, the second ask is refused; at or below it, accepted.
      expect((out[0] as string[])[1]).toContain(extra > 0 ? 'insufficient_funds_ask' : '"ok":true');
    }
  });
});

/** The same decimal: equal value and the same text (and so the same layout). */
function sameDecimal(x: Decimal, y: Decimal): boolean {
  return x.eq(y) && fixedText(x) === fixedText(y) && x.toString() === y.toString();
}
