// @ts-check
/**
 * The dashboard's client of the QTS API. The token lives in sessionStorage (this tab only, gone
 * when it closes) and travels only in the Authorization header: never in a URL, so it cannot end
 * up in history, logs or a Referer. Live updates use Server-Sent Events read with fetch (EventSource
 * cannot send headers); where the stream is not offered (the cloud API) it falls back to polling.
 */

const TOKEN_KEY = 'qts.token';

/** An API answer that was not 2xx. */
export class ApiFailure extends Error {
  /**
   * @param {number} status
   * @param {{ error?: string, message?: string, fields?: { field: string, message: string }[] }} body
   */
  constructor(status, body) {
    super(body.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** The stored token, or null. */
export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** @param {string} token */
export function storeToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
async function call(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${storedToken() ?? ''}` };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    // One key per press: a retried or doubled request acts once (the server replays the answer).
    headers['idempotency-key'] = crypto.randomUUID();
  }
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiFailure(res.status, json);
  return json;
}

/** @param {string} path */
export const get = (path) => call('GET', path);
/** @param {string} path @param {unknown} body */
export const post = (path, body) => call('POST', path, body);
/** @param {string} path @param {unknown} body */
export const patch = (path, body) => call('PATCH', path, body);

/**
 * Reads `GET /api/events` and calls `onUpdate` with every update; reconnects after a drop. Returns
 * a function that stops it. `onState` reports 'on' | 'off' | 'poll'. A 501 (no stream on this
 * deployment) switches to polling `poll` every 5 s; a 401 calls `onUnauthorized`.
 * @param {{ onUpdate: (data: any) => void, onState: (s: string) => void, poll: () => Promise<any>, onUnauthorized: () => void }} handlers
 */
export function subscribe({ onUpdate, onState, poll, onUnauthorized }) {
  const controller = new AbortController();
  let stopped = false;
  const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

  async function pollForever() {
    onState('poll');
    while (!stopped) {
      try {
        onUpdate(await poll());
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) return onUnauthorized();
      }
      await sleep(5000);
    }
  }

  async function stream() {
    while (!stopped) {
      try {
        const res = await fetch('/api/events', {
          headers: { authorization: `Bearer ${storedToken() ?? ''}`, accept: 'text/event-stream' },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401) return onUnauthorized();
        if (res.status === 501 || res.status === 404) return pollForever();
        if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}`);
        onState('on');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n');
            if (frame.includes('event: update') && data) onUpdate(JSON.parse(data));
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        if (stopped) return;
      }
      onState('off');
      await sleep(3000);
    }
  }

  stream();
  return () => {
    stopped = true;
    controller.abort();
  };
}
