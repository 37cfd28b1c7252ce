import { LiveEdges } from '../../shared/src/application/analysis/live-edges';
import { DEFAULT_ENSEMBLE_CONFIG } from '../../shared/src/domain/ensemble/ensemble-config';
import type { Candle } from '../../shared/src/domain/market/market-data';
import { parseMarket } from '../../shared/src/domain/market/market-id';
import { KRW_MARKET_RULES } from '../../shared/src/domain/market/market-rules';
import { krw, volume } from '../../shared/src/domain/money/quantities';
import { DEFAULT_RISK_LIMITS } from '../../shared/src/domain/risk/risk-limits';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { Position } from '../../shared/src/domain/trading/position';
import { STRATEGY_NAMES } from '../../shared/src/domain/trading/strategy-name';
import type { StrategySnapshot } from '../../shared/src/ports/strategy-state-store';
import { flatCandle } from '../../shared/testing/flat-candle';

const BTC = parseMarket('KRW-BTC');
const T0 = Date.parse('2026-03-02T00:00:00Z') as EpochMs;

function position(realized: number): Position {
  return {
    market: BTC,
    strategy: 'momentum_scalping',
    volume: volume('0'),
    cost: krw('0'),
    realizedPnl: krw(String(realized)),
    feesPaid: krw('0'),
    updatedAt: T0,
    version: 1,
  };
}

const load = (snapshot?: StrategySnapshot) =>
  LiveEdges.load(snapshot, STRATEGY_NAMES, DEFAULT_RISK_LIMITS, KRW_MARKET_RULES, DEFAULT_ENSEMBLE_CONFIG);

const stored = (body: string): StrategySnapshot => ({
  key: 'strategies',
  lastBarAt: T0,
  savedAt: T0,
  body,
  version: 1,
});

function bar(i: number, close: number): Candle {
  return flatCandle(BTC, T0 + i * MS.minute, close, { volume: 10 });
}

describe('LiveEdges: the Kelly gate and shadow ledgers between analysis runs', () => {
  it('books each change of a position’s realised PnL as one closed trade, after a first baseline', () => {
    const { edges } = load();
    edges.observePositions([position(1_000)], T0);
    expect(edges.stats('momentum_scalping').trades).toBe(0);
    edges.observePositions([position(-2_000)], (T0 + MS.minute) as EpochMs);
    edges.observePositions([position(-2_000)], (T0 + 2 * MS.minute) as EpochMs);
    edges.observePositions([position(500)], (T0 + 3 * MS.minute) as EpochMs);
    expect(edges.stats('momentum_scalping')).toEqual({ trades: 2, winRate: 0.5, payoffRatio: 2500 / 3000 });
  });

  it('persists the gate record, its closures and the shadow ledgers through the stored body', () => {
    const { edges } = load();
    let realized = 0;
    edges.observePositions([position(realized)], T0);
    for (let i = 1; i <= 31; i++) {
      realized -= 1_000;
      edges.observePositions([position(realized)], (T0 + i * MS.minute) as EpochMs);
    }
    edges.onSignals(
      new Map([
        [
          BTC,
          [
            {
              strategy: 'momentum_scalping',
              market: BTC,
              at: T0,
              direction: 'buy',
              strength: 1,
              reason: 'x',
            },
          ],
        ],
      ]),
    );
    edges.onBar(bar(40, 100_000_000));
    const again = load(stored(edges.body())).edges;
    expect(again.stats('momentum_scalping')).toEqual(edges.stats('momentum_scalping'));
    const state = JSON.parse(again.body()) as {
      edges: {
        gates: Record<string, { periods: unknown[] }>;
        ledgers: Record<string, { positions: object }>;
      };
    };
    expect(state.edges.gates.momentum_scalping?.periods).toHaveLength(1);
    expect(Object.keys(state.edges.ledgers.momentum_scalping?.positions ?? {})).toEqual([BTC]);
  });

  it('starts afresh, and says so, when the stored body is unreadable', () => {
    const { edges, note } = load(stored('{not json'));
    expect(note).toMatch(/start afresh/);
    expect(edges.stats('mean_reversion').trades).toBe(0);
  });
});
