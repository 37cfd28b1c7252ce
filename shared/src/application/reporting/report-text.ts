import type { Decimal } from '../../domain/money/decimal';
import type { PerformanceSummary, StrategyPerformance } from './performance-summary';
import { MIN_RELIABLE_DAILY_RETURNS } from './return-series';

/** Risk usage of the reported day (from the loss ledger and the equity history). */
export interface DayRiskUsage {
  /** Equity the day's loss limits were measured from (the KST day's ledger). */
  readonly startEquity: Decimal | undefined;
  /** Worst loss from the start equity during the day, as a fraction (negative = never below start). */
  readonly worstLoss: number | undefined;
  /** worstLoss / daily loss limit (1 = the limit was reached). */
  readonly dailyLimitUsage: number | undefined;
  /** Loss at the day's end from the start equity / the instant-drop limit. */
  readonly instantLimitUsage: number | undefined;
  readonly fills: number;
}

type Lang = 'ko' | 'en';

const STRATEGY_LABEL: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  market_making: { ko: '마켓메이킹', en: 'market making' },
  stat_arb: { ko: '통계적 차익거래', en: 'stat arb' },
  microstructure: { ko: '시장미시구조', en: 'microstructure' },
  momentum_scalping: { ko: '모멘텀 스캘핑', en: 'momentum scalping' },
  mean_reversion: { ko: '평균회귀', en: 'mean reversion' },
  operator: { ko: '운영자', en: 'operator' },
};

const WARNING_KO: Readonly<Record<string, string>> = {
  no_equity_history: '자산 기록이 없어 수익률, 샤프, 낙폭, 목표 달성을 알 수 없습니다.',
  unscored_trades: '실현 손익 없이 기록된 매도 주문은 손익과 승률 통계에서 제외했습니다.',
  unpriced_positions: '시세가 없는 보유 자산은 평가 손익에서 제외했습니다.',
};

/** KRW with thousands separators, rounded to the won, signed when asked. */
export function formatKrw(value: Decimal, signed = false): string {
  const whole = value.toFixed(0);
  const negative = whole.startsWith('-') && whole !== '-0';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : signed && whole !== '0' && whole !== '-0' ? '+' : ''}${digits}`;
}

const pct = (x: number | undefined, digits = 2, signed = false): string =>
  x === undefined || !Number.isFinite(x) ? '-' : `${signed && x > 0 ? '+' : ''}${x.toFixed(digits)}%`;
const num = (x: number | undefined, digits = 2): string =>
  x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);

function strategyLine(s: StrategyPerformance, lang: Lang): string {
  const name = STRATEGY_LABEL[s.strategy]?.[lang] ?? s.strategy;
  return lang === 'ko'
    ? ` · ${name}: ${formatKrw(s.realizedPnl, true)}원, ${s.trades}건, 승률 ${pct(s.winRatePct, 1)}`
    : ` · ${name}: ${formatKrw(s.realizedPnl, true)} KRW, ${s.trades} trades, win ${pct(s.winRatePct, 1)}`;
}

/**
 * The Telegram text of a daily report, Korean (the users' language) and English: yesterday's PnL and
 * return against the daily goal, trades, win rate, average P/L and P/L ratio, per-strategy results,
 * Sharpe and drawdown over the trailing window (one day has no Sharpe), risk usage and the
 * summary's warnings. Short enough for one Telegram message.
 */
export function renderDailyReport(
  date: string,
  day: PerformanceSummary,
  trailing: PerformanceSummary,
  risk: DayRiskUsage,
  lang: Lang,
): string {
  const a = day.account;
  const t = day.total;
  const goal = a?.dailyGoal;
  const trailDays = trailing.account?.ratios.dailyReturns ?? 0;
  const traded = day.byStrategy.filter((s) => s.fills > 0);
  const ko = lang === 'ko';
  const lines: string[] = [];
  lines.push(ko ? `📊 일일 리포트 ${date} (KST)` : `📊 Daily report ${date} (KST)`);
  if (a === undefined)
    lines.push(ko ? '자산 기록 없음: 수익률을 알 수 없습니다.' : 'No equity recorded: return unknown.');
  else {
    const reached = goal?.lastDay?.reached === true;
    const goalText = ko
      ? `목표 ${goal?.goalPct ?? '-'}% ${reached ? '달성' : `미달 (진행 ${pct(goal?.lastDay?.progressPct, 0)})`}`
      : `goal ${goal?.goalPct ?? '-'}% ${reached ? 'reached' : `missed (${pct(goal?.lastDay?.progressPct, 0)} of it)`}`;
    lines.push(
      ko
        ? `손익: ${formatKrw(a.equityChange, true)}원 (${pct(a.returnPct, 2, true)}) · ${goalText}`
        : `PnL: ${formatKrw(a.equityChange, true)} KRW (${pct(a.returnPct, 2, true)}) · ${goalText}`,
    );
  }
  lines.push(
    ko
      ? `실현 손익 ${formatKrw(t.realizedPnl, true)}원 · 수수료 ${formatKrw(t.fees)}원 · 체결 ${t.fills}건`
      : `Realised ${formatKrw(t.realizedPnl, true)} KRW · fees ${formatKrw(t.fees)} KRW · ${t.fills} fills`,
  );
  const avg = t.averagePnl === undefined ? '-' : formatKrw(t.averagePnl, true);
  lines.push(
    ko
      ? `거래 ${t.trades}건 · 승률 ${pct(t.winRatePct, 1)} · 평균 ${avg}원 · 손익비 ${num(t.plRatio)}`
      : `Trades ${t.trades} · win rate ${pct(t.winRatePct, 1)} · avg ${avg} KRW · P/L ratio ${num(t.plRatio)}`,
  );
  const ta = trailing.account;
  const caution = trailDays < MIN_RELIABLE_DAILY_RETURNS;
  lines.push(
    ko
      ? `최근 ${trailDays}일: 샤프 ${num(ta?.ratios.sharpe)} · 최대낙폭 ${pct(ta?.maxDrawdownPct)} · 목표 달성 ${pct(ta?.dailyGoal.hitRatePct, 0)}${caution ? ' (표본 부족, 참고용)' : ''}`
      : `Last ${trailDays} days: Sharpe ${num(ta?.ratios.sharpe)} · max drawdown ${pct(ta?.maxDrawdownPct)} · goal hit ${pct(ta?.dailyGoal.hitRatePct, 0)}${caution ? ' (few days, indicative only)' : ''}`,
  );
  if (traded.length > 0) {
    lines.push(ko ? '전략별:' : 'By strategy:');
    for (const s of traded) lines.push(strategyLine(s, lang));
  }
  const usage = risk.dailyLimitUsage === undefined ? '-' : pct(Math.max(0, risk.dailyLimitUsage) * 100, 0);
  lines.push(
    ko
      ? `리스크: 일일 손실 한도 사용 최대 ${usage} · 최대 하락 ${pct(risk.worstLoss === undefined ? undefined : risk.worstLoss * 100)}`
      : `Risk: daily loss limit used up to ${usage} · worst drop ${pct(risk.worstLoss === undefined ? undefined : risk.worstLoss * 100)}`,
  );
  for (const w of day.warnings.filter((w) => w.code !== 'few_daily_returns'))
    lines.push(`⚠️ ${ko ? (WARNING_KO[w.code] ?? w.message) : w.message}`);
  return lines.join('\n');
}
