/** One HTTP request as the Upbit client sends it. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborts the request (timeout or caller); the transport must reject when it fires. */
  readonly signal: AbortSignal;
}

/** One HTTP response: status, a case-insensitive header lookup and the body text. */
export interface HttpResponse {
  readonly status: number;
  header(name: string): string | null;
  readonly body: string;
}

/**
 * Sends HTTP. Injectable so fuzz and unit tests can feed arbitrary bodies to the client without a
 * server; production uses {@link fetchTransport}.
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * Largest response body read. Upbit's largest answers (1,000 closed orders, every market) are well under
 * a MiB; anything bigger is not Upbit and must not fill the executor's memory.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** A response body over {@link MAX_RESPONSE_BYTES}; the client treats it like a network failure. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

async function boundedText(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(`response body of ${declared} bytes is over ${MAX_RESPONSE_BYTES}`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new ResponseTooLargeError(`response body is over ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Node 20's global `fetch` (undici): HTTP/1.1 keep-alive, abortable through the signal, bounded body. */
export const fetchTransport: HttpTransport = async (request) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const body = await boundedText(response);
  return { status: response.status, header: (name) => response.headers.get(name), body };
};
