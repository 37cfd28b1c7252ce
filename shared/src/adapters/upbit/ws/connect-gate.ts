import type { IncomingMessage } from 'node:http';
import { isTradingError } from '../../../domain/errors/trading-error';
import type { UpbitWsConnectionOptions } from './ws-connection-options';
import { UpgradeRefusedError } from './ws-connection-options';

const BODY_LIMIT = 4_096;

/**
 * Reads a refused upgrade's answer (status, `Remaining-Req`, body up to 4 KiB) so a 418's stated ban
 * length reaches the limiter; resolves with the error to fail the attempt with.
 */
export function readRefusal(response: IncomingMessage): Promise<UpgradeRefusedError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const header = response.headers['remaining-req'];
    const finish = () =>
      resolve(
        new UpgradeRefusedError(
          response.statusCode ?? 0,
          typeof header === 'string' ? header : null,
          Buffer.concat(chunks).toString('utf8'),
        ),
      );
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    response.once('end', finish);
    response.once('error', finish);
  });
}

/**
 * The connection's side of Upbit's rate limiting, on the process's one limiter: every attempt takes a
 * `websocket-connect` token; a 418 ban (learned over REST or from an upgrade) holds attempts until it
 * ends and is reported; refused upgrades are fed back so the limiter knows what the server said.
 */
export class ConnectGate {
  constructor(private readonly options: UpbitWsConnectionOptions) {}

  /**
   * Waits until an attempt may go; `onHeld` runs before each wait out of a ban (the first attempt
   * counts as done then, so `start()` does not hang for a ban's length). False when `signal` aborts.
   */
  async admit(signal: AbortSignal, onHeld: () => void): Promise<boolean> {
    const { limiter, clock, callbacks, logger, channel } = this.options;
    if (limiter === undefined) return true;
    for (;;) {
      try {
        await limiter.acquire('websocket-connect', signal);
        return true;
      } catch (error) {
        if (signal.aborted) return false;
        if (!isTradingError(error) || error.code !== 'rate_limit_banned') throw error;
        const waitMs = Math.max(1, error.retryAfterMs ?? 1_000);
        logger?.error('upbit websocket reconnect held back by a 418 ban', { channel, waitMs });
        callbacks.onBlocked('rate_limit_banned', error.message, waitMs);
        onHeld();
        try {
          await clock.sleep(waitMs, signal);
        } catch {
          return false;
        }
      }
    }
  }

  /** Feeds a refused upgrade back: a 429 pauses the connect budget, a 418 bans the whole process. */
  refused(error: unknown): void {
    if (!(error instanceof UpgradeRefusedError) || (error.status !== 429 && error.status !== 418)) return;
    const { limiter, callbacks } = this.options;
    const pauseMs = limiter?.observe('websocket-connect', error.status, error.remainingReq, error.body);
    if (error.status === 429)
      callbacks.onBlocked('too_many_requests', error.message, Math.max(1_000, pauseMs ?? 1_000));
  }
}
