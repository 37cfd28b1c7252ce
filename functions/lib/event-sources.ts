import { z } from 'zod';

/** EventBridge's scheduled event (`schedule:` in serverless.yml); `id` is stable across its retries. */
export const scheduledEventSchema = z.looseObject({
  id: z.string().min(1),
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  time: z.string(),
});
/** A scheduled event. */
export type ScheduledEvent = z.infer<typeof scheduledEventSchema>;

/** A DynamoDB Streams batch (only the fields the functions read: they re-read the table). */
export const dynamoStreamEventSchema = z.looseObject({
  Records: z
    .array(
      z.looseObject({
        eventID: z.string().min(1),
        eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
        eventSource: z.literal('aws:dynamodb'),
      }),
    )
    .min(1),
});

/** A KST date `YYYY-MM-DD` in an on-demand payload. */
export const kstDateField = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a KST date YYYY-MM-DD');

/** An operator-chosen request id: makes an on-demand invocation idempotent when it is retried. */
export const requestIdField = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'request id: 1–100 characters from A-Z a-z 0-9 _ . : -');

/** Lambda event sources and invocations, for picking a correlation id for the logs. */
export function correlationIdOf(event: unknown, fallback: string): string {
  if (event === null || typeof event !== 'object') return fallback;
  const e = event as Record<string, unknown>;
  for (const key of ['correlationId', 'requestId', 'id'] as const)
    if (typeof e[key] === 'string' && e[key] !== '') return e[key] as string;
  const records = e.Records;
  if (Array.isArray(records) && records.length > 0) {
    const first = records[0] as Record<string, unknown>;
    const id = first.eventID ?? first.messageId;
    if (typeof id === 'string') return id;
  }
  const request = (e.requestContext as Record<string, unknown> | undefined)?.requestId;
  return typeof request === 'string' ? request : fallback;
}
