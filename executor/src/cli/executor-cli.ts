import type { CommandSpec } from '../../../cli/lib/args';

/** Exit codes of `npm run executor`. */
export const ExecutorExit = { ok: 0, failed: 1, usage: 2 } as const;

/** `npm run executor -- --help`. */
export const EXECUTOR_SPEC: CommandSpec = {
  usage:
    'npm run executor -- [--exchange upbit|sim] [--mode paper|live] [--ops-port N] [--dry-run] [--self-check [--json]]',
  summary:
    'The always-on executor: holds the Upbit WebSocket, consumes decisions from the FIFO queue, places and ' +
    'manages orders, reconciles with the exchange, records the tape, and serves GET /healthz, GET /metrics ' +
    'and POST /drain on 127.0.0.1. Paper mode (the default) needs no keys.',
  options: [
    {
      name: 'exchange',
      type: 'string',
      value: 'upbit|sim',
      description: 'Market data (and, live, orders) from Upbit or the bundled sim.',
      defaultText: 'config `exchange` (sim)',
    },
    {
      name: 'mode',
      type: 'string',
      value: 'paper|live',
      description:
        'paper simulates fills; live needs UPBIT_ACCESS_KEY, UPBIT_SECRET_KEY and QTS_LIVE_CONFIRM=yes.',
      defaultText: 'config `mode` (paper)',
    },
    {
      name: 'ops-port',
      type: 'string',
      value: 'N',
      description: 'Port of the ops server on 127.0.0.1; 0 = a free port (printed).',
      defaultText: 'config executor.opsPort (9090)',
    },
    {
      name: 'dry-run',
      type: 'boolean',
      description:
        'Start the feed and reconcile, never consume decisions nor place or cancel orders; exit 0 when reconciliation succeeded.',
    },
    {
      name: 'self-check',
      type: 'boolean',
      description:
        'Check config, state table, queues and exchange REST (and /v1/accounts with keys), print a report, exit 0 if all OK. Never trades.',
    },
    {
      name: 'json',
      type: 'boolean',
      description: 'With --self-check: one JSON object instead of the table.',
    },
  ],
  examples: [
    'npm run executor                                   # paper trading on the sim (npm run sim in another terminal)',
    'npm run executor -- --exchange upbit               # paper trading on real Upbit public data, no keys',
    'npm run executor -- --self-check',
    'npm run executor -- --dry-run --ops-port 0',
    'QTS_LIVE_CONFIRM=yes UPBIT_ACCESS_KEY=… UPBIT_SECRET_KEY=… npm run executor -- --exchange upbit --mode live',
  ],
  notes: [
    'Environment: QTS_STATE_TABLE, QTS_DECISION_QUEUE_URL (+ QTS_DECISION_DLQ_URL), QTS_CONTROL_QUEUE_URL',
    '(+ QTS_CONTROL_DLQ_URL), AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS for the emulators',
    '(npx tsx shared/testing/emulators/local-stack.ts prints them), UPBIT_REST_URL / UPBIT_WS_URL, QTS_RELEASE.',
    'Without QTS_STATE_TABLE paper state lives in memory; without the queue URLs nothing is consumed.',
    'SIGTERM (or POST /drain) stops taking decisions, finishes in-flight work and exits 0. See executor/README.md.',
    'Exit codes: 0 ok, 1 failed (self-check, dry-run reconciliation, startup), 2 usage or configuration error.',
  ],
};
