import fc from 'fast-check';
import { buildLadderCase } from '../../../testing/ladder-case-build';
import { type LadderMarket, ladderCaseArb } from '../../../testing/ladder-cases';
import { parseMarket } from '../market/market-id';
import { decimalFromNumber } from '../money/decimal';
import { krw } from '../money/quantities';
import { BTC, invariant } from '../risk/testing/risk-builders';
import type { StrategySignal } from '../strategies/strategy';
import type { StrategyName } from '../trading/strategy-name';
import { type PipelineResult, runDecisionPipeline, runFullPipeline } from './decision-pipeline';
import { mixedResult } from './mixed-path';
import { fateText } from './signal-fate';

// Markets on different tick grids: whole thousands of won, whole won, and 4 decimals.
const MARKETS: readonly LadderMarket[] = [
  { market: BTC, mid: 100_012_345 },
  { market: parseMarket('KRW-XRP'), mid: 812.37 },
  { market: parseMarket('KRW-DOGE'), mid: 0.51234 },
];

const viewArb = fc.record({
  strategy: fc.constantFrom<StrategyName>('mean_reversion', 'momentum_scalping', 'microstructure'),
  direction: fc.constantFrom('buy' as const, 'sell' as const, 'flat' as const),
  strength: fc.oneof(
    fc.double({ min: -0.2, max: 1.2, noNaN: true }),
    fc.constantFrom(0, 0.005, 0.25, 0.5, 1, Number.NaN),
  ),
  before: fc.boolean(), // before market making's signals in the list, or after
  elsewhere: fc.integer({ min: 0, max: 29 }), // 0: of another market
});

/**
 * A ladder case (market making's quotes, the account, the thresholds) with directional views beside
 * the quotes: mostly one strategy's, sometimes a second one's, and a Kelly record, equity and
 * holding for them.
 */
const caseArb = fc.record({
  ladder: ladderCaseArb(MARKETS.length),
  views: fc.array(viewArb, { minLength: 1, maxLength: 3 }),
  second: fc.integer({ min: 0, max: 4 }), // 0: the views keep their own strategies; else all one
  held: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
  equity: fc.oneof(
    fc.constant(10_000_000),
    fc.integer({ min: 0, max: 2_000_000 }),
    fc.integer({ min: 0, max: 1_000_000_000 }),
  ),
  trades: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
  winRate: fc.double({ min: 0, max: 1, noNaN: true }),
  payoff: fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constant(Number.POSITIVE_INFINITY)),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** The ladder case with the views added to its signals and the Kelly facts put on its account. */
function build(c: Case) {
  const built = buildLadderCase(MARKETS, c.ladder, true);
  const market = built.input.market;
  const first = c.views[0]?.strategy ?? 'mean_reversion';
  const signals: StrategySignal[] = [...built.input.signals];
  for (const v of c.views) {
    const s: StrategySignal = {
      strategy: c.second === 0 ? v.strategy : first,
      market: v.elsewhere === 0 ? (market === BTC ? parseMarket('KRW-ETH') : BTC) : market,
      at: built.input.now,
      direction: v.direction,
      strength: v.strength,
      reason: 'view',
    };
    if (v.before) signals.unshift(s);
    else signals.push(s);
  }
  const mmHolding = built.input.holdings;
  const input = {
    ...built.input,
    signals,
    equity: krw(decimalFromNumber(c.equity)),
    holdings: (s: StrategyName) => (s === 'market_making' ? mmHolding(s) : c.held),
  };
  const account = {
    ...built.account,
    stats: () => ({ trades: c.trades, winRate: c.winRate, payoffRatio: c.payoff }),
  };
  return { input, account, placed: built.placed };
}

const fatesOf = (r: PipelineResult) => [...r.fates].map(([k, f]) => `${k}=${fateText(f.fate)}`).join();

/**
 * Case `c` through the full pipeline and through runDecisionPipeline for a caller reading fates
 * only: the same orders placed, refusals and fates in order. Counts in `seen` what the mixed path
 * answered (the view's and market making's fates) and what it left to the other paths.
 */
function checkCase(c: Case, seen: Map<string, number>): void {
  const full = build(c);
  const reference = runFullPipeline(full.input, full.account);
  const fast = build(c);
  const result = runDecisionPipeline({ ...fast.input, fateOnly: true }, fast.account);
  invariant(fast.placed.join('\n') === full.placed.join('\n'), 'the same orders were placed');
  invariant(result.refusals.join() === reference.refusals.join(), `refusals: ${result.refusals.join()}`);
  invariant(fatesOf(result) === fatesOf(reference), `fates: ${fatesOf(result)} !== ${fatesOf(reference)}`);
  // The mixed path alone: its answer is what runDecisionPipeline returned, or it left the case.
  const alone = build(c);
  const mixed = mixedResult({ ...alone.input, fateOnly: true }, alone.account);
  const key = mixed === undefined ? 'declined' : fatesOf(mixed).replace(/^[a-z_]+=/, '');
  seen.set(key, (seen.get(key) ?? 0) + 1);
  if (mixed === undefined) {
    invariant(alone.placed.length === 0, 'a declined mixed path placed nothing');
    return;
  }
  invariant(alone.placed.join('\n') === full.placed.join('\n'), 'mixed: the same orders were placed');
  invariant(
    mixed.refusals.join() === result.refusals.join() && fatesOf(mixed) === fatesOf(result),
    `runDecisionPipeline takes the mixed path: ${mixed.refusals.join()} ${fatesOf(mixed)} vs ${result.refusals.join()} ${fatesOf(result)}`,
  );
  // Routed entries, when kept (quotes the full check placed), are the full pipeline's.
  const ordersOf = (r: PipelineResult) => JSON.stringify(r.routed.map((d) => [d.orders, d.rejected]));
  invariant(mixed.routed.length === 0 || ordersOf(mixed) === ordersOf(reference), 'mixed: routed orders');
  // A caller that reads decision ids never gets the mixed path.
  const ids = build(c);
  invariant(mixedResult(ids.input, ids.account) === undefined, 'mixed path only for fateOnly');
}

describe('the mixed path of the decision pipeline (quotes beside one directional view)', () => {
  it('gives the full pipeline’s orders, refusals and fates whenever it answers', () => {
    const seen = new Map<string, number>();
    // A fixed seed: the coverage check below must not depend on luck.
    fc.assert(
      fc.property(caseArb, (c) => checkCase(c, seen)),
      { numRuns: 3000, seed: 20_261_207 },
    );
    const keys = [...seen.keys()];
    // Each verdict beside a ladder that placed, and beside one refused as a whole; and left cases.
    for (const view of ['held:nothing_to_sell', 'refused:risk:no_edge', 'refused:risk:below_minimum']) {
      expect(keys).toContain(`${view},market_making=traded`);
      expect(keys.some((k) => k.startsWith(`${view},market_making=refused:`))).toBe(true);
    }
    // Beside quotes the ladder declined and the full check refused (a latched account) or placed.
    expect(keys.some((k) => k.endsWith(',market_making=refused:risk:reducing_only'))).toBe(true);
    expect(keys.some((k) => k.endsWith(',market_making=refused:risk:halted'))).toBe(true);
    expect(keys).toContain('declined');
  });

  it('gives the full pipeline’s orders, refusals and fates on a second seed’s cases', () => {
    fc.assert(
      fc.property(caseArb, (c) => checkCase(c, new Map())),
      { numRuns: 500, seed: 7_301 },
    );
  });
});
