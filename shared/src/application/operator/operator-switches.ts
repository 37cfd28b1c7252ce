import type { StrategyName } from '../../domain/trading/strategy-name';
import { tradingSwitchAlert } from '../alerts/alert-messages';
import {
  checkCommandId,
  checkText,
  type OperatorCommandDeps,
  type SentCommand,
  sendCommand,
} from './operator-commands';

/** Outcome of a switch (trading on/off, a strategy on/off). */
export interface SwitchResult {
  readonly enabled: boolean;
  readonly command: SentCommand;
}

/**
 * The operator's start/stop switch: stored (and audited) first so every reader sees it at once,
 * then sent to the executor. "Stop" means no new risk (exits still work); it never clears a latch.
 */
export async function requestTradingSwitch(
  deps: OperatorCommandDeps,
  request: { readonly enabled: boolean; readonly actor: string; readonly commandId?: string },
): Promise<SwitchResult> {
  const actor = checkText('actor', request.actor, 200);
  const commandId = checkCommandId(request.commandId);
  const at = deps.clock.now();
  await deps.store.setTradingEnabled(request.enabled, actor, at);
  const kind = request.enabled ? 'start_trading' : 'stop_trading';
  const command = await sendCommand(
    deps,
    { kind, id: commandId ?? `${deps.channel}-${kind}-${at}`, actor, issuedAt: at },
    at,
  );
  if (deps.notifier !== undefined)
    await deps.notifier.notify(tradingSwitchAlert(request.enabled, actor, at)).catch(() => undefined);
  return { enabled: request.enabled, command };
}

/** Switches one strategy on or off at runtime (the control item's toggle), then tells the executor. */
export async function requestStrategyToggle(
  deps: OperatorCommandDeps,
  request: {
    readonly strategy: StrategyName;
    readonly enabled: boolean;
    readonly actor: string;
    readonly commandId?: string;
  },
): Promise<SwitchResult> {
  const actor = checkText('actor', request.actor, 200);
  const commandId = checkCommandId(request.commandId);
  const at = deps.clock.now();
  await deps.store.setStrategyEnabled(request.strategy, request.enabled, actor, at);
  const command = await sendCommand(
    deps,
    {
      kind: 'toggle_strategy',
      id: commandId ?? `${deps.channel}-toggle-${request.strategy}-${at}`,
      actor,
      issuedAt: at,
      strategy: request.strategy,
      enabled: request.enabled,
    },
    at,
  );
  return { enabled: request.enabled, command };
}
