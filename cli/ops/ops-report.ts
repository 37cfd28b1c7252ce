import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Env } from '../../functions/lib/function-env';
import { lambdaHandler } from '../../functions/lib/lambda-handler';
import { localLambdaContext } from '../../functions/lib/local-invoke';
import { reportFunction } from '../../functions/report/handler';
import { DynamoDbReportStore } from '../../shared/src/adapters/dynamodb/dynamodb-report-store';
import { JsonLogger } from '../../shared/src/adapters/logging/json-logger';
import { SystemClock } from '../../shared/src/adapters/system/system-clock';
import { strategyJson } from '../../shared/src/application/api/strategy-view';
import {
  changeStrategy,
  StrategyChangeRefused,
  StrategyVersionConflict,
} from '../../shared/src/application/operator/strategy-change';
import { reportAlert } from '../../shared/src/application/reporting/daily-report';
import { apiSettingsFromConfig, strategyRulesCheck } from '../../shared/src/config/api-settings';
import type { AppConfig } from '../../shared/src/config/config-schema';
import { STRATEGY_NAMES, type StrategyName } from '../../shared/src/domain/trading/strategy-name';
import type { StrategySettingsStore } from '../../shared/src/ports/strategy-settings-store';
import { UsageError } from '../lib/args';
import { OPS_PRODUCER, type OpsDeps } from './ops-commands';

/** What `report` printed: the stored report's date, whether this run created it, and its text. */
export interface OpsReport {
  readonly date: string;
  readonly outcome: 'created' | 'exists';
  readonly text: { readonly ko: string; readonly en: string };
  readonly body: unknown;
}

/**
 * `report`: the daily report function itself (functions/report/handler.ts, as AWS runs it) for a
 * finished KST day, yesterday by default: stored once, then sent through the alert queue (the local
 * stack's alert consumer or the alerts function delivers it). The stored report is read back and
 * returned for the terminal. A day not over yet or a malformed date is a usage error.
 */
export async function opsReport(
  env: Env,
  db: DynamoDBDocumentClient,
  date: string | undefined,
): Promise<OpsReport> {
  const clock = new SystemClock();
  const logger = new JsonLogger((line) => process.stderr.write(`${line}\n`), clock, 'warn');
  const run = lambdaHandler(reportFunction, { ...env, POWERTOOLS_LOG_LEVEL: 'ERROR' }, { clock, logger });
  const answer = (await run(
    date === undefined ? {} : { date },
    localLambdaContext('qts-ops-report', 120_000),
  )) as { ok: true; date: string; outcome: 'created' | 'exists' } | { ok: false; error: { message: string } };
  if (!answer.ok) throw new UsageError(answer.error.message);
  const table = env.QTS_STATE_TABLE ?? '';
  const stored = await new DynamoDbReportStore({ client: db, tableName: table }).getReport(answer.date);
  if (stored === undefined) throw new Error(`report ${answer.date} was stored but cannot be read back`);
  return { date: answer.date, outcome: answer.outcome, text: reportAlert(stored).text, body: stored.body };
}

/** What `strategy` needs beyond the ops deps. */
export interface StrategyOpsDeps {
  readonly ops: OpsDeps;
  readonly config: AppConfig;
  readonly strategySettings: StrategySettingsStore;
}

function strategyName(name: string): StrategyName {
  if ((STRATEGY_NAMES as readonly string[]).includes(name)) return name as StrategyName;
  throw new UsageError(`--name must be one of ${STRATEGY_NAMES.join(', ')}, got "${name}"`);
}

/** Every strategy as the dashboard shows it (config, runtime settings, toggle). */
export async function opsStrategies(deps: StrategyOpsDeps): Promise<ReturnType<typeof strategyJson>[]> {
  const configured = apiSettingsFromConfig(deps.config).strategies;
  const [stored, control] = await Promise.all([
    deps.strategySettings.listStrategySettings(),
    deps.ops.store.getControl(),
  ]);
  return STRATEGY_NAMES.map((n) =>
    strategyJson(
      n,
      configured[n],
      stored.find((s) => s.strategy === n),
      control,
    ),
  );
}

/**
 * `strategy --name N --enable|--disable [--weight W]`: the same change as the dashboard's switch
 * (validated by the config schema's rules, compare-and-set, audited, the executor told), from the CLI.
 */
export async function opsChangeStrategy(
  deps: StrategyOpsDeps,
  request: {
    readonly name: string;
    readonly enabled?: boolean;
    readonly weight?: number;
    readonly actor: string;
  },
): Promise<ReturnType<typeof strategyJson>> {
  const name = strategyName(request.name);
  const queue = deps.ops.queue;
  if (queue === undefined) throw new Error('no control queue configured');
  try {
    await changeStrategy(
      {
        strategySettings: deps.strategySettings,
        configured: apiSettingsFromConfig(deps.config).strategies,
        checkStrategy: strategyRulesCheck(deps.config),
        operator: {
          store: deps.ops.store,
          queue,
          clock: deps.ops.clock,
          channel: OPS_PRODUCER,
          limits: deps.ops.limits,
          rules: deps.ops.rules,
        },
      },
      name,
      {
        ...(request.enabled === undefined ? {} : { enabled: request.enabled }),
        ...(request.weight === undefined ? {} : { weight: request.weight }),
      },
      request.actor,
      undefined,
    );
  } catch (error) {
    if (error instanceof StrategyChangeRefused || error instanceof StrategyVersionConflict)
      throw new UsageError(error.message);
    throw error;
  }
  const all = await opsStrategies(deps);
  const changed = all.find((s) => s.name === name);
  if (changed === undefined) throw new Error(`${name} vanished`);
  return changed;
}
