import { z } from 'zod';

const seconds = (min: number, max: number) => z.number().int().min(min).max(max);
const relativePath = z.string().min(1);

/**
 * The executor's own settings (`executor:` in config/default.yaml). Money limits stay in
 * `capital`/`guards`; these are the knobs of the always-on process: its ops port, how stale a decision
 * may be, how often it reconciles, what it does with orders it did not place and with quotes on
 * shutdown, where the tape and the paper account live, and how it paces order traffic.
 */
export const executorConfigSchema = z.strictObject({
  /** GET /healthz, GET /metrics, POST /drain on 127.0.0.1; 0 = a free port (printed at start). */
  opsPort: z.number().int().min(0).max(65535),
  /** Decisions older than this (or past their own expiresAt) are dropped with a log line. */
  decisionTtlSeconds: seconds(1, 3600),
  /** Reconciliation with the exchange after start and then this often. */
  reconcileIntervalSeconds: seconds(10, 86_400),
  /** Orders found open on the exchange that no decision of this system placed. */
  unknownOrderPolicy: z.enum(['adopt', 'cancel']),
  /** Resting quotes on drain/SIGTERM: left on the book (the next start adopts them) or cancelled. */
  quotesOnShutdown: z.enum(['leave', 'cancel']),
  /** Trade tape and order-book snapshots, gzip, one directory per KST day. */
  tapeDir: relativePath,
  /** At most one order-book snapshot per market this often (0 = every update). */
  tapeOrderbookIntervalMs: z.number().int().min(0).max(60_000),
  /** Paper orders: `local` = in-process paper venue; `sim` = the fake exchange's own engine over HTTP (exchange: sim only). */
  paperVenue: z.enum(['local', 'sim']),
  /** The local paper venue's account, saved after every change so it survives restarts. */
  paperStateFile: relativePath,
  /** KRW a fresh local paper account starts with. */
  paperBalanceKrw: z.number().min(0),
  /** Passive decisions rest as post-only makers this long before escalating (or giving up). */
  makerWindowSeconds: seconds(1, 3600),
  /** After the maker window a passive decision escalates to a marketable limit (IOC) within guards.slippageBps. */
  escalatePassive: z.boolean(),
  /** One order is cancelled and re-placed at most this often (re-pricing as the book moves). */
  repriceMinIntervalMs: z.number().int().min(100).max(60_000),
  /** Cancel/replace budget of quote maintenance, below Upbit's 12 orders/s. */
  orderRatePerSecond: z.number().gt(0).max(12),
  /** Edge a trade must expect above its round-trip fees, in basis points (fee-aware execution). */
  minEdgeBps: z.number().min(0).max(1000),
  /** REST polling of open orders, the backstop for fills the WebSocket missed. */
  fillPollSeconds: seconds(1, 600),
  /** The executor evaluates the loss limits on every equity point (the instant -3 % rule needs it live). */
  lossCheck: z.boolean(),
  /** How long a received decision/control message stays invisible; renewed every half while it is worked on. */
  queueVisibilitySeconds: seconds(2, 43_200),
  /** Upper bound of POST /drain and SIGTERM (systemd's stop timeout must be longer). */
  drainTimeoutSeconds: seconds(1, 300),
  /**
   * A market whose order book has not updated for this long is not traded (nothing is priced off a
   * stale book) until the next update; the pause and the resumption are alerted.
   */
  staleBookSeconds: seconds(1, 600),
});

/** The validated `executor:` section. */
export type ExecutorConfig = z.infer<typeof executorConfigSchema>;
