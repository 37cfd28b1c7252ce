import fc from 'fast-check';
import { aDecision, plain, T0 } from '../../../testing/state-builders';
import { krw, price, volume } from '../../domain/money/quantities';
import type { EpochMs } from '../../domain/time/epoch';
import type { Decision } from '../../domain/trading/decision';
import { decodeDecisionMessage, encodeDecisionMessage } from './message-envelope';

// Decimal text with up to 20 integer digits and 0–16 decimals: beyond a double's 15–17 significant
// digits, so a single pass through a JSON number would show up as a mismatch.
const decimalText = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 16 }))
  .map(([units, scale]) => {
    const digits = units.toString().padStart(scale + 1, '0');
    return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  });

const intent = fc.oneof(
  fc.record({
    kind: fc.constant('directional' as const),
    side: fc.constantFrom('bid' as const, 'ask' as const),
    notional: decimalText.map((t) => krw(t)),
    urgency: fc.constantFrom('passive' as const, 'aggressive' as const),
  }),
  fc.record({
    kind: fc.constant('quotes' as const),
    levels: fc.array(
      fc.record({
        side: fc.constantFrom('bid' as const, 'ask' as const),
        price: decimalText.map((t) => price(t)),
        volume: decimalText.map((t) => volume(t)),
      }),
      { maxLength: 6 },
    ),
  }),
  fc.constant({ kind: 'flatten' as const }),
);

describe('decision envelopes (property)', () => {
  it('carry every decision through encode → decode with exact decimals', () => {
    fc.assert(
      fc.property(intent, fc.integer({ min: 0, max: 2 ** 40 }), (i, offset) => {
        const decision: Decision = aDecision('prop-1', {
          intent: i,
          createdAt: (T0 + offset) as EpochMs,
        });
        const decoded = decodeDecisionMessage(encodeDecisionMessage(decision, T0, 'property').body);
        if (!decoded.ok) throw new Error(decoded.reason);
        expect(plain(decoded.message.decision)).toEqual(plain(decision));
      }),
      { numRuns: 300 },
    );
  });
});
