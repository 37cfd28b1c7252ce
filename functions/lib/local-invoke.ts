import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { ScheduledEvent } from './event-sources';

/**
 * A Lambda context for running a handler outside AWS (tests, the local stack's scheduler, the
 * cold-start benchmark): what Powertools and middy read, with the remaining time counting down from
 * `timeoutMs` like the real one.
 */
export function localLambdaContext(functionName: string, timeoutMs = 60_000): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-2:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The event EventBridge delivers for a `schedule:` rule at `at`. The id identifies one scheduled
 * run: Lambda's retries of that run carry the same id (the report's idempotency key).
 */
export function scheduledEvent(at: number, id: string = randomUUID()): ScheduledEvent {
  return {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date(at).toISOString(),
    region: 'ap-northeast-2',
    resources: [],
    detail: {},
  };
}
