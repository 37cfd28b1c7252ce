import { analyzeFunction } from '../../functions/analyze/handler';
import type { Env } from '../../functions/lib/function-env';
import { lambdaHandler } from '../../functions/lib/lambda-handler';
import { localLambdaContext, scheduledEvent } from '../../functions/lib/local-invoke';
import { reportFunction } from '../../functions/report/handler';
import { riskFunction } from '../../functions/risk/handler';
import { type EpochMs, MS } from '../../shared/src/domain/time/epoch';
import type { Clock } from '../../shared/src/ports/clock';
import type { LogStream } from './log-stream';
import { dailyAtNineKst, everyMinute, type ScheduledJob } from './scheduler';

/** The cloud functions, run in this process exactly as Lambda runs them (same specs, same middleware). */
export interface LocalFunctions {
  /** The minute analysis, then the risk check, for the minute closed before `at`. */
  minute(at: EpochMs): Promise<void>;
  /** The daily report (yesterday, KST), keyed so a repeat for the same run is idempotent. */
  report(at: EpochMs): Promise<unknown>;
  /** The scheduler's jobs: analysis + risk every minute, the report at 09:00 KST. */
  jobs(): ScheduledJob[];
}

/**
 * Wraps the analyze, risk and report handlers (`functions/<name>/handler.ts`, what serverless.yml
 * deploys) for the local scheduler: EventBridge-shaped scheduled events, a Lambda context with the
 * deployed timeouts, the stack's clock and its log stream (one prefix per function).
 */
export function localFunctions(env: Env, logs: LogStream, clock: Clock): LocalFunctions {
  const analyze = lambdaHandler(analyzeFunction, env, { clock, logger: logs.logger('analyze') });
  const risk = lambdaHandler(riskFunction, env, { clock, logger: logs.logger('risk') });
  const report = lambdaHandler(reportFunction, env, { clock, logger: logs.logger('report') });
  const minute = async (at: EpochMs): Promise<void> => {
    // The event id is the minute: a repeated run for one minute is the same EventBridge event.
    const minuteId = Math.floor(at / MS.minute) * MS.minute;
    await analyze(
      scheduledEvent(at, `local-analyze-${minuteId}`),
      localLambdaContext('qts-local-analyze', 50_000),
    );
    await risk(scheduledEvent(at, `local-risk-${minuteId}`), localLambdaContext('qts-local-risk', 50_000));
  };
  const daily = (at: EpochMs) =>
    report(
      scheduledEvent(at, `local-report-${new Date(at).toISOString().slice(0, 10)}`),
      localLambdaContext('qts-local-report', 120_000),
    );
  return {
    minute,
    report: daily,
    jobs: () => [
      { name: 'analyze+risk', next: everyMinute(), run: minute },
      { name: 'report', next: dailyAtNineKst(), run: async (at) => void (await daily(at)) },
    ],
  };
}
