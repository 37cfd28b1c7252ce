import type { CommandSpec, OptionSpec } from '../lib/args';

/** Exit codes of `npm run ops`, shown in every `--help` so scripts can rely on them. */
export const OpsExit = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

const EXIT_NOTES = [
  'Exit codes: 0 done (also when the latch was already set: "unchanged"), 1 failure (AWS unreachable,',
  'command not enqueued), 2 usage or configuration error (bad option, missing environment variable),',
  '3 refused (release: wrong or missing token, nothing latched, latch changed meanwhile).',
];

const ENV_NOTES = [
  'Against the local stack: nothing to set. With `npm start` running, ops finds it through .qts/stack.json',
  '(QTS_STACK_FILE to point elsewhere).',
  'Against the cloud (or emulators you started yourself): QTS_STATE_TABLE (DynamoDB state table),',
  'QTS_CONTROL_QUEUE_URL (SQS FIFO control queue), QTS_ALERT_QUEUE_URL (report only),',
  'AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS (emulators; unset = AWS), AWS_REGION and the usual',
  'AWS credentials. `tsx shared/testing/emulators/local-stack.ts` prints them for its emulators.',
  'The operator token a release is checked against: SSM <QTS_SSM_PREFIX>/QTS_API_TOKEN in the cloud;',
  'locally the file the local stack writes (.qts/local-secrets.json, or QTS_SECRETS_FILE).',
];

const json: OptionSpec = {
  name: 'json',
  type: 'boolean',
  description: 'Print one JSON object on stdout, nothing else.',
};
const reason: OptionSpec = {
  name: 'reason',
  type: 'string',
  value: 'TEXT',
  description: 'Why (required, up to 1000 characters; kept in the audit log).',
};
const actor: OptionSpec = {
  name: 'actor',
  type: 'string',
  value: 'NAME',
  description: 'Who is acting, for the audit log.',
  defaultText: 'your OS user name',
};

/** The top-level `--help`. */
export const OPS_HELP = [
  'Usage: npm run ops -- <command> [options]',
  '',
  'Operator controls: the emergency stop, the daily report, strategy switches. The CLI never talks to',
  'Upbit: it latches the stop in the state store (audited) and enqueues a control command for the',
  'executor, which cancels orders and sells holdings.',
  '',
  'Commands:',
  '  status          Latch state, who/when/why, trading and strategy switches, latest audit entries.',
  '  emergency-stop  Latch the emergency stop (reducing by default, --halt for halted).',
  '  close-all       Latch reducing and ask the executor to sell every holding.',
  '  release         Clear the latch (needs the operator token in QTS_API_TOKEN).',
  '  report          Run the daily report now (yesterday KST by default) and send it to Telegram.',
  '  strategy        List the strategies, or switch one on or off (--name N --enable|--disable).',
  '',
  'Run `npm run ops -- <command> --help` for a command’s options.',
  '',
  ...ENV_NOTES,
  '',
  ...EXIT_NOTES,
  '',
].join('\n');

const notes = [...ENV_NOTES, '', ...EXIT_NOTES];

/** `status` options. */
export const STATUS_SPEC: CommandSpec = {
  usage: 'npm run ops -- status [--limit N] [--json]',
  summary: 'Shows the emergency latch, the trading and strategy switches and the latest audit entries.',
  options: [
    {
      name: 'limit',
      type: 'string',
      value: 'N',
      description: 'Audit entries to show (1-100).',
      defaultText: '10',
    },
    json,
  ],
  examples: ['npm run ops -- status', 'npm run ops -- status --json --limit 50'],
  notes,
};

