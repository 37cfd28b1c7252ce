import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MonitorSettings } from '../../shared/src/application/risk-monitor/monitor-risk';
import type { AppConfig } from '../../shared/src/config/config-schema';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../shared/src/config/load-config';
import { KRW_MARKET_RULES, type MarketRules } from '../../shared/src/domain/market/market-rules';
import { decimalFromNumber } from '../../shared/src/domain/money/decimal';
import { type Krw, krw } from '../../shared/src/domain/money/quantities';
import type { RiskLimits } from '../../shared/src/domain/risk/risk-limits';
import { riskLimitsFromSettings } from '../../shared/src/domain/risk/risk-settings';
import { MS } from '../../shared/src/domain/time/epoch';
import type { Env } from './function-env';

/** The validated config and what the functions derive from it, once per container. */
export interface FunctionConfig {
  readonly config: AppConfig;
  readonly limits: RiskLimits;
  readonly rules: MarketRules;
  readonly monitor: MonitorSettings;
  /** `capital.perStrategyKrw`: the base of each strategy's returns in reports. */
  readonly strategyCapital: Krw;
}

/**
 * Where config/default.yaml is: packaged next to the bundle in a Lambda (`serverless.yml`
 * `package.patterns`, under `LAMBDA_TASK_ROOT`), in the working directory under serverless-offline
 * (which sets a `LAMBDA_TASK_ROOT` of /var/task that does not exist here), in the source tree
 * otherwise. The first that exists wins; a missing file is then reported by the config loader.
 */
export function defaultConfigPath(env: Env, exists: (path: string) => boolean = existsSync): string {
  const root = env.LAMBDA_TASK_ROOT;
  const candidates = [
    ...(root === undefined || root === '' ? [] : [join(root, 'config', 'default.yaml')]),
    join(process.cwd(), 'config', 'default.yaml'),
    DEFAULT_CONFIG_PATH,
  ];
  return candidates.find((p) => exists(p)) ?? candidates[0] ?? DEFAULT_CONFIG_PATH;
}

/**
 * The environment without Upbit's key variables: the cloud functions never hold exchange keys (they
 * stay on the executor's VM), so even a key put into a function's environment by mistake is not read.
 */
export function withoutExchangeKeys(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('UPBIT_')));
}

let cached: { readonly key: string; readonly value: FunctionConfig } | undefined;

// What the config depends on: settings overrides and where the defaults file is.
function fingerprint(env: Env): string {
  const keys = Object.keys(env)
    .filter((k) => k.startsWith('QTS_') || k === 'LAMBDA_TASK_ROOT' || k.startsWith('TELEGRAM_'))
    .sort();
  return JSON.stringify(keys.map((k) => [k, env[k]]));
}

/**
 * Loads and validates the config once per container (default.yaml + `QTS_*` overrides in the
 * function's environment) and maps it to the domain's limits. A bad config throws ConfigError on
 * the first invocation, naming the key: the function fails loudly instead of trading on defaults.
 */
export function functionConfig(env: Env): FunctionConfig {
  const key = fingerprint(env);
  if (cached?.key === key) return cached.value;
  const config = loadConfig({ env: withoutExchangeKeys(env), defaultPath: defaultConfigPath(env) });
  const value: FunctionConfig = {
    config,
    limits: riskLimitsFromSettings(config),
    rules: KRW_MARKET_RULES,
    monitor: {
      heartbeatStaleMs: config.monitor.executorHeartbeatStaleSeconds * MS.second,
      equityStaleMs: config.monitor.equityStaleSeconds * MS.second,
      realertMs: config.monitor.realertMinutes * MS.minute,
    },
    strategyCapital: krw(decimalFromNumber(config.capital.perStrategyKrw)),
  };
  cached = { key, value };
  return value;
}
