import { z } from 'zod';
import { generateDailyReport } from '../../shared/src/application/reporting/daily-report';
import { alertNotifier, tableStores } from '../lib/aws-deps';
import { kstDateField, requestIdField, scheduledEventSchema } from '../lib/event-sources';
import { functionConfig } from '../lib/function-config';
import { idempotent } from '../lib/idempotency';
import { defineFunction, lambdaHandler } from '../lib/lambda-handler';

/** A parsed report event; `idempotencyKey` keys the Powertools guard (absent: no guard). */
interface ReportEvent {
  readonly date?: string;
  readonly idempotencyKey?: string;
}

/** 09:00 KST (EventBridge: the event id keys retries) or on demand (`{"date":"2026-11-25","requestId":"…"}`). */
const input = z.union(
  [
    scheduledEventSchema.transform((e): ReportEvent => ({ idempotencyKey: `schedule:${e.id}` })),
    z.strictObject({ date: kstDateField.optional(), requestId: requestIdField.optional() }).transform(
      ({ date, requestId }): ReportEvent => ({
        ...(date === undefined ? {} : { date }),
        ...(requestId === undefined ? {} : { idempotencyKey: `manual:${requestId}` }),
      }),
    ),
  ],
  {
    error: 'expected an EventBridge scheduled event or {"date":"YYYY-MM-DD","requestId":"…"} (both optional)',
  },
);

/** The daily report function (handler spec, reused by tests and the local stack): see shared/src/application/reporting/daily-report.ts. */
export const reportFunction = defineFunction({
  component: 'report',
  input,
  idempotency: idempotent(2 * 86_400),
  run: async (event, { env, logger, clock }) => {
    const { config, limits, rules, strategyCapital } = functionConfig(env);
    const { store, equity, reports, status } = tableStores(env);
    const deps = { journal: store, equity, reports, notifier: alertNotifier(env), clock };
    const settings = {
      dailyGoalPct: config.dailyGoalPct,
      strategyCapital,
      sellFeeRate: rules.takerFee,
      limits,
    };
    const r = await generateDailyReport(deps, {
      ...settings,
      ...(event.date === undefined ? {} : { date: event.date }),
    });
    const at = clock.now();
    await status.putStatus({
      component: 'report',
      at,
      healthy: true,
      summary: `${r.date} ${r.outcome}`,
      details: { date: r.date, outcome: r.outcome },
    });
    logger.info('daily report sent', { date: r.date, outcome: r.outcome, alertKey: r.alert.key });
    return { ok: true, date: r.date, outcome: r.outcome, alertKey: r.alert.key };
  },
});

/** The Lambda entry point (serverless.yml `handler: functions/report/handler.handler`). */
export const handler = lambdaHandler(reportFunction);
