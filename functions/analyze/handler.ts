import { z } from 'zod';
import { DynamoDbSignalLog } from '../../shared/src/adapters/dynamodb/dynamodb-signal-log';
import { DynamoDbStrategySettingsStore } from '../../shared/src/adapters/dynamodb/dynamodb-strategy-settings-store';
import { DynamoDbStrategyStateStore } from '../../shared/src/adapters/dynamodb/dynamodb-strategy-state-store';
import { analysisSettingsFromConfig } from '../../shared/src/application/analysis/analysis-settings';
import { type AnalysisMemory, analyzeMarkets } from '../../shared/src/application/analysis/analyze-markets';
import { MS } from '../../shared/src/domain/time/epoch';
import { fifoQueue, stateTable, tableStores } from '../lib/aws-deps';
import { scheduledEventSchema } from '../lib/event-sources';
import { functionConfig } from '../lib/function-config';
import { FunctionEnv } from '../lib/function-env';
import { defineFunction, lambdaHandler } from '../lib/lambda-handler';
import { analysisResponse } from './analysis-output';

/** Every minute (EventBridge) or invoked by hand. */
const input = z.union(
  [
    scheduledEventSchema.transform(() => ({ cause: 'schedule' as const })),
    z.strictObject({ cause: z.literal('manual').optional() }).transform(() => ({ cause: 'manual' as const })),
  ],
  { error: 'expected an EventBridge scheduled event, or {} / {"cause":"manual"}' },
);

/** Strategies a warm container keeps between minutes, per state table (analyze-markets.ts). */
const memories = new Map<string, AnalysisMemory>();

/** The minute analysis function (spec reused by tests and the local stack): see analyze-markets.ts. */
export const analyzeFunction = defineFunction({
  component: 'analyze',
  input,
  run: async (_event, { env, logger, clock }) => {
    const { config } = functionConfig(env);
    const table = stateTable(env);
    const { store, equity, status, marketData } = tableStores(env);
    const memory = memories.get(table.tableName) ?? {};
    memories.set(table.tableName, memory);
    const deps = {
      clock,
      logger,
      marketData,
      snapshots: new DynamoDbStrategyStateStore(table),
      state: store,
      strategySettings: new DynamoDbStrategySettingsStore(table),
      equity,
      decisionQueue: fifoQueue(env, FunctionEnv.decisionQueueUrl, 'the SQS decision queue'),
      signals: new DynamoDbSignalLog(table, config.analysis.signalRetentionDays * MS.day),
      status,
      memory,
    };
    const run = await analyzeMarkets(deps, { settings: analysisSettingsFromConfig(config) });
    const response = analysisResponse(run);
    logger.info('analysis done', response);
    return response;
  },
});

/** The Lambda entry point (serverless.yml `handler: functions/analyze/handler.handler`). */
export const handler = lambdaHandler(analyzeFunction);
