import fc from 'fast-check';
import { exactDecimal } from '../../../testing/adversarial-decimals';
import { layout } from '../../../testing/decimal-layout';
import { Decimal } from '../money/decimal';
import { KRW_MARKET_RULES, lockWithTakerFee, type MarketRules } from './market-rules';

// Audit of a bid's lock as one word product by 1 + fee (340d8a9) against its definition, total +
// total × fee as decimal.js computes it, with the rules' remembered 1 + fee switched between calls:
// totals at 2^53 and 10^k edges and of 40 digits, fees from Upbit's 0.05 % to 30-digit rates.

const fee = fc.oneof(
  fc.constantFrom('0.0005', '0.00139', '0.0025', '0.05', '1e-8', '0.000000000000000000000000000001'),
  fc.bigInt({ min: 1n, max: 10n ** 30n }).map((u) => `${u}e-32`),
);
const rulesOf = (takerFee: string): MarketRules => ({ ...KRW_MARKET_RULES, takerFee: new Decimal(takerFee) });

describe('audit: lockWithTakerFee (claim: total + total × fee, value and layout)', () => {
  it('is the two-step decimal on adversarial totals and fees, rules alternating', () => {
    fc.assert(
      fc.property(exactDecimal, fee, fee, (total, f1, f2) => {
        for (const rules of [rulesOf(f1), rulesOf(f2), KRW_MARKET_RULES]) {
          const t = total.x.abs();
          expect(layout(lockWithTakerFee(t, rules))).toEqual(layout(t.plus(t.times(rules.takerFee))));
        }
      }),
      { seed: 20261205, numRuns: 3000 },
    );
  });
});
