import fc from 'fast-check';
import { MemoryStateStore } from '../../shared/src/adapters/memory/memory-state-store';
import { recordFill } from '../../shared/src/application/risk/record-fill';
import { isTradingError } from '../../shared/src/domain/errors/trading-error';
import { type Market, parseMarket } from '../../shared/src/domain/market/market-id';
import { type Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { exposureBook } from '../../shared/src/domain/risk/exposure';
import { applyFillToPosition, emptyPosition } from '../../shared/src/domain/risk/position-accounting';
import { fillOf, invariant } from '../../shared/src/domain/risk/testing/risk-builders';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { kstPeriodKey, type LossPeriod } from '../../shared/src/domain/time/kst-calendar';
import type { Fill } from '../../shared/src/domain/trading/fill';
import type { Position } from '../../shared/src/domain/trading/position';
import type { StrategyName } from '../../shared/src/domain/trading/strategy-name';
import { kst } from './risk-test-kit';

const MARKETS: readonly Market[] = [parseMarket('KRW-AAA'), parseMarket('KRW-BBB')];
const STRATEGIES: readonly StrategyName[] = ['market_making', 'stat_arb'];
const START = kst('2026-11-29T22:00:00'); // Sunday night: sequences cross day, week and (rarely) month.
const EQUITY = krw('10000000');

const actionArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('buy' as const),
      key: fc.nat({ max: 3 }),
      price: fc.integer({ min: 1_000, max: 9_999_999 }),
      units: fc.integer({ min: 1, max: 50_000_000 }), // 1e-8 volume units
      maker: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sell' as const),
      key: fc.nat({ max: 3 }),
      price: fc.integer({ min: 1_000, max: 9_999_999 }),
      // Share of the holding to sell, in 1/1000; above 1000 is an oversell attempt.
      permille: fc.oneof(
        fc.integer({ min: 1, max: 1000 }),
        fc.constant(1000),
        fc.integer({ min: 1001, max: 2000 }),
      ),
      maker: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 0, max: 30 * 3_600_000 }),
    }),
  },
);

function keyOf(i: number): { market: Market; strategy: StrategyName } {
  return { market: MARKETS[i % 2] as Market, strategy: STRATEGIES[Math.floor(i / 2) % 2] as StrategyName };
}

function feeOf(p: Decimal, v: Decimal, maker: boolean): string {
  return p
    .times(v)
    .times(maker ? '0.00025' : '0.0005')
    .toFixed();
}

/** Replays fills through the accounting from scratch. */
function replay(fills: readonly Fill[]): Map<string, Position> {
  const out = new Map<string, Position>();
  for (const f of fills) {
    const k = `${f.market}#${f.strategy}`;
    out.set(k, applyFillToPosition(out.get(k) ?? emptyPosition(f.market, f.strategy, f.at), f).position);
  }
  return out;
}

