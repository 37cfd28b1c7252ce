import fc from 'fast-check';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import { KRW_MARKET_RULES } from '../../domain/market/market-rules';
import { Decimal } from '../../domain/money/decimal';
import { approximately, unitsOf } from '../../domain/money/decimal-units';
import { type Krw, krw, price, volume } from '../../domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../domain/orders/identifiers';
import { exposureBook, openPositionMarkets, sellableVolume } from '../../domain/risk/exposure';
import { BTC, ETH, T0 } from '../../domain/risk/testing/risk-builders';
import { type EpochMs, MS } from '../../domain/time/epoch';
import type { Decision, QuoteLevel } from '../../domain/trading/decision';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import { SimulatedBroker } from './simulated-broker';

const rules = KRW_MARKET_RULES;
const MARKETS = [BTC, ETH] as const;
const MID = { [BTC]: 50_000_000, [ETH]: 4_000_000 } as Record<Market, number>;
const STRATEGIES: readonly StrategyName[] = ['market_making', 'momentum_scalping'];

const orderArb = fc.record({
  market: fc.integer({ min: 0, max: 1 }),
  strategy: fc.integer({ min: 0, max: 1 }),
  // 0 a post-only quote layer (placeQuote: a lazy lock when it surely fits), 1 a limit order through
  // place, 2 a market buy, 3 a market sell.
  kind: fc.integer({ min: 0, max: 3 }),
  bid: fc.boolean(),
  ticks: fc.integer({ min: -30, max: 30 }),
  units: fc.integer({ min: 1_000, max: 5_000_000 }),
});

const stepArb = fc.record({
  orders: fc.array(orderArb, { minLength: 0, maxLength: 12 }),
  // Which markets run a bar (fills: positions, partly sold holdings, flat positions).
  bars: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
  drop: fc.integer({ min: 0, max: 1_500 }),
  rise: fc.integer({ min: 0, max: 1_500 }),
  // Read the exact commitments (materialising the lazy locks) before comparing again.
  materialise: fc.boolean(),
});

function candle(market: Market, at: number, drop: number, rise: number): Candle {
  const open = MID[market] as number;
  const step = open / 50_000;
  return {
    market,
    timeframe: '1m',
    openTime: at as EpochMs,
    open,
    high: open + rise * step,
    low: open - drop * step,
    close: open,
    volume: 40,
    quoteVolume: 40 * open,
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
    signals: [{ strategy: 'market_making', score: 0, weight: 1, reason: 'q' }],
  };
}

/** The ladder's books read from the broker, held to the risk engine's exact books over the same state. */
function compare(b: SimulatedBroker, seen: Set<string>): void {
  // The broker's own reads first: reading commitments() builds the lazy locks.
  const openOrders = b.openOrders;
  const reads = MARKETS.flatMap((m) =>
    STRATEGIES.map((s) => ({ m, s, exposure: b.exposure(s, m), sellable: b.sellableUnits(m, s) })),
  );
  const dust = krw('5000');
  const open = b.openMarkets(dust);
  const positions = b.allPositions();
  const commitments = b.commitments();
  expect(openOrders).toBe(commitments.length);
  expect([...open].sort()).toEqual([...openPositionMarkets(positions, commitments, dust)].sort());
  const book = exposureBook(positions, commitments);
  const close = (x: number, exact: number) => {
    expect(Math.abs(x - exact)).toBeLessThanOrEqual(1e-13 * Math.abs(exact));
  };
  for (const { m, s, exposure, sellable } of reads) {
    if (exposure === undefined) throw new Error('the books gave no exposure');
    close(exposure.total, approximately(book.total));
    const own = book.byStrategy.get(s);
    close(exposure.strategy, own === undefined ? 0 : approximately(own));
    const inMarket = book.byMarket.get(m);
    close(exposure.market, inMarket === undefined ? 0 : approximately(inMarket));
    expect(sellable).toBe(unitsOf(sellableVolume(positions, commitments, m, s), 8));
    if (exposure.market > 0) seen.add('market exposure');
    if ((sellable ?? 0) > 0) seen.add('sellable');
  }
  if (open.size > 0) seen.add('open markets');
}

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

/** One order of `strategy`, leg `leg` of a decision of `scope` at `at`, placed at the market's mid. */
function placeAtMid(
  b: SimulatedBroker,
  scope: string,
  market: Market,
  strategy: StrategyName,
  leg: number,
  spec: Parameters<SimulatedBroker['place']>[0]['spec'],
  at: EpochMs,
): void {
  const decisionId = makeDecisionId(scope, market, at);
  b.place(
    { identifier: orderIdentifier(decisionId, leg), market, strategy, spec, reason: 'r', decisionId },
    at,
    price(new Decimal(MID[market] as number)),
  );
}

