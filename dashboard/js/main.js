// @ts-check
import { ApiFailure, forgetToken, get, storedToken, storeToken, subscribe } from './api.js';
import { drawEquity, drawPrice, resizeCharts } from './charts.js';
import { editParams, toggleStrategy, wireControls } from './controls.js';
import { language, t, toggleLanguage, translatePage } from './i18n.js';
import { renderPositions, renderStatus, renderTrades } from './render-live.js';
import { renderPerformance, renderRisk, renderStrategies } from './render-summary.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** How often the slower views (risk, strategies, charts) are re-read. */
const SUMMARY_EVERY_MS = 30_000;
/** Performance reads 30 days of minute equity: every 5 minutes is plenty (and after every action). */
const PERFORMANCE_EVERY_MS = 300_000;
let performanceAt = 0;

/** What was last drawn, so a language switch can redraw without a fetch. */
const last = {
  /** @type {any} */ live: null,
  /** @type {any} */ perf: null,
  /** @type {any} */ strategies: null,
  /** @type {any} */ risk: null,
};
/** @type {(() => void) | undefined} */
let unsubscribe;
/** @type {ReturnType<typeof setInterval> | undefined} */
let timer;

function showLogin(/** @type {string} */ error = '') {
  unsubscribe?.();
  clearInterval(timer);
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = error;
}

/** @param {any} live `{ status, positions, trades }` */
function drawLive(live) {
  last.live = live;
  renderStatus(live.status, live.positions);
  renderPositions(live.positions);
  renderTrades(live.trades);
  const select = /** @type {HTMLSelectElement} */ ($('market'));
  if (select.options.length === 0) {
    for (const m of live.status.markets) select.add(new Option(m, m));
    const held = live.positions.positions[0]?.market;
    if (held) select.value = held;
  }
}

function drawStrategies() {
  if (!last.strategies) return;
  renderStrategies(last.strategies, last.perf, {
    onToggle: (name, enabled, version) => toggleStrategy(name, enabled, version, refreshAll),
    onEdit: (s) => editParams(s, refreshAll),
  });
}

async function refreshSummary(force = false) {
  const market = /** @type {HTMLSelectElement} */ ($('market')).value || 'KRW-BTC';
  const fresh = !force && last.perf && Date.now() - performanceAt < PERFORMANCE_EVERY_MS;
  const [perf, strategies, risk, equity, candles] = await Promise.all([
    fresh ? last.perf : get('/api/performance?days=30'),
    get('/api/strategies'),
    get('/api/risk'),
    get('/api/equity?hours=72'),
    get(`/api/markets/${encodeURIComponent(market)}/candles?limit=180`),
  ]);
  if (!fresh) performanceAt = Date.now();
  Object.assign(last, { perf, strategies, risk });
  renderPerformance(perf);
  drawStrategies();
  renderRisk(risk);
  drawEquity(equity);
  drawPrice(candles);
}

async function pollLive() {
  const [status, positions, trades] = await Promise.all([
    get('/api/status'),
    get('/api/positions'),
    get('/api/trades?limit=20'),
  ]);
  return { status, positions, trades };
}

function refreshAll() {
  pollLive()
    .then(drawLive)
    .then(() => refreshSummary(true))
    .catch(onError);
}

/** @param {unknown} error */
function onError(error) {
  if (error instanceof ApiFailure && error.status === 401) showLogin(t('login.wrong'));
  else console.warn(error);
}

async function start() {
  drawLive(await pollLive());
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  refreshSummary().catch(onError);
  unsubscribe = subscribe({
    onUpdate: drawLive,
    onState: (s) => {
      const live = $('live');
      live.textContent = t(`live.${s}`);
      live.className = `live ${s === 'on' ? 'on' : 'off'}`;
      live.dataset.i18n = `live.${s}`;
    },
    poll: pollLive,
    onUnauthorized: () => showLogin(t('login.wrong')),
  });
  timer = setInterval(() => refreshSummary().catch(onError), SUMMARY_EVERY_MS);
}

function setLanguageButton() {
  $('lang').textContent = language() === 'ko' ? 'English' : '한국어';
}

translatePage();
setLanguageButton();
wireControls(refreshAll);
$('lang').addEventListener('click', () => {
  toggleLanguage();
  setLanguageButton();
  if (last.live) drawLive(last.live);
  if (last.perf) renderPerformance(last.perf);
  if (last.risk) renderRisk(last.risk);
  drawStrategies();
});
$('market').addEventListener('change', () => refreshSummary().catch(onError));
$('logout').addEventListener('click', () => {
  forgetToken();
  showLogin();
});
$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('token'));
  storeToken(input.value.trim());
  input.value = '';
  start().catch((error) => {
    forgetToken();
    showLogin(
      error instanceof ApiFailure && error.status === 401 ? t('login.wrong') : t('login.unreachable'),
    );
  });
});
window.addEventListener('resize', resizeCharts);

if (storedToken()) start().catch(() => showLogin(t('login.wrong')));
else showLogin();
