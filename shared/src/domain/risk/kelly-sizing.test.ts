import { KRW_MARKET_RULES } from '../market/market-rules';
import { krw } from '../money/quantities';
import { kellyNoEdge, kellyNotional } from './kelly-sizing';
import { DEFAULT_RISK_LIMITS } from './risk-limits';

const K = DEFAULT_RISK_LIMITS.kelly;
const MIN = KRW_MARKET_RULES.minTotal;
const EQUITY = krw('10000000');

describe('kellyNoEdge (decided before the ceiling)', () => {
  it('is kellyNotional’s answer when there is no edge, whatever the ceiling', () => {
    for (const [stats, equity] of [
      [{ trades: 50, winRate: 0.3, payoffRatio: 1 }, EQUITY],
      [{ trades: 50, winRate: 0, payoffRatio: 0 }, EQUITY],
      [{ trades: 0, winRate: 0, payoffRatio: 0 }, krw('0')],
    ] as const) {
      const none = kellyNoEdge(stats, equity, K);
      expect(none).toMatchObject({ ok: false, reason: 'no_edge' });
      for (const cap of ['300000', '0', '1e12'])
        expect(kellyNotional(stats, equity, K, krw(cap), MIN)).toEqual(none);
    }
  });

  it('is undefined with an edge (cold start included), where the ceiling matters', () => {
    expect(kellyNoEdge({ trades: 50, winRate: 0.6, payoffRatio: 1.5 }, EQUITY, K)).toBeUndefined();
    expect(kellyNoEdge({ trades: 0, winRate: 0, payoffRatio: 0 }, EQUITY, K)).toBeUndefined();
    expect(
      kellyNotional({ trades: 50, winRate: 0.6, payoffRatio: 1.5 }, EQUITY, K, krw('4999'), MIN),
    ).toMatchObject({
      ok: false,
      reason: 'below_minimum',
    });
  });
});
