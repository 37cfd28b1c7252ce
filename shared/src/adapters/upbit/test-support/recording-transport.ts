import type { HttpRequest, HttpResponse, HttpTransport } from '../rest/http-transport';

/** A canned HTTP answer for {@link RecordingTransport}. */
export interface CannedResponse {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a scripted step does: answer, or fail like the network (throw) or hang until aborted. */
export type Step =
  | CannedResponse
  | { readonly throws: Error }
  | { readonly hang: true }
  | ((req: HttpRequest) => CannedResponse);

/**
 * A scripted HttpTransport for unit tests: records every request and answers from a queue (the
 * last step repeats). Lets tests exercise error mapping, retries and idempotency without a server.
 */
export class RecordingTransport {
  readonly requests: HttpRequest[] = [];
  readonly #steps: Step[];

  constructor(...steps: Step[]) {
    this.#steps = steps;
  }

  /** Adds steps to the end of the script. */
  push(...steps: Step[]): void {
    this.#steps.push(...steps);
  }

  readonly transport: HttpTransport = (req) => {
    this.requests.push(req);
    const step = this.#steps.length > 1 ? this.#steps.shift() : this.#steps[0];
    if (step === undefined) return Promise.reject(new Error('no scripted response'));
    if (typeof step === 'function') return Promise.resolve(toResponse(step(req)));
    if ('throws' in step) return Promise.reject(step.throws);
    if ('hang' in step)
      return new Promise((_resolve, reject) => {
        req.signal.addEventListener('abort', () => reject(req.signal.reason), { once: true });
      });
    return Promise.resolve(toResponse(step));
  };

  /** Decoded JWT payload of request `i` (for asserting query_hash and nonce). */
  jwtPayload(i: number): Record<string, string> | undefined {
    const auth = this.requests[i]?.headers.Authorization;
    if (auth === undefined) return undefined;
    const part = auth.slice(7).split('.')[1] ?? '';
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, string>;
  }
}

function toResponse(c: CannedResponse): HttpResponse {
  const headers = new Map(Object.entries(c.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { status: c.status, body: c.body, header: (name) => headers.get(name.toLowerCase()) ?? null };
}

/** JSON response shorthand. */
export function json(status: number, value: unknown, headers?: Record<string, string>): CannedResponse {
  return { status, body: JSON.stringify(value), ...(headers === undefined ? {} : { headers }) };
}
