import { Secret } from '../../domain/security/secret';
import { type EpochMs, toIsoUtc } from '../../domain/time/epoch';
import type { Clock } from '../../ports/clock';
import type { ComponentStatusStore } from '../../ports/component-status-store';
import type { EquityHistoryStore } from '../../ports/equity-history-store';
import type { Logger } from '../../ports/logger';
import { tokenAuthenticator } from '../emergency/operator-auth';
import { type OperatorCommandDeps, requestEmergencyStop } from '../operator/operator-commands';
import { requestTradingSwitch } from '../operator/operator-switches';
import type { AlertLanguage } from './alert-format';

/** What the chat commands need: the operator commands, read access for `/status`, the allow-list. */
export interface ChatCommandDeps {
  readonly operator: OperatorCommandDeps;
  readonly statuses: Pick<ComponentStatusStore, 'getStatus'>;
  readonly equity: Pick<EquityHistoryStore, 'latestPoint'>;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  /** The one chat allowed to command (secret TELEGRAM_CHAT_ID); none = nobody. */
  readonly allowedChatId: Secret | undefined;
  /** Config `telegram.commands`: false answers the allowed chat that commands are off. */
  readonly enabled: boolean;
  readonly language: AlertLanguage;
  /** Executor heartbeats older than this show as lost (config `monitor.executorHeartbeatStaleSeconds`). */
  readonly heartbeatStaleMs: number;
}

/** One chat message to act on. `updateId` makes the control command id, so a redelivery acts once. */
export interface ChatCommand {
  readonly updateId: number;
  readonly chatId: string;
  readonly text: string;
  readonly from?: string;
}

const T = {
  ko: {
    help: '사용 가능한 명령:\n/status — 거래 상태, 긴급 정지, 실행기 하트비트, 평가 자산\n/stop — 거래 중지(신규 진입 중단, 청산은 허용)\n/emergency [사유] — 긴급 정지(미체결 주문 취소, 축소만 허용)\n해제는 대시보드나 npm run ops -- release 로만 가능합니다.',
    disabled: '텔레그램 명령이 꺼져 있습니다 (telegram.commands: false).',
    stopped: '거래를 중지했습니다. 신규 진입은 없고 청산 주문만 허용됩니다.',
    stopFailed: '거래 중지 요청이 실패했습니다: ',
    latched: (state: string, outcome: string) =>
      `긴급 정지: ${state} (${outcome}). 실행기가 미체결 주문을 취소합니다.`,
    emergencyFailed: '긴급 정지 요청이 실패했습니다: ',
    defaultReason: '텔레그램 /emergency 명령',
    state: { running: '거래 중', stopped: '거래 중지', reducing: '축소만 허용', halted: '전면 정지' },
    status: (s: string, latch: string, hb: string, equity: string) =>
      `상태: ${s}\n긴급 정지: ${latch}\n실행기: ${hb}\n평가 자산: ${equity}`,
    none: '없음',
    never: '보고 없음',
    ago: (sec: number, lost: boolean) => `${sec}초 전${lost ? ' (끊김!)' : ''}`,
  },
  en: {
    help: 'Commands:\n/status — trading state, emergency latch, executor heartbeat, equity\n/stop — stop trading (no new positions, exits allowed)\n/emergency [reason] — emergency stop (cancel open orders, reducing only)\nRelease only from the dashboard or npm run ops -- release.',
    disabled: 'Telegram commands are switched off (telegram.commands: false).',
    stopped: 'Trading stopped. No new positions; exits still work.',
    stopFailed: 'Stopping trading failed: ',
    latched: (state: string, outcome: string) =>
      `Emergency stop: ${state} (${outcome}). The executor cancels the open orders.`,
    emergencyFailed: 'The emergency stop failed: ',
    defaultReason: 'Telegram /emergency command',
    state: { running: 'running', stopped: 'stopped', reducing: 'reducing only', halted: 'halted' },
    status: (s: string, latch: string, hb: string, equity: string) =>
      `State: ${s}\nEmergency latch: ${latch}\nExecutor: ${hb}\nEquity: ${equity}`,
    none: 'none',
    never: 'never reported',
    ago: (sec: number, lost: boolean) => `${sec} s ago${lost ? ' (LOST!)' : ''}`,
  },
} as const;

/** `/cmd@botname args` → `cmd`, `args`. */
function parse(text: string): { command: string; args: string } {
  const match = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return { command: match?.[1]?.toLowerCase() ?? '', args: match?.[2]?.trim() ?? '' };
}

async function statusText(deps: ChatCommandDeps): Promise<string> {
  const t = T[deps.language];
  const now = deps.clock.now();
  const [control, executor, equity] = await Promise.all([
    deps.operator.store.getControl(),
    deps.statuses.getStatus('executor'),
    deps.equity.latestPoint(),
  ]);
  const state = control.latch?.state ?? (control.tradingEnabled ? 'running' : 'stopped');
  const latch =
    control.latch === undefined
      ? t.none
      : `${control.latch.state} — ${control.latch.reason} (${control.latch.actor}, ${toIsoUtc(control.latch.at)})`;
  const age = executor === undefined ? undefined : now - executor.at;
  const hb = age === undefined ? t.never : t.ago(Math.round(age / 1000), age > deps.heartbeatStaleMs);
  const krw =
    equity === undefined
      ? '—'
      : `${Number(equity.equity.toFixed(0)).toLocaleString('ko-KR')} KRW (${toIsoUtc(equity.at as EpochMs)})`;
  return t.status(t.state[state], latch, hb, krw);
}

/**
 * Answers one chat message, or returns undefined to stay silent. Only the allow-listed chat is
 * answered at all (compared in constant time, like a token): to anyone else the bot does not exist,
 * and the attempt is logged. `/status` reads, `/stop` flips the trading switch, `/emergency` latches
 * `reducing` (a stop is always safe to ask for; releasing is not offered here). Telegram's own
 * `/start` (sent when someone opens the bot) only shows the help: it must never start trading.
 */
export async function handleChatCommand(
  deps: ChatCommandDeps,
  message: ChatCommand,
): Promise<string | undefined> {
  const allowed =
    deps.allowedChatId === undefined
      ? undefined
      : await tokenAuthenticator([{ actor: 'telegram', token: deps.allowedChatId, channels: ['telegram'] }])({
          channel: 'telegram',
          token: new Secret(message.chatId),
        });
  if (allowed === undefined) {
    deps.logger.warn('telegram message from a chat that is not allowed: ignored', {
      updateId: message.updateId,
    });
    return undefined;
  }
  const t = T[deps.language];
  const { command, args } = parse(message.text);
  if (command === '' || command === 'start' || command === 'help') return t.help;
  if (!deps.enabled) return t.disabled;
  const actor = `telegram:${message.from ?? 'operator'}`;
  const commandId = `telegram-${message.updateId}`;
  switch (command) {
    case 'status':
      return statusText(deps);
    case 'stop':
      try {
        await requestTradingSwitch(deps.operator, { enabled: false, actor, commandId });
        return t.stopped;
      } catch (error) {
        return t.stopFailed + (error instanceof Error ? error.message : String(error));
      }
    case 'emergency':
      try {
        const result = await requestEmergencyStop(deps.operator, {
          reason: args === '' ? t.defaultReason : args.slice(0, 1_000),
          actor,
          state: 'reducing',
          flatten: false,
          commandId,
        });
        return t.latched(result.latch.state, result.outcome);
      } catch (error) {
        return t.emergencyFailed + (error instanceof Error ? error.message : String(error));
      }
    default:
      return t.help;
  }
}
