import fc from 'fast-check';
import { parseMarket } from '../market/market-id';
import { Decimal } from '../money/decimal';
import { krw, volume } from '../money/quantities';
import { parseDecisionId } from '../orders/identifiers';
import type { Position } from '../trading/position';
import type { StrategyName } from '../trading/strategy-name';
import {
  addCommitment,
  type Commitment,
  exposureBook,
  type MutableBook,
  sellableVolume,
  withCommitment,
} from './exposure';
import { emptyPosition } from './position-accounting';
import { T0 } from './testing/risk-builders';

/*
 * Audit (issue 16 follow-up): the exposure book (which reuses the new total object for a market or
 * strategy entry that was the total) and the sellable volume, against plain per-key BigInt sums.
 * Amounts are drawn from a small pool of shared Decimal objects, so equal objects land under
 * different markets and strategies: the identity shortcut must never credit one key with another's.
 */

const RUNS = { seed: 20261205, numRuns: 1000 } as const;
const MARKETS = ['KRW-BTC', 'KRW-ETH', 'KRW-XRP'].map(parseMarket);
const STRATEGIES: readonly (StrategyName | 'operator')[] = ['momentum_scalping', 'market_making', 'operator'];
const SCALE = 30;

function big(d: Decimal): bigint {
  const [int = '0', frac = ''] = d.abs().toFixed(SCALE).split('.');
  const n = BigInt(int) * 10n ** BigInt(SCALE) + BigInt(frac.padEnd(SCALE, '0'));
  return d.isNegative() ? -n : n;
}

const amountText = fc.oneof(
  fc.constantFrom('0', '0.00000001', '5000', '5002.5', '1000000000'),
  fc.bigInt({ min: 1n, max: 10n ** 30n }).map((n) => new Decimal(`${n}e-18`).toFixed()),
);
const item = fc.record({
  m: fc.nat(MARKETS.length - 1),
  s: fc.nat(STRATEGIES.length - 1),
  a: fc.nat(4),
  v: fc.nat(4),
  ask: fc.boolean(),
});

describe('audit: exposure sums and sellable volume', () => {
  it('every entry of the book (built at once, by withCommitment, in place) is its exact per-key sum', () => {
    fc.assert(
      fc.property(
        fc.array(amountText, { minLength: 5, maxLength: 5 }),
        fc.array(item, { maxLength: 8 }),
        fc.array(item, { maxLength: 8 }),
        (texts, ps, cs) => {
          const pool = texts.map((t) => new Decimal(t));
          const positions: Position[] = ps.map((p) => ({
            ...emptyPosition(MARKETS[p.m] as never, STRATEGIES[p.s] as never, T0),
            volume: volume(pool[p.v] as Decimal),
            cost: krw(pool[p.a] as Decimal),
          }));
          const commitments: Commitment[] = cs.map((c) => ({
            market: MARKETS[c.m] as never,
            strategy: STRATEGIES[c.s] as never,
            decisionId: parseDecisionId('audit'),
            side: c.ask ? 'ask' : 'bid',
            lockedKrw: krw(c.ask ? new Decimal(0) : (pool[c.a] as Decimal)),
            remainingVolume: volume(c.ask ? (pool[c.v] as Decimal) : new Decimal(0)),
          }));
          const want = { total: 0n, m: new Map<string, bigint>(), s: new Map<string, bigint>() };
          const add = (market: string, strategy: string, x: bigint) => {
            want.total += x;
            want.m.set(market, (want.m.get(market) ?? 0n) + x);
            want.s.set(strategy, (want.s.get(strategy) ?? 0n) + x);
          };
          for (const p of positions) if (!p.volume.isZero()) add(p.market, p.strategy, big(p.cost));
          for (const c of commitments) if (!c.lockedKrw.isZero()) add(c.market, c.strategy, big(c.lockedKrw));

          let stepwise = exposureBook(positions, []);
          const inPlace: MutableBook = {
            total: stepwise.total,
            byMarket: new Map(stepwise.byMarket),
            byStrategy: new Map(stepwise.byStrategy),
          };
          for (const c of commitments) {
            stepwise = withCommitment(stepwise, c);
            addCommitment(inPlace, c);
          }
          for (const book of [exposureBook(positions, commitments), stepwise, inPlace]) {
            expect(big(book.total)).toBe(want.total);
            for (const m of MARKETS)
              expect(big(book.byMarket.get(m) ?? new Decimal(0))).toBe(want.m.get(m) ?? 0n);
            for (const s of STRATEGIES)
              expect(big(book.byStrategy.get(s) ?? new Decimal(0))).toBe(want.s.get(s) ?? 0n);
          }
          for (const m of MARKETS)
            for (const s of STRATEGIES) {
              let held = 0n;
              for (const p of positions) if (p.market === m && p.strategy === s) held += big(p.volume);
              for (const c of commitments)
                if (c.market === m && c.strategy === s && c.side === 'ask') held -= big(c.remainingVolume);
              expect(big(sellableVolume(positions, commitments, m, s))).toBe(held > 0n ? held : 0n);
            }
        },
      ),
      RUNS,
    );
  });
});
