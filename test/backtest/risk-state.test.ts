import { BacktestRiskState, warmLatchFeedback } from '../../shared/src/backtest/engine/risk-state';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { Decimal } from '../../shared/src/domain/money/decimal';
import { krw } from '../../shared/src/domain/money/quantities';
import { parseDecisionId } from '../../shared/src/domain/orders/identifiers';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';

const BTC = parseMarket('KRW-BTC');
const ETH = parseMarket('KRW-ETH');
const DAY1 = Date.parse('2026-11-02T10:00:00+09:00');

function state(assumeOperatorRelease: boolean, limits = DEFAULT_RISK_LIMITS) {
  const events: string[] = [];
  return {
    risk: new BacktestRiskState(limits, assumeOperatorRelease, { count: (k) => void events.push(k) }),
    events,
  };
}

describe('backtest risk state (loss limits and emergency latch, live rules)', () => {
  it('the load-time warm-up latches and releases under the default limits (else it warms nothing)', () => {
    const events = warmLatchFeedback();
    const latched = [...events].filter(([k]) => k.startsWith('latch:')).reduce((n, [, c]) => n + c, 0);
    const released = [...events].filter(([k]) => !k.startsWith('latch:')).reduce((n, [, c]) => n + c, 0);
    expect(latched).toBeGreaterThanOrEqual(4);
    expect(released).toBeGreaterThanOrEqual(4);
  });

  it('starts running, unbreached and uncounted after the module’s load-time latch warm-up', () => {
    const { risk, events } = state(true);
    expect(risk.state).toBe('running');
    expect(risk.lossStatus).toBeUndefined();
    expect(risk.latestLossStatus).toBeUndefined();
    risk.markEquity(DAY1 as EpochMs, krw('10000000'));
    expect(risk.state).toBe('running');
    expect(risk.lossStatus).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('holds its latch field from construction, so a first latch adds no field (no new hidden class)', () => {
    // With class fields of assign semantics a field is added when first written; the latch must
    // be written by the constructor, or a run's first breach changes the state's hidden class and
    // V8 discards every optimised reader of the state (the risk context, the engine's mark).
    const { risk } = state(false);
    const before = Object.keys(risk);
    expect(before).toContain('latch');
    risk.markEquity(DAY1 as EpochMs, krw('10000000'));
    risk.markEquity((DAY1 + MS.hour) as EpochMs, krw('9600000'));
    expect(risk.state).toBe('reducing');
    expect(Object.keys(risk)).toEqual(before);
  });

  it('latches reducing-only on a 3 % instant drop and keeps it without an operator', () => {
    const { risk, events } = state(false);
    risk.markEquity(DAY1 as EpochMs, krw('10000000'));
    expect(risk.state).toBe('running');
    risk.markEquity((DAY1 + MS.hour) as EpochMs, krw('9600000'));
    expect(risk.state).toBe('reducing');
    risk.markEquity((DAY1 + MS.day) as EpochMs, krw('9600000'));
    expect(risk.state).toBe('reducing');
    expect(events).toEqual(['latch:instant_drop']);
  });

  it('with the assumed operator, lifts that latch at the next KST day when nothing is breached', () => {
    const { risk, events } = state(true);
    risk.markEquity(DAY1 as EpochMs, krw('10000000'));
    risk.markEquity((DAY1 + MS.hour) as EpochMs, krw('9600000'));
    risk.markEquity((DAY1 + 2 * MS.hour) as EpochMs, krw('9600000'));
    expect(risk.state).toBe('reducing');
    risk.markEquity((DAY1 + MS.day) as EpochMs, krw('9600000'));
    expect(risk.state).toBe('running');
    expect(events).toEqual(['latch:instant_drop', 'release:assumed_operator']);
  });

  it('releases a daily-loss latch by itself at the KST day roll-over, as live does', () => {
    const limits = {
      ...DEFAULT_RISK_LIMITS,
      loss: { ...DEFAULT_RISK_LIMITS.loss, instantDrop: new Decimal('0.5') },
    };
    const { risk, events } = state(false, limits);
    risk.markEquity(DAY1 as EpochMs, krw('10000000'));
    risk.markEquity((DAY1 + MS.hour) as EpochMs, krw('9400000'));
    expect(risk.state).toBe('reducing');
    risk.markEquity((DAY1 + MS.day) as EpochMs, krw('9400000'));
    expect(risk.state).toBe('running');
    expect(events).toEqual(['latch:daily_loss', 'release:auto']);
  });

  it('keeps a daily latch past the roll-over when a weekly loss also fired meanwhile (live rule)', () => {
    const limits = {
      ...DEFAULT_RISK_LIMITS,
      loss: { ...DEFAULT_RISK_LIMITS.loss, instantDrop: new Decimal('0.5') },
    };
    const run = (assumeOperatorRelease: boolean) => {
      const { risk, events } = state(assumeOperatorRelease, limits);
      risk.markEquity(DAY1 as EpochMs, krw('10000000'));
      risk.markEquity((DAY1 + MS.hour) as EpochMs, krw('9400000')); // −6 %: daily latch
      risk.markEquity((DAY1 + 2 * MS.hour) as EpochMs, krw('8900000')); // −11 %: weekly breached too
      risk.markEquity((DAY1 + MS.day) as EpochMs, krw('9600000')); // next KST day, same week, no breach
      return { state: risk.state, events };
    };
    // The period roll-over alone would release it; live also asks what else fired (autoReleaseVerdict).
    expect(run(false)).toEqual({ state: 'reducing', events: ['latch:daily_loss'] });
    expect(run(true)).toEqual({
      state: 'running',
      events: ['latch:daily_loss', 'release:assumed_operator'],
    });
  });
});

describe('backtest risk state (cooldown stamps, live rule)', () => {
  it('keeps a buy decision stamped while its order waits and after it filled, drops it when it ended unfilled', () => {
    const { risk } = state(false);
    const at = DAY1 as EpochMs;
    const filled = { market: BTC, decisionId: parseDecisionId('mr-a'), at };
    const unfilled = { market: BTC, decisionId: parseDecisionId('mr-b'), at };
    const other = { market: ETH, decisionId: parseDecisionId('mr-c'), at };
    for (const s of [filled, unfilled, other, { ...filled, at: (at + 1) as EpochMs }]) risk.stamp(s);
    expect(risk.recentTrades).toEqual([filled, unfilled, other]);
    // The next BTC bar ran the orders placed at its open: one decision filled, one did not.
    risk.settle(BTC, at, new Set([filled.decisionId]));
    expect(risk.recentTrades).toEqual([filled, other]);
    // Settled once: a later bar does not drop a filled decision's stamp.
    risk.settle(BTC, (at + MS.minute) as EpochMs, new Set());
    expect(risk.recentTrades).toEqual([filled, other]);
  });
});
