import type { EpochMs } from '../src/domain/time/epoch';
import type { Alert, Notifier } from '../src/ports/notifier';

/** A harness exposing what a notifier delivered (a recording fake or a fake Telegram endpoint). */
export interface NotifierHarness {
  readonly notifier: Notifier;
  delivered(): Promise<readonly string[]>;
  close?(): Promise<void>;
}

/** Behaviour every Notifier must have: deliver the text in the configured language, never throw on delivery. */
export function describeNotifierContract(
  name: string,
  make: () => Promise<NotifierHarness> | NotifierHarness,
): void {
  describe(`Notifier contract: ${name}`, () => {
    const alert: Alert = {
      severity: 'critical',
      key: 'emergency:instant_drop',
      at: 1_764_000_000_000 as EpochMs,
      text: { ko: '긴급 정지: 자산이 3% 하락했습니다', en: 'Emergency stop: equity fell 3%' },
    };

    it('delivers an alert with its Korean text by default', async () => {
      const h = await make();
      await h.notifier.notify(alert);
      const delivered = await h.delivered();
      expect(delivered.some((text) => text.includes('긴급 정지'))).toBe(true);
      await h.close?.();
    });
  });
}
