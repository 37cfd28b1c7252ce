import fc from 'fast-check';
import type { CapturedLogs } from '../lib/captured-logs';
import { startCountingApi } from '../lib/counting-api';
import { type FuzzRequest, fuzzRequest } from './api-fuzz-requests';
import { type Answer, sendHttp, sendRaw } from './api-fuzz-send';
import { describeCrash } from './hostile';

/** What one fuzz target found. */
export interface FuzzTally {
  readonly inputs: number;
  /** Inputs that crashed the target (a 5xx, a dead server, an unclassified throw). */
  readonly crashes: number;
  /** Inputs refused with a clear error (4xx with a JSON error body; a classified rejection). */
  readonly rejected: number;
  /** Refused inputs after which a store had been written to. */
  readonly writesOnRejected: number;
  /** Refusals that were not clear (no JSON error body, a stack trace in the answer). */
  readonly unclear: number;
  readonly examples: readonly string[];
}

/**
 * Fuzzes the HTTP API over real sockets (the local server with its router, auth, validation and
 * body limits on memory stores): `runs` seeded inputs, each answer judged — no 5xx, no dead
 * server, 4xx with a JSON `{error, message}` body and no stack trace, and no store written to when
 * the input was refused (every write method of every store and the control queue is counted).
 */
export async function fuzzApi(runs: number, seed: number, logs: CapturedLogs): Promise<FuzzTally> {
  const { server, counter, world } = await startCountingApi();
  const inputs = fc.sample(fuzzRequest, { numRuns: runs, seed });
  let crashes = 0;
  let rejected = 0;
  let writesOnRejected = 0;
  let unclear = 0;
  const examples: string[] = [];
  const example = (what: string, r: FuzzRequest) => {
    if (examples.length < 8)
      examples.push(`${what}: ${r.method} ${r.path.slice(0, 80)} ${(r.body ?? r.raw ?? '').slice(0, 60)}`);
  };
  try {
    for (const r of inputs) {
      const before = counter.writes;
      let answer: Answer;
      try {
        answer = r.raw !== undefined ? await sendRaw(server.port, r.raw) : await sendHttp(server.port, r);
      } catch (error) {
        // The server hung up on an oversized upload after answering 413, or refused at the socket level.
        const alive = await sendHttp(server.port, { method: 'GET', path: '/api/health', headers: {} }).catch(
          () => undefined,
        );
        if (alive?.status !== 200) {
          crashes += 1;
          example(`server dead after ${describeCrash(error)}`, r);
        } else rejected += 1;
        continue;
      }
      if (answer.status >= 500 && answer.status !== 501) {
        crashes += 1;
        example(`${answer.status}`, r);
        continue;
      }
      if (answer.status >= 400 || answer.status === 0) {
        rejected += 1;
        const refusal = [0, 400, 401, 403, 404, 405, 413, 415, 422].includes(answer.status);
        if (refusal && counter.writes !== before) {
          writesOnRejected += 1;
          example(`${answer.status} after ${counter.writes - before} writes`, r);
        }
        const isApi = r.path.startsWith('/api') && r.raw === undefined && r.method !== 'HEAD';
        const json = (() => {
          try {
            return JSON.parse(answer.body) as { error?: unknown; message?: unknown };
          } catch {
            return undefined;
          }
        })();
        const clear = !isApi || (typeof json?.error === 'string' && typeof json.message === 'string');
        if (!clear || /\n\s+at |node_modules/.test(answer.body)) {
          unclear += 1;
          example(`unclear ${answer.status} ${answer.body.slice(0, 80)}`, r);
        }
      }
    }
    const alive = await sendHttp(server.port, { method: 'GET', path: '/api/health', headers: {} }).catch(
      () => undefined,
    );
    if (alive?.status !== 200) crashes += 1;
  } finally {
    await server.close();
    const sink = logs.sink('fuzz-api');
    for (const line of world.logger.lines) sink(line);
  }
  return { inputs: inputs.length, crashes, rejected, writesOnRejected, unclear, examples };
}
