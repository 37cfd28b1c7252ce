import type { MarketRules } from '../../domain/market/market-rules';
import type { Krw } from '../../domain/money/quantities';
import type { DecisionId, OrderIdentifier } from '../../domain/orders/identifiers';
import type { LocalOrder } from '../../domain/orders/local-order';
import { stampDecisionIds, type TradeStamp, tradeStamps } from '../../domain/risk/cooldown';
import { commitmentOf } from '../../domain/risk/exposure';
import type { MarketView } from '../../domain/risk/fat-finger';
import {
  advanceLedgers,
  evaluateLossLimits,
  LOSS_PERIODS,
  type LossStatus,
} from '../../domain/risk/loss-ledger';
import type { RiskContext } from '../../domain/risk/pre-trade-check';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { EpochMs } from '../../domain/time/epoch';
import { kstPeriodKey, type LossPeriod } from '../../domain/time/kst-calendar';
import type { TradingState } from '../../domain/trading/emergency';
import type { RiskLedgerEntry } from '../../domain/trading/risk-ledger';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { ControlState } from '../../ports/control-store';
import type { StateStore } from '../../ports/state-store';

/** The slice of the state store the risk checks read; the executor and the functions both have it. */
export type RiskStateReader = Pick<
  StateStore,
  'getControl' | 'listPositions' | 'listActiveOrders' | 'listFills' | 'getLedgerEntry' | 'getDecision'
>;

/** Facts the caller supplies (the store does not hold them): limits, rules, the feed, current equity. */
export interface RiskInputs {
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly market: MarketView;
  /** Account equity now; when given, loss limits are evaluated and a breach blocks buys at once. */
  readonly equity?: Krw;
}

const SEVERITY: Readonly<Record<TradingState, number>> = { running: 0, reducing: 1, halted: 2 };

function stricter(a: TradingState, b: TradingState): TradingState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/**
 * The state an order of `strategy` is checked under: the emergency latch, made at least `reducing`
 * by the operator's trading switch or by the strategy being switched off, so "stop" means "no new
 * risk" and exits still work (the latch alone decides `halted`).
 */
export function effectiveTradingState(
  control: ControlState,
  strategy: StrategyName | 'operator',
): TradingState {
  let state: TradingState = control.latch?.state ?? 'running';
  if (!control.tradingEnabled) state = stricter(state, 'reducing');
  if (strategy !== 'operator' && control.strategyEnabled[strategy] === false)
    state = stricter(state, 'reducing');
  return state;
}

/** The stored ledger entries of the periods containing `at` (absent when no check opened them yet). */
export async function currentLedgerEntries(
  store: Pick<StateStore, 'getLedgerEntry'>,
  at: EpochMs,
): Promise<Partial<Record<LossPeriod, RiskLedgerEntry>>> {
  const out: Partial<Record<LossPeriod, RiskLedgerEntry>> = {};
  for (const period of LOSS_PERIODS) {
    const entry = await store.getLedgerEntry(kstPeriodKey(period, at));
    if (entry !== undefined) out[period] = entry;
  }
  return out;
}

/** Loss status at `at` for `equity`, from the stored ledgers (rolled in memory, nothing written). */
export async function lossStatusAt(
  store: Pick<StateStore, 'getLedgerEntry'>,
  at: EpochMs,
  equity: Krw,
  limits: RiskLimits,
): Promise<LossStatus> {
  const { ledgers } = advanceLedgers(await currentLedgerEntries(store, at), at, equity);
  return evaluateLossLimits(ledgers, equity, limits.loss);
}

/** A risk context plus the control flags it was derived from (to re-derive per-strategy states). */
export interface RiskSnapshot {
  readonly context: RiskContext;
  readonly control: ControlState;
}

/** Options of {@link loadRiskSnapshot}. */
export interface RiskSnapshotOptions {
  /**
   * Stored orders left out of the commitments and stamps: the executor stores an order as `pending`
   * before its last check, and that order must not be counted against itself.
   */
  readonly exclude?: ReadonlySet<OrderIdentifier>;
  /**
   * Earliest decision time of the orders about to be checked (the executor checks a decision's
   * orders after its own latency): stamps are read far enough back to cover it. Default `now`.
   */
  readonly decidedFrom?: EpochMs;
}

/**
 * Cooldown stamps from the store: open orders and the fills since the cooldown window before the
 * earliest decision checked, each at its decision's time from the decision log (cooldown.ts).
 * Fills are read up to a window past `now` as well: the analysis checks at the minute's close a few
 * seconds after it, when fills of earlier decisions may already be booked.
 */
async function storedStamps(
  store: RiskStateReader,
  now: EpochMs,
  orders: readonly LocalOrder[],
  window: number,
  decidedFrom: EpochMs,
): Promise<TradeStamp[]> {
  if (window <= 0) return []; // no cooldown: nothing to read
  const from = (Math.min(now, decidedFrom) - window) as EpochMs;
  const fills = await store.listFills({ from, to: (now + window + 1) as EpochMs });
  const ids = stampDecisionIds(orders, fills);
  const decided = new Map<DecisionId, EpochMs>();
  await Promise.all(
    ids.map(async (id) => {
      const decision = await store.getDecision(id);
      if (decision !== undefined) decided.set(id, decision.createdAt);
    }),
  );
  return tradeStamps(orders, fills, (id) => decided.get(id));
}

/**
 * Reads everything a pre-trade check needs from the store at `now` (see {@link RiskSnapshotOptions}).
 */
export async function loadRiskSnapshot(
  store: RiskStateReader,
  now: EpochMs,
  strategy: StrategyName | 'operator',
  inputs: RiskInputs,
  options: RiskSnapshotOptions = {},
): Promise<RiskSnapshot> {
  const [control, positions, active] = await Promise.all([
    store.getControl(),
    store.listPositions(),
    store.listActiveOrders(),
  ]);
  const exclude = options.exclude ?? new Set();
  const orders = active.filter((o) => !exclude.has(o.identifier));
  const recentTrades = await storedStamps(
    store,
    now,
    orders,
    inputs.limits.minMsBetweenTrades,
    options.decidedFrom ?? now,
  );
  const context: RiskContext = {
    now,
    limits: inputs.limits,
    rules: inputs.rules,
    state: effectiveTradingState(control, strategy),
    positions,
    commitments: orders.map((o) => commitmentOf(o, inputs.rules)),
    recentTrades,
    market: inputs.market,
  };
  if (inputs.equity === undefined) return { context, control };
  const lossStatus = await lossStatusAt(store, now, inputs.equity, inputs.limits);
  return { context: { ...context, lossStatus }, control };
}
