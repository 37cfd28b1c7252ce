import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { krw, price } from '../../shared/src/domain/money/quantities';
import { evaluateDecisionRisk } from '../../shared/src/domain/risk/decision-risk';
import {
  kellyFraction,
  kellyNotional,
  sizingFraction,
  tradeOutcomeStats,
} from '../../shared/src/domain/risk/kelly-sizing';
import { DEFAULT_RISK_LIMITS, type KellyLimits } from '../../shared/src/domain/risk/risk-limits';
import { BTC, baseContext, did, T0 } from '../../shared/src/domain/risk/testing/risk-builders';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import type { Decision } from '../../shared/src/domain/trading/decision';

const K: KellyLimits = DEFAULT_RISK_LIMITS.kelly; // quarter Kelly, cap 5 % of equity, 30 trades, cold start 1 %
const MIN = KRW_MARKET_RULES.minTotal;

describe('Kelly sizing (hand-computed)', () => {
  it('f* = p − (1 − p)/b', () => {
    expect(kellyFraction(0.6, 1.5)).toBeCloseTo(0.6 - 0.4 / 1.5, 15); // 0.33333…
    expect(kellyFraction(0.55, 1.2)).toBeCloseTo(0.175, 15); // 0.55 − 0.45/1.2
    expect(kellyFraction(0.5, 1)).toBeCloseTo(0, 15);
    expect(kellyFraction(0.4, 1)).toBeCloseTo(-0.2, 15);
    expect(kellyFraction(0.7, Number.POSITIVE_INFINITY)).toBe(0.7);
  });

  it('win rate and payoff from net PnLs: [+100, −50, +200, −50, 0] → p = 0.4, b = 150/50 = 3', () => {
    expect(tradeOutcomeStats([100, -50, 200, -50, 0])).toEqual({ trades: 5, winRate: 0.4, payoffRatio: 3 });
  });

  it('fractional cap, hard-limit ceiling, and never below 5,000 KRW', () => {
    const equity = krw('10000000');
    // p = 0.55, b = 1.2: f* = 0.175 → quarter = 0.04375 → 437,500 KRW (under the 5 % cap and the 500,000 ceiling).
    const mid = kellyNotional({ trades: 50, winRate: 0.55, payoffRatio: 1.2 }, equity, K, krw('500000'), MIN);
    expect(mid).toEqual({ ok: true, notional: krw('437500'), fraction: expect.closeTo(0.04375, 12) });
    // p = 0.6, b = 1.5: quarter = 0.0833 → capped at 5 % → 500,000; a 300,000 ceiling (room left) wins.
    const strong = { trades: 50, winRate: 0.6, payoffRatio: 1.5 };
    expect(sizingFraction(strong, K)).toBe(0.05);
    const capped = kellyNotional(strong, equity, K, krw('300000'), MIN);
    expect(capped.ok && capped.notional.toFixed()).toBe('300000');
    // Small account: 60,000 × 5 % = 3,000 < 5,000 → no trade (never rounded up to the minimum).
    const small = kellyNotional(strong, krw('60000'), K, krw('500000'), MIN);
    expect(small).toMatchObject({ ok: false, reason: 'below_minimum' });
    expect(small.notional.toFixed()).toBe('3000');
    // Exactly 5,000 is allowed: 100,000 × 5 % = 5,000.
    expect(kellyNotional(strong, krw('100000'), K, krw('500000'), MIN)).toMatchObject({ ok: true });
    // No edge.
    expect(
      kellyNotional({ trades: 50, winRate: 0.4, payoffRatio: 1 }, equity, K, krw('500000'), MIN),
    ).toMatchObject({
      ok: false,
      reason: 'no_edge',
    });
    // Cold start: fewer than 30 trades → 1 % = 100,000 KRW whatever the record says.
    expect(
      kellyNotional({ trades: 5, winRate: 0, payoffRatio: 0 }, equity, K, krw('500000'), MIN),
    ).toMatchObject({ ok: true, notional: krw('100000') });
  });

  it('a buy decision is resized to the Kelly notional and refused below the minimum', () => {
    const decision = (notional: string): Decision => ({
      id: did('k1'),
      market: BTC,
      createdAt: T0,
      expiresAt: (T0 + 60_000) as EpochMs,
      source: 'ensemble',
      strategy: 'momentum_scalping',
      intent: {
        kind: 'directional',
        side: 'bid',
        notional: krw(notional),
        limitPrice: price('100000000'),
        urgency: 'passive',
      },
      signals: [],
    });
    const stats = { trades: 50, winRate: 0.55, payoffRatio: 1.2 };
    const r = evaluateDecisionRisk(decision('800000'), baseContext(), { equity: krw('10000000'), stats });
    expect(r.ok && r.decision.intent.kind === 'directional' && r.decision.intent.notional.toFixed()).toBe(
      '437500',
    );
    const smaller = evaluateDecisionRisk(decision('100000'), baseContext(), {
      equity: krw('10000000'),
      stats,
    });
    expect(
      smaller.ok &&
        smaller.decision.intent.kind === 'directional' &&
        smaller.decision.intent.notional.toFixed(),
    ).toBe('100000');
    const tiny = evaluateDecisionRisk(decision('800000'), baseContext(), { equity: krw('100000'), stats });
    expect(tiny).toMatchObject({ ok: false, refusal: { code: 'below_minimum' } });
  });
});