describe('exposure accounting never drifts from the sum of fills (property, through recordFill)', () => {
  it('positions, exposure and the KST ledgers always equal a replay of the stored fills', async () => {
    let oversells = 0;
    let duplicates = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 12 }), async (actions) => {
        const store = new MemoryStateStore();
        let now = START as number;
        const applied: Fill[] = [];
        const periodKeys = new Set<string>();
        for (const a of actions) {
          if (a.kind === 'wait') {
            now += a.ms;
            continue;
          }
          if (a.kind === 'replay') {
            const f = applied[a.pick % Math.max(1, applied.length)];
            if (f === undefined) continue;
            const r = await recordFill(store, f, EQUITY);
            invariant(r.outcome === 'duplicate', 'a replayed fill is a duplicate');
            duplicates += 1;
          } else {
            const { market, strategy } = keyOf(a.key);
            const held = (await store.getPosition(market, strategy))?.volume ?? ZERO;
            const vol =
              a.kind === 'buy'
                ? (a.units / 1e8).toFixed(8)
                : held.times(a.permille).div(1000).toDecimalPlaces(8).toFixed();
            if (a.kind === 'sell' && !(Number(vol) > 0)) continue;
            const p = String(a.price);
            const fill = fillOf({
              market,
              strategy,
              side: a.kind === 'buy' ? 'bid' : 'ask',
              price: p,
              volume: vol,
              fee: feeOf(krw(p), krw(vol), a.maker),
              at: now as EpochMs,
            });
            try {
              await recordFill(store, fill, EQUITY);
              applied.push(fill);
              for (const period of ['day', 'week', 'month'] as LossPeriod[])
                periodKeys.add(kstPeriodKey(period, fill.at));
            } catch (error) {
              invariant(
                isTradingError(error, 'fatal') && error.code === 'oversold_position',
                'only oversells fail',
              );
              invariant(krw(vol).gt(held), 'an oversell really was larger than the holding');
              oversells += 1;
            }
          }
          // After every step: the store equals a from-scratch replay of its own fills…
          const fills = await store.listFills({ from: 0 as EpochMs, to: Number.MAX_SAFE_INTEGER as EpochMs });
          invariant(fills.length === applied.length, 'every applied fill is stored exactly once');
          const storedIds = new Set(fills.map((f) => f.fillId));
          invariant(
            applied.every((f) => storedIds.has(f.fillId)),
            'the journal holds exactly the applied fills',
          );
          // Replayed in booking order: the journal lists same-millisecond fills by id, not by arrival.
          const expected = replay(applied);
          const positions = await store.listPositions();
          for (const pos of positions) {
            const e = expected.get(`${pos.market}#${pos.strategy}`);
            invariant(e !== undefined, 'no position without fills');
            invariant(pos.volume.eq(e?.volume ?? ZERO), 'volume = Σ bought − Σ sold');
            invariant(pos.cost.eq(e?.cost ?? ZERO), 'cost = replayed average cost');
            invariant(pos.realizedPnl.eq(e?.realizedPnl ?? ZERO), 'realised = replayed realised');
            invariant(!pos.volume.isNegative(), 'spot only');
          }
          // …cost − realised equals Σ purchases (incl. fee) − Σ proceeds (net of fee), to the last digit…
          let flow: Decimal = ZERO;
          let fees: Decimal = ZERO;
          for (const f of fills) {
            const value = f.price.times(f.volume);
            flow = f.side === 'bid' ? flow.plus(value).plus(f.fee) : flow.minus(value.minus(f.fee));
            fees = fees.plus(f.fee);
          }
          let costs: Decimal = ZERO;
          let realized: Decimal = ZERO;
          for (const pos of positions) {
            costs = costs.plus(pos.cost);
            realized = realized.plus(pos.realizedPnl);
          }
          invariant(costs.minus(realized).eq(flow), 'cost − realised = net cash paid into positions');
          invariant(exposureBook(positions, []).total.eq(costs), 'exposure = Σ cost of holdings');
          // …and each loss-ledger period holds exactly the realised PnL and fees of its fills.
          for (const period of ['day', 'week', 'month'] as LossPeriod[]) {
            let r: Decimal = ZERO;
            let fe: Decimal = ZERO;
            let n = 0;
            for (const key of periodKeys) {
              const entry = await store.getLedgerEntry(key);
              if (entry?.period !== period) continue;
              r = r.plus(entry.realizedPnl);
              fe = fe.plus(entry.fees);
              n += entry.fills;
            }
            invariant(r.eq(realized), `${period} ledgers sum to the realised PnL`);
            invariant(fe.eq(fees), `${period} ledgers sum to the fees`);
            invariant(n === fills.length, `${period} ledgers count every fill once`);
          }
        }
      }),
      { numRuns: 10_000 },
    );
    expect(oversells).toBeGreaterThan(0);
    expect(duplicates).toBeGreaterThan(0);
  });
});
