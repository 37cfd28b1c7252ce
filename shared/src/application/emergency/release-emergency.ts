import { type ReleaseRefusal, releaseLatch } from '../../domain/risk/emergency-state';
import type { EmergencyLatch, LatchRelease } from '../../domain/trading/emergency';
import { refusedReleaseAlert, releaseAlert } from './emergency-alerts';
import type { OperatorAuthenticator, OperatorCredential } from './operator-auth';
import type { EmergencyDeps } from './trigger-emergency';

/** An operator's request to clear the latch. */
export interface ReleaseEmergencyInput {
  readonly credential: OperatorCredential;
  /** Why it is safe to trade again; mandatory, kept in the audit log. */
  readonly reason: string;
}

/** Outcome of a release request. */
export type ReleaseEmergencyResult =
  | { readonly ok: true; readonly released: EmergencyLatch; readonly release: LatchRelease }
  | { readonly ok: false; readonly refusal: 'unauthenticated' | 'latch_changed' | ReleaseRefusal };

/**
 * The only way an operator clears the emergency latch: the credential must authenticate, a reason
 * is required, and the store clears the latch and writes who/when/why to the audit log atomically.
 * Refused attempts are audited (and alerted when the credential was wrong) but change nothing.
 * The store clears only the latch this call read: if a trigger set a new latch, or escalated this
 * one, in between, the release is refused as `latch_changed` so the operator looks again.
 * Clearing the latch returns the system to `running`; to keep only exits, release and then trigger
 * a manual `reducing` stop.
 */
export async function releaseEmergency(
  deps: Pick<EmergencyDeps, 'store' | 'notifier' | 'clock'> & {
    readonly authenticate: OperatorAuthenticator;
  },
  input: ReleaseEmergencyInput,
): Promise<ReleaseEmergencyResult> {
  const at = deps.clock.now();
  const actor = await deps.authenticate(input.credential);
  if (actor === undefined) {
    await deps.store.appendAudit({
      at,
      actor: `unauthenticated:${input.credential.channel}`,
      action: 'emergency_release_refused',
      details: { channel: input.credential.channel, refusal: 'unauthenticated' },
    });
    await deps.notifier.notify(refusedReleaseAlert(input.credential.channel, at)).catch(() => undefined);
    return { ok: false, refusal: 'unauthenticated' };
  }
  const release: LatchRelease = { actor, reason: input.reason, at };
  const control = await deps.store.getControl();
  const verdict = releaseLatch(control.latch, release);
  if (!verdict.ok) {
    await deps.store.appendAudit({
      at,
      actor,
      action: 'emergency_release_refused',
      details: { channel: input.credential.channel, refusal: verdict.refusal },
    });
    return { ok: false, refusal: verdict.refusal };
  }
  const outcome = await deps.store.releaseEmergency(release, verdict.released);
  if (outcome === 'not-latched') return { ok: false, refusal: 'not_latched' };
  if (outcome === 'changed') {
    await deps.store.appendAudit({
      at,
      actor,
      action: 'emergency_release_refused',
      details: { channel: input.credential.channel, refusal: 'latch_changed' },
    });
    return { ok: false, refusal: 'latch_changed' };
  }
  await deps.notifier.notify(releaseAlert(verdict.released, release)).catch(() => undefined);
  return { ok: true, released: verdict.released, release };
}
