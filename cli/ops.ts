import { userInfo } from 'node:os';
import {
  type CommandSpec,
  helpText,
  numberOption,
  type ParsedOptions,
  parseCommandLine,
  stringOption,
  UsageError,
} from './lib/args';
import { quietAwsSdkNodeNotice } from './lib/aws-sdk-notice';
import { opsRelease, opsStatus, opsStop } from './ops/ops-commands';
import { opsDepsFromEnv } from './ops/ops-env';
import { withLocalStack } from './ops/ops-local-stack';
import { releaseText, statusJson, statusText, stopText, strategiesText } from './ops/ops-output';
import { opsChangeStrategy, opsReport, opsStrategies } from './ops/ops-report';
import {
  CLOSE_ALL_SPEC,
  OPS_HELP,
  OpsExit,
  RELEASE_SPEC,
  REPORT_SPEC,
  STATUS_SPEC,
  STOP_SPEC,
  STRATEGY_SPEC,
} from './ops/ops-specs';

const SPECS: Readonly<Record<string, CommandSpec>> = {
  status: STATUS_SPEC,
  'emergency-stop': STOP_SPEC,
  'close-all': CLOSE_ALL_SPEC,
  release: RELEASE_SPEC,
  report: REPORT_SPEC,
  strategy: STRATEGY_SPEC,
};

const out = (text: string): void => {
  process.stdout.write(text);
};
const printJson = (value: unknown): void => out(`${JSON.stringify(value, null, 2)}\n`);

function actorOf(options: ParsedOptions): string {
  const given = stringOption(options, 'actor');
  if (given !== undefined) return given;
  try {
    return userInfo().username;
  } catch {
    throw new UsageError('cannot tell who you are: pass --actor NAME');
  }
}

function requiredReason(options: ParsedOptions): string {
  const reason = stringOption(options, 'reason');
  if (reason === undefined) throw new UsageError('--reason TEXT is required');
  return reason;
}

async function run(name: string, options: ParsedOptions): Promise<number> {
  quietAwsSdkNodeNotice();
  const asJson = options.json === true;
  const local = withLocalStack(process.env);
  if (local.note !== undefined && !asJson) process.stderr.write(`ops: ${local.note}\n`);
  const listing = name === 'strategy' && stringOption(options, 'name') === undefined;
  const deps = opsDepsFromEnv(local.env, { queue: name !== 'status' && name !== 'report' && !listing });
  try {
    if (name === 'report') {
      const report = await opsReport(local.env, deps.db, stringOption(options, 'date'));
      if (asJson) printJson(report);
      else
        out(
          `${report.text[deps.config.telegram.language]}\n\n(report ${report.date}: ${report.outcome === 'created' ? 'stored now' : 'already stored, shown again'}; sent to Telegram through the alert queue)\n`,
        );
      return OpsExit.ok;
    }
    if (name === 'strategy') {
      const parts = { ops: deps, config: deps.config, strategySettings: deps.strategySettings };
      if (listing) {
        const all = await opsStrategies(parts);
        if (asJson) printJson(all);
        else out(strategiesText(all));
        return OpsExit.ok;
      }
      if (options.enable === true && options.disable === true)
        throw new UsageError('--enable and --disable contradict each other');
      const weight =
        stringOption(options, 'weight') === undefined
          ? undefined
          : numberOption(options, 'weight', 0, { min: 0, max: 1 });
      if (options.enable !== true && options.disable !== true && weight === undefined)
        throw new UsageError('say what to change: --enable, --disable or --weight W');
      const changed = await opsChangeStrategy(parts, {
        name: stringOption(options, 'name') ?? '',
        ...(options.enable === true ? { enabled: true } : options.disable === true ? { enabled: false } : {}),
        ...(weight === undefined ? {} : { weight }),
        actor: actorOf(options),
      });
      if (asJson) printJson(changed);
      else out(strategiesText([changed]));
      return OpsExit.ok;
    }
    if (name === 'status') {
      const status = await opsStatus(
        deps,
        numberOption(options, 'limit', 10, { min: 1, max: 100, integer: true }),
      );
      if (asJson) printJson(statusJson(status));
      else out(statusText(status));
      return OpsExit.ok;
    }
    if (name === 'release') {
      const result = await opsRelease(deps, { reason: requiredReason(options), actor: actorOf(options) });
      if (asJson) printJson(result);
      if (!result.ok) {
        process.stderr.write(`ops release: refused (${result.refusal}): ${result.message}\n`);
        return OpsExit.refused;
      }
      if (!asJson) out(releaseText(result));
      return OpsExit.ok;
    }
    const closeAll = name === 'close-all';
    const result = await opsStop(deps, {
      reason: requiredReason(options),
      actor: actorOf(options),
      state: options.halt === true ? 'halted' : 'reducing',
      flatten: closeAll || options.flatten === true,
    });
    if (asJson) printJson(result);
    else out(stopText(result));
    return OpsExit.ok;
  } finally {
    deps.close();
  }
}

/**
 * `npm run ops`: the operator's terminal entry point to the emergency stop (the dashboard and the
 * Telegram bot reach the same operator commands). Composition root only (argv, environment, exit
 * codes); the logic is in cli/ops/ and shared/src/application/operator/.
 */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(OPS_HELP);
    return name === undefined ? OpsExit.usage : OpsExit.ok;
  }
  const spec = SPECS[name];
  if (spec === undefined) throw new UsageError(`unknown command "${name}"`);
  const { options, help } = parseCommandLine(rest, spec);
  if (help) {
    out(helpText(spec));
    return OpsExit.ok;
  }
  return run(name, options);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      process.stderr.write(`ops: ${message}\nRun \`npm run ops -- --help\` for usage.\n`);
      process.exitCode = OpsExit.usage;
      return;
    }
    process.stderr.write(`ops: ${message}\n`);
    process.exitCode = OpsExit.failed;
  },
);
