// @ts-check
import { el, fillTable, krw, num, pct, signedKrw } from './format.js';
import { t } from './i18n.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {string} label
 * @param {string} value
 * @param {string} [cls]
 * @param {string} [testid]
 */
function metric(label, value, cls = '', testid = '') {
  const box = el('div', '', 'metric');
  box.appendChild(el('div', label, 'label'));
  const v = el('div', value, `value num ${cls}`);
  if (testid) v.dataset.testid = testid;
  box.appendChild(v);
  return box;
}

/**
 * Headline performance (total return, P&L, Sharpe, MDD, win rate, P/L ratio, average P&L, trade
 * frequency) and the daily goal bar. Figures the data cannot support are shown as warnings.
 * @param {any} perf `GET /api/performance`
 */
export function renderPerformance(perf) {
  const account = perf.account;
  const total = perf.total;
  const pnl = signedKrw(total.totalPnl);
  $('perf-cards').replaceChildren(
    metric(
      t('perf.totalReturn'),
      account ? pct(account.returnPct) : '—',
      account && account.returnPct < 0 ? 'down' : 'up',
      'total-return',
    ),
    metric(t('perf.pnl'), pnl.text, pnl.cls),
    metric(t('perf.sharpe'), num(account?.ratios?.sharpe)),
    metric(t('perf.mdd'), account ? pct(-account.maxDrawdownPct) : '—', 'down'),
    metric(t('perf.winRate'), total.trades > 0 ? `${num(total.winRatePct, 1)}%` : '—'),
    metric(t('perf.plRatio'), num(total.plRatio)),
    metric(t('perf.avgPnl'), signedKrw(total.averagePnl).text),
    metric(t('perf.tradesPerDay'), num(total.tradesPerDay, 1)),
  );
  // Warnings come with a stable code; the text is the dashboard's, in the reader's language.
  $('perf-warnings').textContent = (perf.warnings ?? [])
    .map((/** @type {any} */ w) =>
      t(`warn.${w.code}`) === `warn.${w.code}` ? w.message : t(`warn.${w.code}`),
    )
    .join(' ');
  const goal = account?.dailyGoal;
  const bar = $('goal-bar');
  if (!goal?.lastDay) {
    bar.style.width = '0';
    $('goal-text').textContent = t('goal.unknown');
    return;
  }
  bar.style.width = `${Math.max(0, Math.min(100, goal.lastDay.progressPct))}%`;
  $('goal-text').textContent = t('goal.text', {
    today: pct(goal.lastDay.returnPct),
    goal: `${goal.goalPct}%`,
    hit: goal.hit,
    days: goal.days,
  });
}

/**
 * One row per strategy: on/off switch, weight, realised P&L, trades, win rate, and an adjust button.
 * @param {any} strategies `GET /api/strategies`
 * @param {any} perf `GET /api/performance`
 * @param {{ onToggle: (name: string, enabled: boolean, version: number) => void, onEdit: (s: any) => void }} actions
 */
export function renderStrategies(strategies, perf, actions) {
  const byName = new Map((perf?.byStrategy ?? []).map((/** @type {any} */ s) => [s.strategy, s]));
  const rows = strategies.strategies.map((/** @type {any} */ s) => {
    const toggle = /** @type {HTMLInputElement} */ (el('input'));
    toggle.type = 'checkbox';
    toggle.checked = s.enabled;
    toggle.dataset.testid = `toggle-${s.name}`;
    toggle.addEventListener('change', () => actions.onToggle(s.name, toggle.checked, s.version));
    const edit = el('button', t('params.edit'), 'ghost');
    edit.dataset.testid = `edit-${s.name}`;
    edit.addEventListener('click', () => actions.onEdit(s));
    const p = /** @type {any} */ (byName.get(s.name));
    const pnl = signedKrw(p?.realizedPnl ?? null);
    return [
      t(`strategy.${s.name}`),
      toggle,
      num(s.weight),
      pnl,
      String(p?.trades ?? 0),
      p && p.trades > 0 ? `${num(p.winRatePct, 1)}%` : '—',
      edit,
    ];
  });
  fillTable(
    /** @type {HTMLTableElement} */ ($('strategies-table')),
    ['col.strategy', 'col.enabled', 'col.weight', 'col.pnl', 'col.trades', 'col.winRate', 'col.params'].map(
      (k) => t(k),
    ),
    rows,
  );
}

/**
 * Limit usage, VaR/ES and the loss-limit ledger.
 * @param {any} risk `GET /api/risk`
 */
export function renderRisk(risk) {
  const body = $('risk-body');
  const usage = new Map(risk.limitUsage.map((/** @type {any} */ u) => [u.name, u]));
  const total = /** @type {any} */ (usage.get('total'));
  const positions = /** @type {any} */ (usage.get('positions'));
  const cards = el('div', '', 'metrics');
  const v = risk.valueAtRisk;
  cards.append(
    metric(t('risk.var', { horizon: v.horizon }), krw(v.historical.portfolio.var)),
    metric(t('risk.es'), krw(v.historical.portfolio.es)),
    metric(t('risk.exposure'), `${krw(total.used)} / ${krw(total.limit)}`),
    metric(t('risk.positions'), `${positions.used} / ${positions.limit}`),
  );
  const ledger = el('table');
  if (risk.loss === null) {
    body.replaceChildren(cards, el('p', t('risk.noEquity'), 'muted'));
    return;
  }
  const rows = risk.loss.periods.map((/** @type {any} */ p) => [
    t(`risk.${p.period}`),
    { text: pct(-p.lossPct), cls: p.lossPct > 0 ? 'down' : 'up' },
    `${p.limitPct}%`,
    `${num(p.used * 100, 0)}%`,
  ]);
  const i = risk.loss.instantDrop;
  rows.push([
    t('risk.instant'),
    { text: pct(-i.lossPct), cls: i.lossPct > 0 ? 'down' : 'up' },
    `${i.limitPct}%`,
    `${num(i.used * 100, 0)}%`,
  ]);
  fillTable(
    /** @type {HTMLTableElement} */ (ledger),
    ['', t('risk.change'), t('risk.limit'), t('risk.used')],
    rows,
  );
  body.replaceChildren(cards, ledger);
}
