import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { RunningApiServer } from '../../shared/src/adapters/http/api-server';
import { startLocalApi } from '../../shared/src/adapters/http/local-api';
import { krw } from '../../shared/src/domain/money/quantities';
import type { EpochMs } from '../../shared/src/domain/time/epoch';
import { T0 } from '../../shared/testing/state-builders';
import { type ApiWorld, apiWorld, TOKEN } from '../api/support/api-world';
import { seedTradingDay } from '../api/support/seed';

// Browser globals used inside page functions: this file is type-checked without the DOM library
// (adding it would let DOM globals type-check everywhere in the repository).
interface PageElement {
  readonly textContent: string | null;
  readonly className: string;
  readonly dataset: Readonly<Record<string, string | undefined>>;
  readonly children: { readonly length: number };
}
declare const document: {
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): { readonly length: number };
  readonly documentElement: { readonly scrollWidth: number };
};
declare const window: { readonly innerWidth: number };
declare const sessionStorage: { getItem(key: string): string | null };

/** Debian's chromium (`apt-get install -y chromium`); `npx playwright install` cannot download here. */
const CHROMIUM = process.env.QTS_CHROMIUM ?? '/usr/lib/chromium/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-results', 'dashboard');
const LIVE_MS = 2_000;

let world: ApiWorld;
let server: RunningApiServer;
let context: BrowserContext;
let page: Page;
let profile: string;
const problems: string[] = [];

beforeAll(async () => {
  world = apiWorld();
  await seedTradingDay(world, T0);
  server = await startLocalApi(world.deps, { host: '127.0.0.1', port: 0, liveUpdateMs: LIVE_MS });
  profile = mkdtempSync(join(tmpdir(), 'qts-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url)) problems.push(`offsite request: ${r.url()}`);
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
});

const text = async (testid: string) => (await page.getByTestId(testid).textContent())?.trim() ?? '';

/** Lets the server's live loop publish (its clock is manual: no real waiting, no timing in the test). */
async function tick(): Promise<void> {
  await world.clock.advance(LIVE_MS);
}

describe('dashboard in headless Chromium', () => {
  it('asks for the token (kept out of the URL) and shows the Korean dashboard', async () => {
    await page.goto(server.url);
    await page.getByTestId('token').fill('wrong-token');
    await page.getByTestId('login').click();
    await page.waitForFunction(() => document.getElementById('login-error')?.textContent !== '');
    expect(await page.locator('#login-error').textContent()).toBe('토큰이 올바르지 않습니다.');
    problems.length = 0; // the refused attempt logged its 401s on purpose
    await page.getByTestId('token').fill(TOKEN);
    await page.getByTestId('login').click();
    await page.getByTestId('state').waitFor();
    expect(page.url()).not.toContain(TOKEN);
    expect(await page.evaluate(() => sessionStorage.getItem('qts.token'))).toBe(TOKEN);
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    for (const label of [
      '시스템 상태',
      '제어판',
      '보유 포지션',
      '최근 체결',
      '전략별 성과와 설정',
      '리스크',
      '자산 곡선',
      '가격 차트',
    ])
      await page.getByText(label, { exact: true }).first().waitFor();
    expect(await text('state')).toBe('거래 중');
    await page.waitForFunction(() => document.querySelectorAll('#positions-table tbody tr').length === 2);
    await page.waitForFunction(() => (document.getElementById('perf-cards')?.children.length ?? 0) >= 8);
    await page.waitForFunction(
      () => document.querySelectorAll('#equity-chart canvas, #price-chart canvas').length === 2,
    );
    expect(await text('positions')).toContain('KRW-BTC');
    expect(await text('strategies')).toContain('마켓 메이킹');
    expect(await text('trades')).toContain('매수');
  }, 60_000);

  it('updates numbers live, without a reload', async () => {
    await page.waitForFunction(() => document.getElementById('live')?.className.includes('on'));
    const before = await text('equity');
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    await world.equity.putPoint({
      at: world.clock.now() as EpochMs,
      equity: krw('12345678'),
      cash: krw('11345678'),
      holdings: krw('1000000'),
      unpriced: [],
    });
    await tick();
    await page.waitForFunction(() => document.getElementById('equity')?.textContent === '12,345,678원');
    expect(before).not.toBe('12,345,678원');
    const heartbeat = await text('heartbeat');
    await tick();
    await page.waitForFunction((h) => document.getElementById('heartbeat')?.textContent !== h, heartbeat);
    expect(navigations).toEqual([]);
  }, 60_000);

  it('stops and starts trading from the control panel', async () => {
    await page.getByTestId('stop').click();
    await page.waitForFunction(() => document.getElementById('state')?.dataset.state === 'stopped');
    expect(await text('state')).toBe('거래 중지');
    expect((await world.store.getControl()).tradingEnabled).toBe(false);
    await page.getByTestId('start').click();
    await page.waitForFunction(() => document.getElementById('state')?.dataset.state === 'running');
    expect((await world.store.getControl()).tradingEnabled).toBe(true);
    expect((await world.drainControl()).map((m) => m.command.kind)).toEqual([
      'stop_trading',
      'start_trading',
    ]);
  }, 60_000);

  it('emergency stop needs its confirm step, then latches and tells the executor', async () => {
    await page.getByTestId('emergency').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await page.getByText('취소', { exact: true }).last().click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await world.store.getControl()).latch).toBeUndefined();
    await page.getByTestId('emergency').click();
    await page.getByTestId('confirm-reason').fill('브라우저 테스트 정지');
    await page.getByTestId('confirm-ok').click();
    await page.waitForFunction(() => document.getElementById('state')?.dataset.state === 'reducing');
    expect(await text('state')).toBe('축소만 허용');
    expect(await text('latch')).toContain('브라우저 테스트 정지');
    expect((await world.store.getControl()).latch).toMatchObject({
      state: 'reducing',
      reason: '브라우저 테스트 정지',
    });
    expect((await world.drainControl()).map((m) => m.command)).toEqual([
      expect.objectContaining({ kind: 'emergency_stop', reason: '브라우저 테스트 정지' }),
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-desktop-ko.png'), fullPage: true });
  }, 60_000);

  it('switches to English and fits a phone screen', async () => {
    await page.getByTestId('lang').click();
    await page.getByText('System status', { exact: true }).waitFor();
    expect(await text('state')).toBe('Reducing only');
    await page.setViewportSize({ width: 390, height: 844 });
    // Charts follow the resize event; wait for the layout to settle, then nothing may stick out.
    await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, undefined, {
      timeout: 10_000,
    });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone-en.png'), fullPage: true });
    await page.getByTestId('lang').click();
    expect(problems).toEqual([]);
  }, 60_000);
});