/** `emergency-stop` options. */
export const STOP_SPEC: CommandSpec = {
  usage: 'npm run ops -- emergency-stop --reason TEXT [--halt] [--flatten] [--actor NAME] [--json]',
  summary:
    'Latches the emergency stop and tells the executor to cancel every open order. `reducing` (default) still lets positions be closed; `halted` allows no order at all. Running it again escalates reducing to halted or reports "unchanged"; only `release` clears it.',
  options: [
    reason,
    { name: 'halt', type: 'boolean', description: 'Latch `halted` instead of `reducing`.' },
    { name: 'flatten', type: 'boolean', description: 'Also sell every holding (same as close-all).' },
    actor,
    json,
  ],
  examples: [
    'npm run ops -- emergency-stop --reason "exchange maintenance announced"',
    'npm run ops -- emergency-stop --halt --reason "suspected key leak"',
  ],
  notes,
};

/** `close-all` options. */
export const CLOSE_ALL_SPEC: CommandSpec = {
  usage: 'npm run ops -- close-all --reason TEXT [--actor NAME] [--json]',
  summary:
    'Latches `reducing` and asks the executor to cancel every open order and sell every holding with marketable limit orders inside the slippage guard. If the latch is already `halted` nothing is sold (release first).',
  options: [reason, actor, json],
  examples: ['npm run ops -- close-all --reason "flatten before the weekend"'],
  notes,
};

/** `release` options. */
export const RELEASE_SPEC: CommandSpec = {
  usage: 'QTS_API_TOKEN=... npm run ops -- release --reason TEXT [--actor NAME] [--json]',
  summary:
    "Clears the emergency latch read just now, recording who, when and why. The operator token is read from QTS_API_TOKEN (never from the command line) and must match the one the system accepts: SSM parameter <QTS_SSM_PREFIX>/QTS_API_TOKEN in the cloud (AWS_ENDPOINT_URL_SSM for an emulator), or without QTS_SSM_PREFIX the local stack's secrets file (.qts/local-secrets.json, QTS_SECRETS_FILE to override). Refused attempts are audited and change nothing.",
  options: [reason, actor, json],
  examples: ['QTS_API_TOKEN=$(pass qts/api-token) npm run ops -- release --reason "limits reviewed"'],
  notes,
};

/** `report` options. */
export const REPORT_SPEC: CommandSpec = {
  usage: 'npm run ops -- report [--date YYYY-MM-DD] [--json]',
  summary:
    'Runs the daily report function now (what 09:00 KST runs): PnL, trades, goal attainment, per-strategy results and risk usage of a finished KST day, stored once (a second run shows the stored one) and sent to Telegram through the alert queue.',
  options: [
    {
      name: 'date',
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'The KST day to report (it must be over).',
      defaultText: 'yesterday (KST)',
    },
    json,
  ],
  examples: ['npm run ops -- report', 'npm run ops -- report --date 2026-11-25 --json'],
  notes,
};

/** `strategy` options. */
export const STRATEGY_SPEC: CommandSpec = {
  usage: 'npm run ops -- strategy [--name NAME (--enable | --disable) [--weight W]] [--actor NAME] [--json]',
  summary:
    "Without --name: every strategy's effective switch, weight and version. With --name: the dashboard's strategy switch from the terminal: validated by the configuration's rules, stored with a version check, audited, and sent to the executor.",
  options: [
    {
      name: 'name',
      type: 'string',
      value: 'NAME',
      description: 'market_making, stat_arb, microstructure, momentum_scalping or mean_reversion.',
    },
    { name: 'enable', type: 'boolean', description: 'Switch it on.' },
    {
      name: 'disable',
      type: 'boolean',
      description: 'Switch it off (its open positions can still be closed).',
    },
    {
      name: 'weight',
      type: 'string',
      value: 'W',
      description: 'Its ensemble weight, 0-1 (the ensemble renormalises the weights).',
    },
    actor,
    json,
  ],
  examples: [
    'npm run ops -- strategy',
    'npm run ops -- strategy --name stat_arb --disable',
    'npm run ops -- strategy --name mean_reversion --enable --weight 0.1',
  ],
  notes,
};
