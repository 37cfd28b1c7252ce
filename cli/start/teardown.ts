import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now (the child that binds it comes a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Stop steps, run last-started first, each once; a failing step is logged and the rest still run. */
export class Teardown {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  constructor(private readonly log: (name: string, error: unknown) => void) {}
  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse())
      try {
        await step.run();
      } catch (error) {
        this.log(step.name, error);
      }
  }
}
