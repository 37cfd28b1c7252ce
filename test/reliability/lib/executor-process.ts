import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type ChildExecutor, healthOf, spawnExecutor } from '../../executor/support/child-executor';
import { eventually } from '../../executor/support/real-world';

export { type ChildExecutor, spawnExecutor };

/** Resolves true once the child reconciled (it trades from then on), false when it died first. */
export async function reconciled(child: ChildExecutor, timeoutMs = 60_000): Promise<boolean> {
  const port = await child.port.catch(() => undefined);
  if (port === undefined) return false;
  const exited = child.exited.then(() => false);
  const healthy = eventually(
    'the executor to reconcile',
    async () => (await healthOf(port))?.body.reconciled === true,
    timeoutMs,
  ).catch(() => false);
  return Promise.race([healthy, exited]);
}

/** The child's Prometheus text, or '' when it does not answer. */
export async function metricsOf(child: ChildExecutor): Promise<string> {
  try {
    const port = await child.port;
    return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } catch {
    return '';
  }
}

/** One sample of a metric family (labels as written, e.g. `{outcome="expired"}`), 0 when absent. */
export function metricValue(text: string, name: string, labels = ''): number {
  const escaped = `${name}${labels}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^${escaped} ([0-9.eE+-]+)$`, 'm').exec(text);
  return m?.[1] === undefined ? 0 : Number(m[1]);
}

/** SIGTERM (drain, then exit) and the exit code; SIGKILL after `timeoutMs`. */
export async function stopGracefully(child: ChildExecutor, timeoutMs = 45_000): Promise<number | null> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.process.exitCode;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  const { code } = await child.exited;
  clearTimeout(timer);
  return code;
}

/** SIGKILL and wait for the exit. */
export async function kill(child: ChildExecutor): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await child.exited;
}

/** True when a queue has no message, visible or in flight. */
export async function queueDrained(client: SQSClient, url: string): Promise<boolean> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Attributes?.ApproximateNumberOfMessages === '0' &&
    Attributes?.ApproximateNumberOfMessagesNotVisible === '0'
  );
}

/** Waits (polling) until `probe` holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return eventually('condition', async () => (await probe()) || undefined, timeoutMs).then(
    () => true,
    () => false,
  );
}
