/**
 * Runs async work one at a time per key (an order identifier, a market): the placement, the WebSocket
 * fill and the REST backstop of one order never interleave inside this process, so compare-and-set
 * conflicts only ever come from another process. Keys are forgotten once idle.
 */
export class KeyedSerial {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
