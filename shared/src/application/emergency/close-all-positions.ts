import type { OperatorAuthenticator, OperatorCredential } from './operator-auth';
import {
  type EmergencyDeps,
  type TriggerEmergencyInput,
  type TriggerEmergencyResult,
  triggerEmergency,
} from './trigger-emergency';

/** An operator's emergency command (`emergency-stop` or `close-all-positions`). */
export type OperatorStopInput = Omit<TriggerEmergencyInput, 'trigger' | 'actor' | 'periodKey' | 'flatten'> & {
  readonly credential: OperatorCredential;
};

/** Outcome of an operator stop: refused without valid credentials, otherwise what the trigger did. */
export type OperatorStopResult =
  | { readonly ok: true; readonly result: TriggerEmergencyResult }
  | { readonly ok: false; readonly refusal: 'unauthenticated' };

async function operatorStop(
  deps: EmergencyDeps & { readonly authenticate: OperatorAuthenticator },
  input: OperatorStopInput,
  flatten: boolean,
): Promise<OperatorStopResult> {
  const actor = await deps.authenticate(input.credential);
  if (actor === undefined) {
    await deps.store.appendAudit({
      at: deps.clock.now(),
      actor: `unauthenticated:${input.credential.channel}`,
      action: flatten ? 'close_all_refused' : 'emergency_stop_refused',
      details: { channel: input.credential.channel },
    });
    return { ok: false, refusal: 'unauthenticated' };
  }
  const { credential: _credential, ...rest } = input;
  return { ok: true, result: await triggerEmergency(deps, { ...rest, trigger: 'manual', actor, flatten }) };
}

/**
 * Manual `emergency-stop` from the API, Telegram or the CLI: latches (`reducing` unless the operator
 * asks for `halted`), cancels every open order and alerts; holdings are kept unless the policy
 * flattens on trigger. Authenticated like a release, so a leaked chat cannot stop or start trading.
 */
export async function emergencyStop(
  deps: EmergencyDeps & { readonly authenticate: OperatorAuthenticator },
  input: OperatorStopInput,
): Promise<OperatorStopResult> {
  return operatorStop(deps, input, input.limits.emergency.flattenOnTrigger);
}

/**
 * `close-all-positions`: a manual `reducing` stop that also sells every holding with marketable IOC
 * limits inside the slippage guard. Latching first keeps strategies from buying back what is sold.
 * An operator asking for `halted` gets no sells (halted trades nothing); release and run it again.
 */
export async function closeAllPositions(
  deps: EmergencyDeps & { readonly authenticate: OperatorAuthenticator },
  input: OperatorStopInput,
): Promise<OperatorStopResult> {
  return operatorStop(deps, input, true);
}
