// @ts-check
import { ago, fillTable, krw, kstTime, pct, signedKrw, vol } from './format.js';
import { t } from './i18n.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * The status card: trading state badge, mode, latch (who, when, why), heartbeat age (flagged when
 * stale), last analysis, equity and unrealised P&L.
 * @param {any} status `GET /api/status`
 * @param {any} positions `GET /api/positions`
 */
export function renderStatus(status, positions) {
  const state = $('state');
  state.textContent = t(`state.${status.tradingState}`);
  state.className = `badge ${status.tradingState}`;
  state.dataset.state = status.tradingState;
  $('mode').textContent = `${t(`mode.${status.mode}`)} · ${status.exchange}`;
  const latch = $('latch');
  latch.hidden = status.latch === null;
  if (status.latch)
    latch.textContent = t('latch.text', {
      reason: status.latch.reason,
      actor: status.latch.actor,
      at: kstTime(status.latch.at),
    });
  const ex = status.executor;
  const heartbeat = $('heartbeat');
  heartbeat.textContent = !ex.reported
    ? t('status.never')
    : `${ago(ex.ageMs)}${ex.stale ? ` · ${t('status.lost')}` : ''}`;
  heartbeat.className = ex.stale ? 'down' : '';
  $('analysis').textContent =
    status.lastAnalysisAt === null ? t('status.never') : kstTime(status.lastAnalysisAt);
  $('equity').textContent = positions.equity ? krw(positions.equity.equity) : '—';
  const upnl = signedKrw(positions.totals.unrealizedPnl);
  const unrealized = $('unrealized');
  unrealized.textContent = upnl.text;
  unrealized.className = `num ${upnl.cls}`;
}

/**
 * Open positions with marks and unrealised P&L.
 * @param {any} positions `GET /api/positions`
 */
export function renderPositions(positions) {
  const rows = positions.positions.map((/** @type {any} */ p) => {
    const upnl = signedKrw(p.unrealizedPnl);
    return [
      p.market,
      t(`strategy.${p.strategy}`),
      vol(p.volume),
      krw(p.avgEntryPrice),
      krw(p.mark),
      krw(p.marketValue),
      upnl,
      { text: pct(p.unrealizedPct), cls: upnl.cls },
    ];
  });
  fillTable(
    /** @type {HTMLTableElement} */ ($('positions-table')),
    [
      'col.market',
      'col.strategy',
      'col.volume',
      'col.avg',
      'col.mark',
      'col.value',
      'col.upnl',
      'col.upct',
    ].map((k) => t(k)),
    rows,
    t('positions.none'),
  );
}

/**
 * The latest fills, newest first.
 * @param {any} trades `GET /api/trades`
 */
export function renderTrades(trades) {
  const rows = trades.trades.map((/** @type {any} */ f) => [
    kstTime(f.at),
    f.market,
    { text: t(`side.${f.side}`), cls: f.side === 'bid' ? 'up' : 'down' },
    t(`strategy.${f.strategy}`),
    krw(f.price),
    vol(f.volume),
    krw(f.notional),
    krw(f.fee),
  ]);
  fillTable(
    /** @type {HTMLTableElement} */ ($('trades-table')),
    [
      'col.time',
      'col.market',
      'col.side',
      'col.strategy',
      'col.price',
      'col.volume',
      'col.amount',
      'col.fee',
    ].map((k) => t(k)),
    rows,
    t('trades.none'),
  );
}
