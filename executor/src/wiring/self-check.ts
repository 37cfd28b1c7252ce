import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import {
  createDocumentClient,
  dynamoDbConnectionFromEnv,
} from '../../../shared/src/adapters/dynamodb/dynamodb-client';
import { DynamoDbStateStore } from '../../../shared/src/adapters/dynamodb/dynamodb-state-store';
import { createSqsClient, sqsConnectionFromEnv } from '../../../shared/src/adapters/sqs/sqs-client';
import { SystemClock } from '../../../shared/src/adapters/system/system-clock';
import { createUpbitAdapters } from '../../../shared/src/adapters/upbit/upbit-adapters';
import type { AppConfig } from '../../../shared/src/config/config-schema';
import { describeError } from '../runtime/periodic';
import { type Env, ExecutorEnv, envValue } from './executor-env';
import { chooseVenue, venueCredentials } from './venue-selection';

/** One line of the self-check report. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

async function check(name: string, work: () => Promise<string>): Promise<CheckResult> {
  try {
    return { name, ok: true, detail: await work() };
  } catch (error) {
    return { name, ok: false, detail: describeError(error) };
  }
}

/**
 * `--self-check`: can this executor run here? Config (already validated by the caller), the state
 * table, both queues, the exchange's REST API (and `GET /accounts` with the keys when orders go to a
 * keyed venue). Reads only: never trades, never receives a message, writes nothing.
 */
export async function selfCheck(config: AppConfig, env: Env): Promise<CheckResult[]> {
  const clock = new SystemClock();
  const results: CheckResult[] = [
    {
      name: 'config',
      ok: true,
      detail: `mode ${config.mode}, exchange ${config.exchange}, markets ${config.markets.join(',')}`,
    },
  ];
  const table = envValue(env, ExecutorEnv.stateTable);
  results.push(
    await check('state store', async () => {
      if (table === undefined) {
        if (config.mode === 'live')
          throw new Error(`${ExecutorEnv.stateTable} is not set (live mode needs it)`);
        return `${ExecutorEnv.stateTable} not set: paper state would live in memory only`;
      }
      const client = createDocumentClient(dynamoDbConnectionFromEnv(env));
      try {
        const control = await new DynamoDbStateStore({ client, tableName: table }).getControl();
        return `table ${table}; latch ${control.latch?.state ?? 'none'}; trading ${control.tradingEnabled ? 'enabled' : 'stopped'}`;
      } finally {
        client.destroy();
      }
    }),
  );
  const sqs = createSqsClient(sqsConnectionFromEnv(env));
  try {
    for (const [name, variable] of [
      ['decision queue', ExecutorEnv.decisionQueueUrl],
      ['control queue', ExecutorEnv.controlQueueUrl],
    ] as const)
      results.push(
        await check(name, async () => {
          const url = envValue(env, variable);
          if (url === undefined) throw new Error(`${variable} is not set`);
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
          );
          return `${url} (${Attributes?.ApproximateNumberOfMessages ?? '?'} waiting)`;
        }),
      );
  } finally {
    sqs.destroy();
  }
  const choice = chooseVenue(config);
  const credentials = venueCredentials(config, choice);
  const upbit = createUpbitAdapters({
    restUrl: choice.restUrl,
    wsUrl: choice.wsUrl,
    clock,
    ...(credentials === undefined ? {} : { credentials }),
  });
  results.push(
    await check('exchange REST', async () => {
      const tickers = await upbit.marketData.getTickers(config.markets);
      return `${upbit.urls.rest}: ${tickers.map((t) => `${t.market} ${t.tradePrice}`).join(', ')}`;
    }),
  );
  if (upbit.venue !== undefined) {
    const venue = upbit.venue;
    results.push(
      await check('exchange accounts', async () => {
        const balances = await venue.getBalances();
        return `${balances.length} currencies (${balances.map((b) => b.currency).join(', ')})`;
      }),
    );
  }
  return results;
}

/** The report as an aligned table with a verdict line. */
export function selfCheckText(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(width)}  ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  lines.push('', failed === 0 ? 'All checks passed.' : `${failed} check(s) failed.`);
  return `${lines.join('\n')}\n`;
}
