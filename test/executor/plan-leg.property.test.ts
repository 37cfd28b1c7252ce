import fc from 'fast-check';
import { Leg } from '../../executor/src/execution/plan-support';
import { Decimal, ZERO } from '../../shared/src/domain/money/decimal';
import { krw, price, volume } from '../../shared/src/domain/money/quantities';
import { makeDecisionId, orderIdentifier } from '../../shared/src/domain/orders/identifiers';
import {
  type LocalOrder,
  type LocalOrderState,
  pendingLocalOrder,
} from '../../shared/src/domain/orders/local-order';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import { BTC, T0 } from './support/memory-world';

/*
 * The leg's bookkeeping that keeps a decision inside its budget when a late attempt comes back: on
 * resume the highest live attempt is the working one whatever order the store lists them in, every
 * other live attempt is a stray, and fills and open remainders are summed over all attempts.
 */

const decision: Decision = {
  id: makeDecisionId('leg', BTC, T0 as EpochMs, 1),
  market: BTC,
  createdAt: T0 as EpochMs,
  expiresAt: (T0 + 60_000) as EpochMs,
  source: 'ensemble',
  strategy: 'momentum_scalping',
  intent: { kind: 'directional', side: 'bid', notional: krw('200000'), urgency: 'passive' },
  signals: [],
};

const STATES: readonly LocalOrderState[] = [
  'pending',
  'submitted',
  'open',
  'filled',
  'cancelled',
  'rejected',
];
const LIVE = new Set<LocalOrderState>(['pending', 'submitted', 'open']);

function attemptOrder(
  attempt: number,
  state: LocalOrderState,
  units: number,
  filledUnits: number,
): LocalOrder {
  const identifier = orderIdentifier(decision.id, 0, attempt);
  const base = pendingLocalOrder(
    {
      identifier,
      decisionId: decision.id,
      strategy: 'momentum_scalping',
      draft: {
        market: BTC,
        side: 'bid',
        ordType: 'limit',
        price: price('99999000'),
        volume: volume(new Decimal(units).div(1e8)),
        timeInForce: 'post_only',
      },
    },
    (T0 + attempt) as EpochMs,
  );
  const executedVolume = volume(new Decimal(Math.min(filledUnits, units)).div(1e8));
  return { ...base, state, executedVolume, executedFunds: krw(executedVolume.times('99999000')) };
}

const attempts = fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 8 }).chain((ns) =>
  fc.tuple(
    fc.shuffledSubarray(ns, { minLength: ns.length, maxLength: ns.length }),
    fc.array(
      fc.record({
        state: fc.constantFrom(...STATES),
        units: fc.integer({ min: 1, max: 1_000_000 }),
        filled: fc.integer({ min: 0, max: 1_000_000 }),
      }),
      { minLength: ns.length, maxLength: ns.length },
    ),
  ),
);

describe('Leg', () => {
  it('resumes with the highest live attempt working and every other live attempt a stray', () => {
    fc.assert(
      fc.property(attempts, ([order, specs]) => {
        const leg = new Leg(decision, 0);
        const orders = order.map((n, i) => {
          const s = specs[i] ?? { state: 'open' as const, units: 1, filled: 0 };
          return attemptOrder(n, s.state, s.units, s.filled);
        });
        for (const [i, o] of orders.entries()) leg.adopt(o, order[i] ?? 0);
        const live = orders.filter((o) => LIVE.has(o.state));
        const top = live.reduce<LocalOrder | undefined>(
          (best, o) => (best === undefined || o.createdAt > best.createdAt ? o : best),
          undefined,
        );
        expect(leg.working).toBe(top?.identifier);
        expect(
          leg
            .strays()
            .map((o) => o.identifier)
            .sort(),
        ).toEqual(
          live
            .filter((o) => o !== top)
            .map((o) => o.identifier)
            .sort(),
        );
        const funds = orders.reduce<Decimal>((s, o) => s.plus(o.executedFunds), ZERO);
        expect(leg.executed().funds.toFixed()).toBe(funds.toFixed());
        const open = live.reduce<Decimal>(
          (s, o) => s.plus((o.draft.volume ?? ZERO).minus(o.executedVolume).times('99999000')),
          ZERO,
        );
        expect(leg.openRemainder().funds.toFixed()).toBe(open.toFixed());
        for (const o of orders) expect(leg.owns(o.identifier)).toBe(true);
        // The next attempt number is past every one the store held: never an identifier twice.
        expect(leg.attemptsLeft).toBe(Math.max(...order) < 99);
      }),
      { seed: 20261205, numRuns: 500 },
    );
  });

  it('owns only attempts of its own decision and leg', () => {
    const leg = new Leg(decision, 1);
    expect(leg.owns(orderIdentifier(decision.id, 1, 7))).toBe(true);
    expect(leg.owns(orderIdentifier(decision.id, 0, 7))).toBe(false);
    const other = makeDecisionId('leg', BTC, T0 as EpochMs, 2);
    expect(leg.owns(orderIdentifier(other, 1, 7))).toBe(false);
  });
});
