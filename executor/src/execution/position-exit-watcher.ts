import { findPositionExits } from '../../../shared/src/application/risk/position-exits';
import type { MarketRules } from '../../../shared/src/domain/market/market-rules';
import type { RiskLimits } from '../../../shared/src/domain/risk/risk-limits';
import type { Clock } from '../../../shared/src/ports/clock';
import type { Logger } from '../../../shared/src/ports/logger';
import type { StateStore } from '../../../shared/src/ports/state-store';
import type { MarketState } from '../feed/market-state';
import { runEvery } from '../runtime/periodic';
import type { TradingGate } from '../runtime/trading-gate';
import type { ExecutionEngine } from './execution-engine';

/** How often held positions are checked against their stop-loss and take-profit. */
export const EXIT_SCAN_MS = 5_000;

/**
 * Per-position stop-loss and take-profit, net of fees (`positions.stopLossPct` / `takeProfitPct`):
 * every 5 s the shared `findPositionExits` use case compares each strategy's holding with the live
 * best bid, and each position that fired is flattened through the engine like a queued `flatten`
 * decision (stored in the decision log first). Its id derives from market, minute and strategy, so
 * a scan repeated within the minute resumes the same plan instead of selling twice. The operator's
 * own holdings (adopted by reconciliation) are left to the operator.
 */
export class PositionExitWatcher {
  constructor(
    private readonly d: {
      readonly store: StateStore;
      readonly engine: Pick<ExecutionEngine, 'accept'>;
      readonly market: MarketState;
      readonly gate: TradingGate;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly limits: RiskLimits;
      readonly rules: MarketRules;
    },
  ) {}

  /** One scan; returns the decisions it started or resumed. */
  async scanOnce(): Promise<string[]> {
    const d = this.d;
    if (!d.gate.reconciled || d.gate.latchState === 'halted') return [];
    const exits = await findPositionExits(
      { store: d.store, clock: d.clock },
      { limits: d.limits, rules: d.rules, bestBids: d.market.bestBids() },
    );
    const started: string[] = [];
    for (const exit of exits) {
      if (exit.position.strategy === 'operator') continue;
      d.logger.warn('position exit triggered', {
        decisionId: exit.decision.id,
        market: exit.position.market,
        strategy: exit.position.strategy,
        exit: exit.signal.kind,
        netReturnPct: exit.signal.netReturn.times(100).toFixed(3),
      });
      await d.store.recordDecision(exit.decision);
      await d.engine.accept(exit.decision, d.clock.now());
      started.push(exit.decision.id);
    }
    return started;
  }

  run(signal: AbortSignal): Promise<void> {
    return runEvery('position exits', EXIT_SCAN_MS, async () => void (await this.scanOnce()), {
      clock: this.d.clock,
      logger: this.d.logger,
      signal,
    });
  }
}
