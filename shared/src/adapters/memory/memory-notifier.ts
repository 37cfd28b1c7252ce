import type { Alert, Notifier } from '../../ports/notifier';

/** Records alerts instead of sending them; tests assert on `sent` (or on `texts`, in the chosen language). */
export class MemoryNotifier implements Notifier {
  readonly sent: Alert[] = [];

  constructor(private readonly language: 'ko' | 'en' = 'ko') {}

  async notify(alert: Alert): Promise<void> {
    this.sent.push(alert);
  }

  /** Texts as a real channel would show them. */
  texts(): string[] {
    return this.sent.map((a) => a.text[this.language]);
  }
}
