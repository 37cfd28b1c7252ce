import type { MarketRules } from '../../domain/market/market-rules';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import type { StrategyName } from '../../domain/trading/strategy-name';
import type { Clock } from '../../ports/clock';
import type { ComponentStatusStore } from '../../ports/component-status-store';
import type { FifoQueue } from '../../ports/decision-queue';
import type { EquityHistoryStore } from '../../ports/equity-history-store';
import type { Logger } from '../../ports/logger';
import type { MarketDataStore } from '../../ports/market-data-store';
import type { Notifier } from '../../ports/notifier';
import type { ReportStore } from '../../ports/report-store';
import type { SecretsProvider } from '../../ports/secrets';
import type { StateStore } from '../../ports/state-store';
import type { ParamValue, StrategySettingsStore } from '../../ports/strategy-settings-store';
import type { FieldProblem } from './http-types';

/** One strategy as the configuration file sets it (before runtime settings are layered over it). */
export interface ConfiguredStrategy {
  readonly enabled: boolean;
  readonly weight: number;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** A strategy's settings as they would be after a change, for validation. */
export interface StrategyCandidate {
  readonly enabled: boolean;
  readonly weight: number;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/**
 * Validates a strategy change against the configuration schema's rules for that strategy (types,
 * ranges, unknown parameters, cross-field rules such as exitZ < entryZ < stopZ). Supplied by the
 * composition root because the schema lives in the config layer; returns the problems, field paths
 * relative to the strategy (`params.entryZ`, `weight`), empty when the candidate is valid.
 */
export type StrategyRulesCheck = (strategy: StrategyName, candidate: StrategyCandidate) => FieldProblem[];

/** The configuration the API reads, mapped from the validated config at the composition root. */
export interface ApiSettings {
  readonly mode: 'paper' | 'live';
  readonly exchange: string;
  readonly markets: readonly string[];
  /** Daily return goal in percent (2 = 2 %). */
  readonly dailyGoalPct: number;
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly strategies: Readonly<Record<StrategyName, ConfiguredStrategy>>;
  /** Largest request body accepted; larger ones get 413. */
  readonly maxBodyBytes: number;
  /** An executor heartbeat older than this shows as lost. */
  readonly heartbeatStaleMs: number;
}

/**
 * Everything the router needs, ports only: the same router runs on memory fakes in tests, on
 * DynamoDB Local + fauxqs in the local stack, and on DynamoDB + SQS + SSM in the Lambda.
 */
export interface ApiDeps {
  readonly store: StateStore;
  readonly statuses: ComponentStatusStore;
  readonly equity: EquityHistoryStore;
  readonly strategySettings: StrategySettingsStore;
  readonly reports: ReportStore;
  readonly marketData: MarketDataStore;
  /** The control FIFO queue the executor consumes. */
  readonly controlQueue: Pick<FifoQueue, 'send'>;
  /** Holds `QTS_API_TOKEN` (environment locally, SSM in the cloud). */
  readonly secrets: SecretsProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where alerts for operator stops go (Telegram dispatcher); omitted = none. */
  readonly notifier?: Notifier;
  readonly settings: ApiSettings;
  readonly checkStrategy: StrategyRulesCheck;
  /** Called after every successful mutation (the local server pushes a live update at once). */
  readonly onMutation?: () => void;
}
