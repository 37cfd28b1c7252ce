import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny SSM endpoint speaking the AWS JSON 1.1 protocol for GetParameter only, so the real SSM
 * adapter (and the real AWS SDK) is exercised over HTTP in tests. There is no SSM emulator offline.
 */
export interface FakeSsmServer {
  readonly endpoint: string;
  readonly parameters: Map<string, string>;
  /** How many GetParameter calls arrived (to test caching). */
  calls: number;
  close(): Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startFakeSsm(parameters: Record<string, string> = {}): Promise<FakeSsmServer> {
  const state = new Map(Object.entries(parameters));
  let server: Server | undefined;
  const fake: FakeSsmServer = {
    endpoint: '',
    parameters: state,
    calls: 0,
    close: () => new Promise((resolve) => server?.close(() => resolve())),
  };
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/x-amz-json-1.1');
      if (req.headers['x-amz-target'] !== 'AmazonSSM.GetParameter') {
        res.statusCode = 400;
        res.end(
          JSON.stringify({ __type: 'UnknownOperationException', message: 'only GetParameter is faked' }),
        );
        return;
      }
      fake.calls++;
      const { Name } = JSON.parse(body) as { Name: string };
      const value = state.get(Name);
      if (value === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ParameterNotFound', message: `Parameter ${Name} not found.` }));
        return;
      }
      res.end(JSON.stringify({ Parameter: { Name, Type: 'SecureString', Value: value, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (fake as { endpoint: string }).endpoint = `http://127.0.0.1:${port}`;
  return fake;
}
