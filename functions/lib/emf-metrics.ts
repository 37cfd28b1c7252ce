import { type Env, FunctionEnv } from './function-env';

/** CloudWatch namespace of the system's custom metrics (the alarms in infra/resources/alarms.yml). */
export const METRICS_NAMESPACE = 'QTS';

/** One metric value with its CloudWatch unit. */
export interface MetricValue {
  readonly name: string;
  readonly value: number;
  readonly unit: 'Seconds' | 'Count' | 'Percent' | 'None';
}

/**
 * A CloudWatch Embedded Metric Format record: one JSON log line that CloudWatch Logs turns into
 * metrics, with no PutMetricData call, no IAM permission and no latency. Dimension: the stage, so
 * dev and prod alarms never mix.
 */
export function emfRecord(stage: string, metrics: readonly MetricValue[], at: number): string {
  const record: Record<string, unknown> = {
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['Stage']],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    Stage: stage,
  };
  for (const m of metrics) record[m.name] = m.value;
  return JSON.stringify(record);
}

/**
 * Writes an EMF record on stdout (a Lambda's stdout is its CloudWatch log stream), dimensioned by
 * `QTS_STAGE`; `POWERTOOLS_METRICS_DISABLED=true` (Powertools' own switch) turns it off for quiet
 * local runs.
 */
export function publishMetrics(
  env: Env,
  metrics: readonly MetricValue[],
  at: number,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): void {
  if (metrics.length === 0 || env.POWERTOOLS_METRICS_DISABLED === 'true') return;
  write(emfRecord(env[FunctionEnv.stage] ?? 'local', metrics, at));
}
