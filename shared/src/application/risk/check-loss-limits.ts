import type { OrderbookSnapshot } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import type { Krw } from '../../domain/money/quantities';
import type { AutoReleaseVerdict } from '../../domain/risk/auto-release';
import {
  advanceLedgers,
  evaluateLossLimits,
  LOSS_PERIODS,
  type LossBreach,
  type LossStatus,
} from '../../domain/risk/loss-ledger';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { LossPeriod } from '../../domain/time/kst-calendar';
import { VersionConflictError } from '../../ports/order-repository';
import type { StateStore } from '../../ports/state-store';
import { autoReleaseLatch, triggersSinceLatch } from '../emergency/auto-release-latch';
import {
  type EmergencyDeps,
  type TriggerEmergencyResult,
  triggerEmergency,
} from '../emergency/trigger-emergency';
import { currentLedgerEntries } from './load-risk-context';

/** Ports of the scheduled loss check: the emergency ports plus the ledger. */
export interface LossCheckDeps extends EmergencyDeps {
  readonly store: EmergencyDeps['store'] & Pick<StateStore, 'getLedgerEntry' | 'putLedgerEntry'>;
}

/** Inputs of one loss check. */
export interface LossCheckInput {
  /** Account equity now: cash + holdings at liquidation value (domain `accountEquity`). */
  readonly equity: Krw;
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly books?: ReadonlyMap<Market, OrderbookSnapshot>;
}

/** What the check found and did. */
export interface LossCheckResult {
  readonly status: LossStatus;
  readonly rolled: readonly LossPeriod[];
  readonly trigger?: TriggerEmergencyResult;
  readonly autoRelease?: AutoReleaseVerdict;
  readonly released: boolean;
}

function breachReason(b: LossBreach): string {
  return `${b.trigger}: equity ${b.equity.toFixed(0)} KRW is ${b.loss.times(100).toFixed(2)} % below ${b.reference.toFixed(0)} KRW (${b.periodKey}); limit ${b.limit.times(100).toFixed(2)} %`;
}

/**
 * The scheduled loss-limit check (every minute and after fills). Rolls the KST day/week/month
 * ledgers over at their boundaries (a new period starts at the current equity), raises the intraday
 * peak, persists both, and evaluates realised + unrealised PnL against every limit. A breach trips
 * the emergency stop (strictest breach first; a further breach while latched is audited once per
 * period so the auto-release rule sees it, and escalates the latch when its policy state is
 * stricter). Without a breach, a latched loss stop is offered to the roll-over auto-release rule.
 */
export async function checkLossLimits(deps: LossCheckDeps, input: LossCheckInput): Promise<LossCheckResult> {
  const now = deps.clock.now();
  const stored = await currentLedgerEntries(deps.store, now);
  const { ledgers, rolled } = advanceLedgers(stored, now, input.equity);
  for (const period of LOSS_PERIODS) {
    const entry = ledgers[period];
    if (entry === stored[period]) continue;
    try {
      await deps.store.putLedgerEntry({ item: entry, expectedVersion: stored[period]?.version ?? 0 });
    } catch (error) {
      // A fill was booked meanwhile; the next check re-reads and writes the roll-over or peak.
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  const status = evaluateLossLimits(ledgers, input.equity, input.limits.loss);
  const control = await deps.store.getControl();
  const latch = control.latch;
  const first = status.breaches[0];
  if (first !== undefined) {
    const wanted = input.limits.emergency.stateFor[first.trigger];
    if (latch !== undefined && !(latch.state === 'reducing' && wanted === 'halted')) {
      const history = await triggersSinceLatch(deps.store, latch);
      for (const b of status.breaches) {
        if (history.seen.some((s) => s.trigger === b.trigger && s.periodKey === b.periodKey)) continue;
        await deps.store.appendAudit({
          at: now,
          actor: 'system:loss-check',
          action: 'loss_limit_breach',
          details: { trigger: b.trigger, periodKey: b.periodKey, reason: breachReason(b) },
        });
      }
      return { status, rolled, released: false };
    }
    const trigger = await triggerEmergency(deps, {
      trigger: first.trigger,
      reason: breachReason(first),
      actor: 'system:loss-check',
      periodKey: first.periodKey,
      limits: input.limits,
      rules: input.rules,
      ...(input.books === undefined ? {} : { books: input.books }),
    });
    return { status, rolled, trigger, released: false };
  }
  if (latch === undefined) return { status, rolled, released: false };
  const auto = await autoReleaseLatch(deps, latch, status, input.limits.release);
  return { status, rolled, autoRelease: auto.verdict, released: auto.released };
}
