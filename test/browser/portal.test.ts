// The trader portal as people use it, in headless Debian chromium against the built portal and a running exchange
// (stack.ts): live markets and trade pages; then a new trader's whole journey: sign up, verify the email from the demo
// mailbox, log in, enrol two-factor, create an API key, place limit and market orders and see them in the book, the
// open orders and the histories, see an order placed with ccxt (the new key) appear live, cancel, log out. Screenshots of every page, desktop and phone width, go to
// test-artifacts/screenshots.
import ccxt from 'ccxt';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktop, launchChromium, screenshotBothWidths } from './browser.js';
import { PortalHttp } from './portal-http.js';
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

  it('takes a new trader from sign-up to trading, with ccxt on the same account live in the page', async () => {
    const email = `journey-${Date.now()}@example.test`;
    const password = 'a long and unguessable passphrase';
    const alert = () => page.getByRole('alert').filter({ hasText: /\S/ });

    // Sign up, then verify from the demo mailbox.
    await page.goto(`${stack.portalUrl}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await screenshotBothWidths(context, page, 'signup');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.getByRole('link', { name: 'Open the demo mailbox' }).click();
    const mail = page.getByRole('article', { name: 'Confirm your email address' });
    await mail.waitFor({ timeout: 20_000 });
    await screenshotBothWidths(context, page, 'mailbox');
    await mail.getByRole('link', { name: 'Confirm email address' }).click();
    await page.getByRole('heading', { name: 'Your email is verified' }).waitFor();
    await screenshotBothWidths(context, page, 'verify-email');

    // Log in.
    await page.getByRole('link', { name: 'Log in' }).first().click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await screenshotBothWidths(context, page, 'login');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.waitForURL(/\/trade/);

    // Two-factor: scan (read the secret), confirm, keep the recovery codes.
    await page.goto(`${stack.portalUrl}/account/security`);
    await page.getByRole('button', { name: 'Enable two-factor' }).click();
    const secret = await page.getByLabel('Secret key').inputValue();
    const totp = new TOTP({ secret: Secret.fromBase32(secret.replaceAll(' ', '')), digits: 6, period: 30 });
    await page.getByLabel('Authentication code').fill(totp.generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    const recoveryCodes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await recoveryCodes.first().waitFor();
    expect(await recoveryCodes.count()).toBe(10);
    await page.getByLabel('I have saved my recovery codes').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await screenshotBothWidths(context, page, 'security');

    // An API key for a bot: the secret is shown once.
    await page.goto(`${stack.portalUrl}/account/api-keys`);
    await page.getByLabel('Label').fill('ccxt bot');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const apiKey = await page.getByLabel('API key', { exact: true }).inputValue();
    const apiSecret = await page.getByLabel('API secret').inputValue();
    expect(apiSecret).toMatch(/^[A-Za-z0-9]{64}$/);
    await screenshotBothWidths(context, page, 'api-keys');

    // The demo credits a verified account: the order form shows the money.
    await page.goto(`${stack.portalUrl}/trade/BTCUSDT`);
    const form = page.getByRole('region', { name: 'Place an order' });
    await page.waitForFunction(
      () => /[1-9]/.test(document.querySelector('[data-testid="available-balance"]')?.textContent ?? ''),
      null,
      { timeout: 20_000 },
    );
    const bestBid = Number(
      (await page.locator('[data-testid="bid-level"] span.num').first().innerText()).replaceAll(',', ''),
    );
    expect(bestBid).toBeGreaterThan(1_000);
    // A resting limit buy just under the best bid: it shows in the book and in the open orders.
    const limitPrice = (Math.floor(bestBid) - 3).toFixed(2);
    const limitText = Number(limitPrice).toLocaleString('en-US', { minimumFractionDigits: 2 });
    await form.getByLabel('Price', { exact: true }).fill(limitPrice);
    await form.getByLabel('Amount', { exact: true }).fill('0.01');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form.getByRole('status').filter({ hasText: 'Buy order placed' }).waitFor();
    const openOrders = page.getByRole('table', { name: 'Open orders' });
    const limitRow = openOrders.getByRole('row').filter({ hasText: limitText });
    await limitRow.waitFor();
    await page.locator('[data-testid="bid-level"]').filter({ hasText: limitText }).first().waitFor();

    // A market buy fills at once and lands in the trade history.
    await form.getByLabel('Order type').selectOption('MARKET');
    await form.getByLabel('Amount', { exact: true }).fill('0.001');
    await form.getByRole('button', { name: 'Buy BTC' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: /Bought/ })
      .waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'Trade history' }).click();
    await page
      .getByRole('table', { name: 'Trade history' })
      .getByRole('row')
      .filter({ hasText: 'BTC/USDT' })
      .first()
      .waitFor();
    await page.getByRole('tab', { name: 'Open orders' }).click();

    // The same account through ccxt and the new key: its order appears in the page without a reload.
    const bot = new ccxt.binance({
      apiKey,
      secret: apiSecret,
      enableRateLimit: false,
      urls: { api: { public: `${stack.gatewayUrl}/api/v3`, private: `${stack.gatewayUrl}/api/v3` } },
      options: { defaultType: 'spot', fetchMargins: false, fetchCurrencies: false, fetchMarkets: { types: ['spot'] } },
    });
    await bot.loadMarkets();
    const botPrice = Math.floor(bestBid) - 7;
    const botOrder = await bot.createOrder('BTC/USDT', 'limit', 'buy', 0.002, botPrice);
    await openOrders.locator(`[data-order-id="${botOrder.id}"]`).waitFor({ timeout: 10_000 });
    await screenshotBothWidths(context, page, 'trade-signed-in');

    // Cancel one from its row, then the rest with Cancel all; ccxt sees them cancelled.
    await limitRow.getByRole('button', { name: 'Cancel', exact: true }).click();
    await limitRow.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Cancel all' }).click();
    await openOrders.locator(`[data-order-id="${botOrder.id}"]`).waitFor({ state: 'detached' });
    expect((await bot.fetchOrder(String(botOrder.id), 'BTC/USDT')).status).toBe('canceled');
    await page.getByRole('tab', { name: 'Order history' }).click();
    await page
      .getByRole('table', { name: 'Order history' })
      .getByRole('row')
      .filter({ hasText: limitText })
      .first()
      .waitFor();
    expect(await alert().count()).toBe(0);

    await page.goto(`${stack.portalUrl}/wallet`);
    await page.locator('[data-asset="BTC"]').first().waitFor();
    await screenshotBothWidths(context, page, 'wallet');
    await page.goto(`${stack.portalUrl}/account`);
    await screenshotBothWidths(context, page, 'account');

    // Log out: the header offers to log in again and the account pages send us to the login.
    await page.getByRole('button', { name: /^Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    await page.goto(`${stack.portalUrl}/account/security`);
    await page.waitForURL(/\/login\?next=/);
    expect(pageErrors).toEqual([]);
  }, 300_000);

  it('resets a forgotten password from the mailbox; the old password stops working', async () => {
    const email = `forgetful-${Date.now()}@example.test`;
    const oldPassword = 'the first long passphrase';
    const newPassword = 'the second long passphrase';
    await new PortalHttp(stack.portalUrl, stack.gatewayUrl).signUpAndLogIn(email, oldPassword);
    const fresh = await browser.newContext({ viewport: desktop });
    const tab = await fresh.newPage();
    try {
      await tab.goto(`${stack.portalUrl}/forgot-password`);
      await tab.getByLabel('Email').fill(email);
      await tab.getByRole('button', { name: 'Send reset link' }).click();
      await tab.getByRole('heading', { name: 'Check your email' }).waitFor();
      await tab.goto(`${stack.portalUrl}/mailbox?to=${encodeURIComponent(email)}`);
      const mail = tab.getByRole('article', { name: 'Reset your password' });
      await mail.waitFor({ timeout: 20_000 });
      await mail.getByRole('link', { name: 'Choose a new password' }).click();
      await tab.getByLabel('New password', { exact: true }).fill(newPassword);
      await tab.getByLabel('Confirm new password').fill(newPassword);
      await tab.getByRole('button', { name: 'Reset password' }).click();
      await tab.getByRole('heading', { name: 'Your password has been reset' }).waitFor();

      const logIn = async (password: string) => {
        await tab.goto(`${stack.portalUrl}/login`);
        await tab.getByLabel('Email').fill(email);
        await tab.getByLabel('Password', { exact: true }).fill(password);
        await tab.getByRole('button', { name: 'Log in', exact: true }).click();
      };
      await logIn(oldPassword);
      await tab.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor();
      expect(tab.url()).toMatch(/\/login/);
      await logIn(newPassword);
      await tab.waitForURL(/\/trade/);
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
