// Headless Debian chromium driven by playwright-core (a test tool's own browser download cannot work here):
// `apt-get install -y chromium`, or EXBOX_CHROMIUM=/path/to/chrome.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const configured = process.env['EXBOX_CHROMIUM'];
  if (configured !== undefined && configured !== '') {
    if (!existsSync(configured)) throw new Error(`EXBOX_CHROMIUM=${configured} does not exist`);
    return configured;
  }
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      `no chromium found (looked at ${candidates.join(', ')}): install it with \`apt-get install -y chromium\` ` +
        'or set EXBOX_CHROMIUM',
    );
  }
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // The container has no user namespaces for chromium's sandbox and a small /dev/shm.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

export const desktop = { width: 1440, height: 900 };
export const phone = { width: 390, height: 844 };

/** Screenshots land here (gitignored); CI keeps them as the run's artifacts. */
export const screenshotDir = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

/** A full-page screenshot of `page` as <name>-desktop.png, and the same URL at a phone's width as <name>-phone.png. */
export async function screenshotBothWidths(context: BrowserContext, page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // From the top: a sticky header would otherwise sit in the middle of a full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshotDir, `${name}-desktop.png`), fullPage: true });
  const browser = context.browser();
  if (browser === null) throw new Error('screenshotBothWidths: the context has no browser');
  // A phone: its width, touch and pixel density, signed in as the desktop page is (same cookies and storage).
  const phoneContext = await browser.newContext({
    viewport: phone,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    storageState: await context.storageState(),
  });
  try {
    const phonePage = await phoneContext.newPage();
    await phonePage.goto(page.url(), { waitUntil: 'load' });
    // Live pages never go network-idle for long (streams); give their first data a moment instead.
    await phonePage.waitForTimeout(1_500);
    await phonePage.screenshot({ path: join(screenshotDir, `${name}-phone.png`), fullPage: true });
  } finally {
    await phoneContext.close();
  }
}
