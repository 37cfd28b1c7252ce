import { KRW_MARKET_RULES } from '../market/market-rules';
import { krw } from '../money/quantities';
import { kellyNotional } from './kelly-sizing';
import { DEFAULT_RISK_LIMITS } from './risk-limits';

const K = DEFAULT_RISK_LIMITS.kelly;
const MIN = KRW_MARKET_RULES.minTotal;
const EQUITY = krw('10000000');

describe('kellyNotional with a ceiling made on demand', () => {
  it('never asks for the ceiling without an edge, and answers as with the ceiling given', () => {
    const noEdge = { trades: 50, winRate: 0.3, payoffRatio: 1 };
    let asked = 0;
    const lazy = kellyNotional(
      noEdge,
      EQUITY,
      K,
      () => {
        asked += 1;
        return krw('500000');
      },
      MIN,
    );
    expect(asked).toBe(0);
    expect(lazy).toEqual(kellyNotional(noEdge, EQUITY, K, krw('500000'), MIN));
    expect(lazy).toMatchObject({ ok: false, reason: 'no_edge' });
  });

  it('asks once with an edge and clamps to it exactly as the given ceiling does', () => {
    const edge = { trades: 50, winRate: 0.6, payoffRatio: 1.5 };
    for (const cap of ['300000', '4999', '123456.7']) {
      let asked = 0;
      const lazy = kellyNotional(
        edge,
        EQUITY,
        K,
        () => {
          asked += 1;
          return krw(cap);
        },
        MIN,
      );
      expect(asked).toBe(1);
      expect(lazy).toEqual(kellyNotional(edge, EQUITY, K, krw(cap), MIN));
    }
  });
});
