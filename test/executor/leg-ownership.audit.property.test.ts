import fc from 'fast-check';
import { Leg } from '../../executor/src/execution/plan-support';
import { adoptedIdentifier } from '../../executor/src/reconcile/reconciler';
import { krw } from '../../shared/src/domain/money/quantities';
import {
  type DecisionId,
  orderIdentifier,
  parseOrderIdentifier,
} from '../../shared/src/domain/orders/identifiers';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';
import { BTC, T0 } from './support/memory-world';

/*
 * Adversarial review (audit5): can a leg claim (and so count, or pull as a stray) an order of another
 * decision or another leg through identifier parsing? Claim O1: Leg.owns(id) holds exactly for
 * identifiers this system makes for the leg's own decision and index; never for another decision's
 * (ids that are prefixes or extensions of each other included), another leg's, an adopted
 * operator order's, or a foreign identifier.
 */

const decisionId = fc.stringMatching(/^[A-Za-z0-9_:-]{1,48}$/).map((s) => s as DecisionId);

function legOf(id: DecisionId, index: number): Leg {
  const decision: Decision = {
    id,
    market: BTC,
    createdAt: T0 as EpochMs,
    expiresAt: (T0 + 60_000) as EpochMs,
    source: 'ensemble',
    strategy: 'momentum_scalping',
    intent: { kind: 'directional', side: 'bid', notional: krw('200000'), urgency: 'passive' },
    signals: [],
  };
  return new Leg(decision, index);
}

describe('a leg owns its own attempts only (audit5)', () => {
  it('O1: identifiers of another decision or leg are never owned; its own always are', () => {
    fc.assert(
      fc.property(
        decisionId,
        decisionId,
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (a, b, index, otherIndex, attempt) => {
          const leg = legOf(a, index);
          expect(leg.owns(orderIdentifier(a, index, attempt))).toBe(true);
          expect(leg.owns(orderIdentifier(a, otherIndex, attempt))).toBe(otherIndex === index);
          expect(leg.owns(orderIdentifier(b, index, attempt))).toBe(a === b);
          // Prefixes and extensions of the decision id (a-1 vs a, a vs a.0-like texts).
          for (const near of [`${a}0`, `${a}-${index}`, `${a}:${attempt}`])
            if (near.length <= 48)
              expect(leg.owns(orderIdentifier(near as DecisionId, index, attempt))).toBe(false);
        },
      ),
      { seed: 520261205, numRuns: 2000 },
    );
  });

  it('O1: an adopted operator order and foreign identifiers are never owned', () => {
    fc.assert(
      fc.property(fc.uuid(), decisionId, fc.string({ maxLength: 70 }), (uuid, a, foreign) => {
        const leg = legOf(a, 0);
        const adopted = adoptedIdentifier(uuid);
        expect(leg.owns(adopted)).toBe(parseOrderIdentifier(adopted)?.decisionId === a);
        const parsed = parseOrderIdentifier(foreign);
        const own = parsed !== undefined && parsed.decisionId === a && parsed.leg === 0;
        expect(leg.owns(foreign as ReturnType<typeof orderIdentifier>)).toBe(own);
      }),
      { seed: 520261205, numRuns: 2000 },
    );
  });

  it('O1 (note): a non-canonical identifier with zero-padded leg/attempt parses as this leg', () => {
    // Not a fault reachable from this system (it never makes "00"), recorded for the lead: an
    // identifier "qts.<id>.00.1" placed by hand on the exchange would be owned (and pulled as a stray)
    // by leg 0 of <id>, because parseOrderIdentifier accepts \d{1,2} and reads it with Number().
    const a = 'leg-KRW-BTC-x' as DecisionId;
    expect(legOf(a, 0).owns(`qts.${a}.00.1` as ReturnType<typeof orderIdentifier>)).toBe(true);
  });
});
