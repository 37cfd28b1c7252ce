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

/** Node 20's global `fetch` (undici): HTTP/1.1 keep-alive, abortable through the signal. */
export const fetchTransport: HttpTransport = async (request) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const body = await response.text();
  return { status: response.status, header: (name) => response.headers.get(name), body };
};
