import type { EnsembleConfig } from '../../domain/ensemble/ensemble-config';
import { StrategyEdges, type StrategyEdgesState } from '../../domain/ensemble/strategy-edges';
import { quotesAround } from '../../domain/ensemble/synthetic-book';
import type { Candle } from '../../domain/market/market-data';
import type { Market } from '../../domain/market/market-id';
import type { MarketRules } from '../../domain/market/market-rules';
import { parseDecimal } from '../../domain/money/decimal';
import type { TradeOutcomeStats } from '../../domain/risk/kelly-sizing';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { shadowSettings } from '../../domain/risk/shadow-ledger';
import type { StrategySignal } from '../../domain/strategies/strategy';
import type { EpochMs } from '../../domain/time/epoch';
import type { Position } from '../../domain/trading/position';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { StrategySnapshot } from '../../ports/strategy-state-store';
import { SNAPSHOT_BODY_VERSION } from './snapshot-keys';

interface EdgesBody {
  readonly v: number;
  readonly edges: StrategyEdgesState;
  /** Realised PnL of each stored position (`<market>|<strategy>`) as last seen, decimal text. */
  readonly realized: Readonly<Record<string, string>>;
}

/**
 * The Kelly gate's records and the shadow ledgers as the minute analysis keeps them between runs
 * (the `strategies` snapshot): the same StrategyEdges the backtest runs, fed with the live facts.
 * Real closed trades are read from the stored positions — a change of a position's realised PnL
 * since the previous run is one closed trade of its strategy (several sells within one minute count
 * as one) — and the shadow ledgers see every bar the strategies are stepped with.
 */
export class LiveEdges {
  private readonly realized: Map<string, string>;

  private constructor(
    readonly edges: StrategyEdges,
    realized: Readonly<Record<string, string>>,
  ) {
    this.realized = new Map(Object.entries(realized));
  }

  /** The stored edges, or fresh ones (every strategy cold: Kelly's cold-start fraction) when absent or unreadable. */
  static load(
    snapshot: StrategySnapshot | undefined,
    names: readonly StrategyName[],
    limits: RiskLimits,
    rules: MarketRules,
    ensemble: EnsembleConfig,
  ): { edges: LiveEdges; note?: string } {
    const body = snapshot === undefined ? undefined : parse(snapshot.body);
    const shadow = shadowSettings(rules, limits, ensemble);
    const quote = {
      quote: (traded: number, market: Market, at: EpochMs) => {
        const q = quotesAround(traded, market, at, rules);
        return { bid: q.bid.toNumber(), ask: q.ask.toNumber() };
      },
    };
    const edges = new StrategyEdges(names, limits.kelly, shadow, quote, body?.edges);
    const note =
      snapshot !== undefined && body === undefined
        ? 'strategy records unreadable: Kelly gates and shadow ledgers start afresh'
        : undefined;
    return { edges: new LiveEdges(edges, body?.realized ?? {}), ...(note === undefined ? {} : { note }) };
  }

  /** Books every position whose realised PnL changed since the previous run as a closed trade. */
  observePositions(positions: readonly Position[], at: EpochMs): void {
    for (const p of positions) {
      const key = `${p.market}|${p.strategy}`;
      const now = p.realizedPnl;
      const before = this.realized.get(key);
      this.realized.set(key, now.toFixed());
      if (before === undefined) continue;
      const change = now.minus(parseDecimal(before));
      if (!change.isZero()) this.edges.recordTrade(p.strategy, change.toNumber(), at);
    }
  }

  onBar(bar: Candle): void {
    this.edges.onBar(bar);
  }

  onSignals(signals: ReadonlyMap<Market, readonly StrategySignal[]>): void {
    this.edges.onSignals(signals);
  }

  stats(strategy: StrategyName | 'operator'): TradeOutcomeStats {
    return this.edges.stats(strategy);
  }

  /** The snapshot body to store. */
  body(): string {
    const body: EdgesBody = {
      v: SNAPSHOT_BODY_VERSION,
      edges: this.edges.state(),
      realized: Object.fromEntries(this.realized),
    };
    return JSON.stringify(body);
  }
}

function parse(text: string): EdgesBody | undefined {
  try {
    const body = JSON.parse(text) as EdgesBody;
    if (
      body?.v !== SNAPSHOT_BODY_VERSION ||
      typeof body.edges !== 'object' ||
      typeof body.realized !== 'object'
    )
      return undefined;
    return body;
  } catch {
    return undefined;
  }
}
