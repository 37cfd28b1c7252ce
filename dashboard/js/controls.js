// @ts-check
import { ApiFailure, patch, post } from './api.js';
import { el } from './format.js';
import { t } from './i18n.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} text @param {boolean} [failed] */
function say(text, failed = false) {
  const box = $('control-message');
  box.textContent = text;
  box.className = failed ? 'message error' : 'message';
}

/** @param {unknown} error */
function describe(error) {
  if (error instanceof ApiFailure) {
    const field = error.body.fields?.[0];
    return field ? `${field.field}: ${field.message}` : (error.body.message ?? error.message);
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Asks for confirmation (and a reason) in a modal dialog; resolves with the reason and whether the
 * operator chose `halted`, or null when cancelled. Dangerous buttons never act on one click.
 * @param {{ title: string, text: string, withHalt: boolean }} what
 * @returns {Promise<{ reason: string, halt: boolean } | null>}
 */
function confirmStep(what) {
  const dialog = /** @type {HTMLDialogElement} */ ($('confirm'));
  const reason = /** @type {HTMLInputElement} */ ($('confirm-reason'));
  const halt = /** @type {HTMLInputElement} */ ($('confirm-halt'));
  $('confirm-title').textContent = what.title;
  $('confirm-text').textContent = what.text;
  $('confirm-state-row').hidden = !what.withHalt;
  reason.value = '';
  halt.checked = false;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () =>
        resolve(
          dialog.returnValue === 'ok' && reason.value.trim() !== ''
            ? { reason: reason.value.trim(), halt: halt.checked }
            : null,
        ),
      { once: true },
    );
  });
}

/**
 * Runs one control action, reporting the outcome in the panel and refreshing the views.
 * @param {string} label
 * @param {() => Promise<unknown>} action
 * @param {() => void} refresh
 */
async function run(label, action, refresh) {
  try {
    await action();
    say(t('controls.done', { what: label }));
  } catch (error) {
    say(t('controls.failed', { why: describe(error) }), true);
  }
  refresh();
}

/**
 * Wires the control panel: start/stop trading (one click: stopping is always safe, starting never
 * clears an emergency latch), emergency stop, close-all and release (each behind a confirm step
 * with a mandatory reason, which ends up in the audit log).
 * @param {() => void} refresh
 */
export function wireControls(refresh) {
  $('start').addEventListener('click', () =>
    run(t('controls.start'), () => post('/api/trading/start', {}), refresh),
  );
  $('stop').addEventListener('click', () =>
    run(t('controls.stop'), () => post('/api/trading/stop', {}), refresh),
  );
  $('emergency').addEventListener('click', async () => {
    const ok = await confirmStep({
      title: t('confirm.emergency'),
      text: t('confirm.emergencyText'),
      withHalt: true,
    });
    if (ok)
      await run(
        t('controls.emergency'),
        () => post('/api/emergency-stop', { reason: ok.reason, state: ok.halt ? 'halted' : 'reducing' }),
        refresh,
      );
  });
  $('close-all').addEventListener('click', async () => {
    const ok = await confirmStep({
      title: t('confirm.closeAll'),
      text: t('confirm.closeAllText'),
      withHalt: false,
    });
    if (ok)
      await run(
        t('controls.closeAll'),
        () => post('/api/close-all-positions', { reason: ok.reason }),
        refresh,
      );
  });
  $('release').addEventListener('click', async () => {
    const ok = await confirmStep({
      title: t('confirm.release'),
      text: t('confirm.releaseText'),
      withHalt: false,
    });
    if (ok)
      await run(
        t('controls.release'),
        () => post('/api/emergency-stop/release', { reason: ok.reason }),
        refresh,
      );
  });
}

/**
 * Switches a strategy on or off, based on the version the table was drawn from.
 * @param {string} name @param {boolean} enabled @param {number} version @param {() => void} refresh
 */
export function toggleStrategy(name, enabled, version, refresh) {
  return run(
    `${t(`strategy.${name}`)}`,
    () => patch(`/api/strategies/${name}`, { enabled, expectedVersion: version }),
    refresh,
  );
}

/**
 * Opens the parameter form for one strategy: one input per parameter, typed like its current value.
 * The server validates with the config rules; a 400 marks the field it names.
 * @param {any} strategy one entry of `GET /api/strategies`
 * @param {() => void} refresh
 */
export function editParams(strategy, refresh) {
  const form = /** @type {HTMLFormElement} */ ($('params-form'));
  const fields = $('params-fields');
  $('params-title').textContent = t('params.title', { name: t(`strategy.${strategy.name}`) });
  $('params-error').textContent = '';
  fields.replaceChildren();
  /** @type {Map<string, HTMLInputElement>} */
  const inputs = new Map();
  const weight = /** @type {HTMLInputElement} */ (el('input'));
  weight.value = String(strategy.weight);
  inputs.set('weight', weight);
  for (const [name, value] of [['weight', strategy.weight], ...Object.entries(strategy.params)]) {
    const input = name === 'weight' ? weight : /** @type {HTMLInputElement} */ (el('input'));
    input.name = name;
    input.value = String(value);
    input.dataset.kind = typeof value;
    input.dataset.testid = `param-${name}`;
    inputs.set(name, input);
    const label = el('label', name);
    label.appendChild(input);
    fields.appendChild(label);
  }
  form.hidden = false;
  form.onsubmit = async (event) => {
    event.preventDefault();
    /** @type {Record<string, number | string | boolean>} */
    const params = {};
    for (const [name, input] of inputs) {
      if (name === 'weight') continue;
      const kind = input.dataset.kind;
      params[name] =
        kind === 'number' ? Number(input.value) : kind === 'boolean' ? input.value === 'true' : input.value;
    }
    for (const input of inputs.values()) input.classList.remove('invalid');
    try {
      await patch(`/api/strategies/${strategy.name}`, {
        weight: Number(weight.value),
        params,
        expectedVersion: strategy.version,
      });
      form.hidden = true;
      say(t('controls.done', { what: t(`strategy.${strategy.name}`) }));
      refresh();
    } catch (error) {
      $('params-error').textContent = describe(error);
      const field = error instanceof ApiFailure ? error.body.fields?.[0]?.field : undefined;
      const name = field?.split('.').pop();
      if (name) inputs.get(name)?.classList.add('invalid');
    }
  };
  $('params-cancel').onclick = () => {
    form.hidden = true;
  };
}
