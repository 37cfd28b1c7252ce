/**
 * Named crash points on the order path, for the crash tests. `EXECUTOR_FAILPOINT=order.after-submitted:2`
 * makes the process kill itself with SIGKILL the second time it reaches that point, i.e. exactly
 * between two durable steps, which is where a crash-only design must prove itself. Unset (always in
 * production) every `hit` is a no-op.
 */
export const FAILPOINTS = [
  /** The order is stored `pending`, nothing sent. */
  'order.after-pending',
  /** Stored `submitted`, the request not yet sent. */
  'order.after-submitted',
  /** The venue accepted the order; its answer is not yet stored. */
  'order.after-place',
  /** A fill is known but not yet booked. */
  'fill.before-record',
  /** A fill is booked; the order record does not show it yet. */
  'fill.after-record',
  /** A cancel was requested; its outcome is not yet stored. */
  'cancel.after-request',
  /** A decision's orders are out; the queue message is not yet deleted. */
  'decision.before-ack',
] as const;
/** One of {@link FAILPOINTS}. */
export type FailpointName = (typeof FAILPOINTS)[number];

/** Parses `name:n[,name:n…]` (n ≥ 1, default 1); unknown names are an error so a typo never tests nothing. */
export function parseFailpoints(spec: string | undefined): Map<FailpointName, number> {
  const out = new Map<FailpointName, number>();
  if (spec === undefined || spec.trim() === '') return out;
  for (const part of spec.split(',')) {
    const [name, count] = part.trim().split(':');
    if (!(FAILPOINTS as readonly string[]).includes(name ?? ''))
      throw new RangeError(`unknown failpoint "${name}"; known: ${FAILPOINTS.join(', ')}`);
    const n = count === undefined ? 1 : Number(count);
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`failpoint ${name}: count must be ≥ 1, got ${count}`);
    out.set(name as FailpointName, n);
  }
  return out;
}

/** The armed crash points of one process. */
export class Failpoints {
  readonly #remaining: Map<FailpointName, number>;

  constructor(
    spec?: string,
    private readonly crash: (name: FailpointName) => void = () => {
      process.kill(process.pid, 'SIGKILL');
    },
  ) {
    this.#remaining = parseFailpoints(spec);
  }

  /** Passes the point; crashes when it is armed and its count is reached. */
  hit(name: FailpointName): void {
    const left = this.#remaining.get(name);
    if (left === undefined) return;
    if (left > 1) {
      this.#remaining.set(name, left - 1);
      return;
    }
    this.#remaining.delete(name);
    this.crash(name);
  }
}

/** Failpoints that never fire. */
export const NO_FAILPOINTS = new Failpoints();
