/**
 * A small seeded PRNG (mulberry32) whose whole state is one number, so the fake exchange and the
 * backtester's broker are reproducible under `--seed` and the state can be saved and restored.
 * Not cryptographic: it only has to make uuids and market paths repeatable.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Box–Muller); used by the random-walk market. */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A version-4-shaped UUID from this generator, so order/trade ids repeat under the same seed. */
  uuid(): string {
    let hex = '';
    for (let i = 0; i < 4; i++) hex += (this.int(0x100000000) >>> 0).toString(16).padStart(8, '0');
    const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** Current state, for saving; feed it back to the constructor to continue the same sequence. */
  get seed(): number {
    return this.state;
  }
}
