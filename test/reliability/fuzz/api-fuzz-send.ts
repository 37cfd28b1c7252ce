import { request } from 'node:http';
import { connect } from 'node:net';
import { encode, type FuzzRequest } from './api-fuzz-requests';

/** What came back: status (0 when the socket gave none), content type and up to ~200 kB of body. */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Sends a request as a real client frames it (a body always carries its length); event streams are cut at the headers. */
export function sendHttp(port: number, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Framed like a real client: a body always carries its length.
    const headers =
      r.body === undefined
        ? r.headers
        : { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) };
    const path = r.path.replace(/[^\x21-\x7e]/g, (c) => encode(c));
    const req = request(
      { host: '127.0.0.1', port, method: r.method, path, headers, timeout: 10_000 },
      (res) => {
        const type = String(res.headers['content-type'] ?? '');
        if (type.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, contentType: type, body: '' });
          return;
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 200_000) text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: type, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** Writes raw bytes and reads whatever the server answers before it closes or 3 s pass. */
export function sendRaw(port: number, raw: string): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, contentType: '', body: text });
    };
    socket.setTimeout(3_000, done);
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(raw, 'latin1');
  });
}
