import { z } from 'zod';
import { monitorRisk } from '../../shared/src/application/risk-monitor/monitor-risk';
import { TradingError } from '../../shared/src/domain/errors/trading-error';
import { alertNotifier, fifoQueue, tableStores } from '../lib/aws-deps';
import { publishMetrics } from '../lib/emf-metrics';
import { dynamoStreamEventSchema, scheduledEventSchema } from '../lib/event-sources';
import { functionConfig } from '../lib/function-config';
import { FunctionEnv } from '../lib/function-env';
import { defineFunction, lambdaHandler } from '../lib/lambda-handler';
import { riskMetrics, riskResponse } from './risk-output';

/** Every minute (EventBridge), after fills (DynamoDB stream of FILLS# inserts), or invoked by hand. */
const input = z.union(
  [
    scheduledEventSchema.transform(() => ({ cause: 'schedule' as const })),
    dynamoStreamEventSchema.transform(() => ({ cause: 'fills' as const })),
    z.strictObject({ cause: z.literal('manual').optional() }).transform(() => ({ cause: 'manual' as const })),
  ],
  { error: 'expected an EventBridge scheduled event, a DynamoDB stream batch, or {} / {"cause":"manual"}' },
);

/** The risk function (handler spec, reused by tests and the local stack): see shared/src/application/risk-monitor/monitor-risk.ts. */
export const riskFunction = defineFunction({
  component: 'risk',
  input,
  run: async ({ cause }, { env, logger, clock }) => {
    const { limits, rules, monitor } = functionConfig(env);
    const controlQueue = fifoQueue(env, FunctionEnv.controlQueueUrl, 'the SQS control queue');
    const deps = { ...tableStores(env), controlQueue, notifier: alertNotifier(env), clock };
    const result = await monitorRisk(deps, { limits, rules, settings: monitor, cause });
    publishMetrics(env, riskMetrics(result), result.at);
    const response = riskResponse(result);
    logger.info('risk check done', response);
    if (!response.ok)
      throw new TradingError('retryable', `risk check incomplete: ${result.problems.join('; ')}`, {
        code: 'risk_check_incomplete',
      });
    return response;
  },
});

/** The Lambda entry point (serverless.yml `handler: functions/risk/handler.handler`). */
export const handler = lambdaHandler(riskFunction);
