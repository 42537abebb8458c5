// The trader portal as people use it, in headless Debian chromium against the built portal and a running exchange
// (stack.ts): live markets and trade pages. Screenshots of every page, desktop and phone width, go to
// test-artifacts/screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, launchChromium, screenshotBothWidths } from './browser.js';
import { startPortalStack, type PortalStack } from './stack.js';

let stack: PortalStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startPortalStack(), launchChromium()]);
  context = await browser.newContext({ viewport: desktop });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The texts of every element matching `selector`. */
const texts = (selector: string) => page.locator(selector).allInnerTexts();

describe('the trader portal in a browser', () => {
  it('lists every market with a live price, and opens its trade page with book, trades and chart', async () => {
    await page.goto(`${stack.portalUrl}/markets`);
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'ETHBTC']) {
      await page.waitForFunction(
        (symbol) => {
          const cell = document.querySelector(`tr[data-symbol="${symbol}"] [data-testid="last-price"]`);
          return cell !== null && /\d/.test(cell.textContent ?? '');
        },
        symbol,
        { timeout: 30_000 },
      );
    }
    const prices = await texts('tr[data-symbol="BTCUSDT"] [data-testid="last-price"]');
    // The market maker quotes around 43,000.
    expect(Number(prices[0]!.replaceAll(',', ''))).toBeGreaterThan(30_000);
    await page.getByLabel('Search markets').fill('eth');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-symbol]').length === 2);
    expect(
      await page.locator('tr[data-symbol]').evaluateAll((rows) => rows.map((row) => row.dataset['symbol'])),
    ).toEqual(expect.arrayContaining(['ETHUSDT', 'ETHBTC']));
    await page.getByLabel('Search markets').fill('');
    await screenshotBothWidths(context, page, 'markets');

    await page.locator('tr[data-symbol="BTCUSDT"] a.pair-name').click();
    await page.waitForURL(/\/trade\/BTCUSDT$/);
    await page.locator('[data-testid="ask-level"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="bid-level"]').first().waitFor();
    expect(await page.locator('[data-testid="ask-level"]').count()).toBeGreaterThanOrEqual(3);
    await page.getByRole('region', { name: 'Price chart' }).locator('canvas').first().waitFor();
    await page
      .getByRole('region', { name: 'Recent trades' })
      .getByText(/\d{2}:\d{2}:\d{2}/)
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshotBothWidths(context, page, 'trade');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
