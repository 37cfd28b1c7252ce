import type { Market } from '../../domain/market/market-id';
import { decimalOfUnits } from '../../domain/money/decimal-units';
import { krw } from '../../domain/money/quantities';
import type { DecisionId } from '../../domain/orders/identifiers';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import { RefusalTally } from './refusal-tally';
import { BacktestRiskState } from './risk-state';

// markEquity drops the cooldown stamps older than minMsBetweenTrades (through a helper since the
// filter's arrow no longer sits in markEquity, where it made every mark allocate a context).
const T0 = Date.UTC(2026, 0, 5, 3, 0) as EpochMs;
const GAP = DEFAULT_RISK_LIMITS.minMsBetweenTrades;
const EQUITY = krw(decimalOfUnits(10_000_000, 0));
const stampAt = (id: string, at: number) => ({
  market: 'KRW-BTC' as Market,
  decisionId: id as DecisionId,
  at: at as EpochMs,
});

describe('BacktestRiskState cooldown stamps', () => {
  it('keeps a stamp until minMsBetweenTrades has passed, then drops it, keeping the order of the rest', () => {
    const risk = new BacktestRiskState(DEFAULT_RISK_LIMITS, true, new RefusalTally(new Map()));
    risk.stamp(stampAt('a', T0));
    risk.stamp(stampAt('b', T0 + 1000));
    risk.stamp(stampAt('c', T0 + 2000));
    risk.markEquity((T0 + GAP - 1) as EpochMs, EQUITY);
    expect(risk.recentTrades.map((s) => s.decisionId)).toEqual(['a', 'b', 'c']);
    risk.markEquity((T0 + GAP + 1000) as EpochMs, EQUITY);
    expect(risk.recentTrades.map((s) => s.decisionId)).toEqual(['c']);
    risk.markEquity((T0 + GAP + 2000) as EpochMs, EQUITY);
    expect(risk.recentTrades).toEqual([]);
  });
});