/** Places each step's orders on a fresh broker, runs its bars, and hands the broker to `check` after each stage. */
function runSteps(
  steps: readonly Step[],
  m: number,
  make: (capital: Krw) => SimulatedBroker,
  check: (b: SimulatedBroker) => void,
): void {
  const b = make(krw(new Decimal(m * 500_000)));
  steps.forEach((step, s) => {
    const at = (T0 + s * MS.minute) as EpochMs;
    for (let market = 0; market < MARKETS.length; market++) {
      const mk = MARKETS[market] as Market;
      const orders = step.orders.filter((o) => o.market === market);
      const levels: QuoteLevel[] = orders
        .filter((o) => o.kind === 0)
        .map((o) => {
          const tick = 1_000;
          const px =
            (MID[mk] as number) + (o.bid ? -1 : 1) * Math.abs(o.ticks) * tick + (o.bid ? -tick : tick);
          return {
            side: o.bid ? 'bid' : 'ask',
            price: price(new Decimal(px)),
            volume: volume(new Decimal(o.units).div(1e8)),
          };
        });
      const decision = decisionOf(mk, at, levels);
      for (let leg = 0; leg < levels.length; leg++)
        b.placeQuote(decision, leg, levels[leg] as QuoteLevel, at);
      orders
        .filter((o) => o.kind !== 0)
        .forEach((o, leg) => {
          const strategy = STRATEGIES[o.strategy] as StrategyName;
          const vol = volume(new Decimal(o.units).div(1e8));
          const px = price(new Decimal((MID[mk] as number) + o.ticks * 1_000));
          const spec =
            o.kind === 1
              ? ({
                  kind: 'limit',
                  side: o.bid ? 'bid' : 'ask',
                  price: px,
                  volume: vol,
                  postOnly: false,
                } as const)
              : o.kind === 2
                ? ({
                    kind: 'market_buy',
                    amount: krw(new Decimal(o.units).div(100).plus(5_000)),
                  } as const)
                : ({ kind: 'market_sell', volume: vol } as const);
          placeAtMid(b, 'x', mk, strategy, leg, spec, at);
        });
    }
    check(b);
    if (step.materialise) {
      b.commitments();
      check(b);
    }
    MARKETS.forEach((mk, i) => {
      if (step.bars[i]) b.processBar(candle(mk, at + MS.minute, step.drop, step.rise));
    });
    check(b);
  });
}

describe('the broker as LadderBooks', () => {
  it('property: open orders, exposure, open markets and sellable units are those of its commitments', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        (steps, m) => {
          runSteps(
            steps,
            m,
            (capital) => new SimulatedBroker(capital, rules, 5, () => 0.5),
            (b) => compare(b, seen),
          );
        },
      ),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(['market exposure', 'open markets', 'sellable']);
  });
});

/** The broker as it read its books before the held-position list: every position, flat ones skipped in each sum. */
class EveryPositionBroker extends SimulatedBroker {
  override heldPositions(): readonly Position[] {
    return this.allPositions();
  }
}

/** What the ladder and the step read from the books, with every double and the set's order as they are. */
function reads(b: SimulatedBroker): unknown[] {
  const out: unknown[] = [];
  for (const m of MARKETS)
    for (const s of STRATEGIES) {
      const e = b.exposure(s, m);
      out.push(e === undefined ? 'none' : [e.total, e.strategy, e.market]);
    }
  out.push([...b.openMarkets(krw('5000'))], [...b.openMarkets(krw('0.00000001'))]);
  out.push(b.equity((m) => price(new Decimal((MID[m] as number) + 1_234.5))).toString());
  return out;
}

/**
 * `read` after each stage, then every `every`-th stage a market sell of the first held position's
 * whole volume (its market's next bar runs it): flat positions beside held ones, which the steps'
 * partial sells seldom leave.
 */
function flattening(every: number, read: (b: SimulatedBroker) => void): (b: SimulatedBroker) => void {
  let stage = 0;
  return (b) => {
    read(b);
    stage++;
    if (stage % every !== 0) return;
    const p = b.allPositions().find((q) => !q.volume.isZero());
    if (p === undefined || p.strategy === 'operator') return;
    const at = (T0 + stage * MS.minute) as EpochMs;
    placeAtMid(b, 'flat', p.market, p.strategy, 0, { kind: 'market_sell', volume: p.volume }, at);
  };
}

describe('the broker reads its books over the positions holding volume', () => {
  it('property: exposure, open markets and equity equal the reads over every position, bit for bit', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (steps, m, every) => {
          const fast: unknown[] = [];
          const reference: unknown[] = [];
          const make = (capital: Krw) => new SimulatedBroker(capital, rules, 5, () => 0.5);
          const check = (b: SimulatedBroker) => {
            fast.push(reads(b));
            const held = b.heldPositions();
            const all = b.allPositions();
            expect(held).toEqual(all.filter((p) => !p.volume.isZero()));
            if (held.length > 0 && held.length < all.length) seen.add('flat beside held');
            if (held.length >= 2) seen.add('two held');
          };
          runSteps(steps, m, make, flattening(every, check));
          const makeEvery = (capital: Krw) => new EveryPositionBroker(capital, rules, 5, () => 0.5);
          runSteps(
            steps,
            m,
            makeEvery,
            flattening(every, (b) => reference.push(reads(b))),
          );
          expect(fast).toEqual(reference);
        },
      ),
      { seed: 20261206, numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(['flat beside held', 'two held']);
  });
});
