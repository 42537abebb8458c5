// npm run bench:portal [-- --runs N]: the trader portal's budgets, measured in headless Debian chromium on
// localhost against the built portal and a running exchange (stack.ts):
// - the trade page becomes interactive (hydrated: performance mark 'exbox:interactive:trade', then a click on "Sell"
//   proven to switch the form) in under 1.5 s from navigation, on a cold browser cache;
// - its JavaScript is under 250 KB compressed (every script the page loads, gzip level 6 as a server sends it).
// Also printed: first contentful paint, DOMContentLoaded, load, and when the live order book shows its first level.
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { desktop, launchChromium } from './browser.js';
import { startPortalStack } from './stack.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const interactiveBudgetMs = 1_500;
const scriptBudgetBytes = 250 * 1024;

interface Sample {
  fcpMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  interactiveMs: number;
  clickRespondedMs: number;
  firstBookLevelMs: number;
}

const stack = await startPortalStack();
const browser = await launchChromium();
try {
  const url = `${stack.portalUrl}/trade/BTCUSDT`;
  const scripts = new Set<string>();
  const samples: Sample[] = [];
  // Run 0 warms the server (its first render loads modules); it is printed but not counted.
  for (let run = 0; run <= runs; run++) {
    const context = await browser.newContext({ viewport: desktop });
    const page = await context.newPage();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.add(response.url());
    });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => performance.getEntriesByName('exbox:interactive:trade').length > 0, null, {
      timeout: 30_000,
    });
    // Interactive means a click does something: "Sell" switches the form's side.
    const sell = page.getByRole('button', { name: 'Sell', exact: true });
    await sell.click();
    await page.waitForFunction(() => {
      const button = [...document.querySelectorAll('button')].find((element) => element.textContent === 'Sell');
      return button?.getAttribute('aria-pressed') === 'true' || button?.classList.contains('active') === true;
    });
    const clickRespondedMs = await page.evaluate(() => performance.now());
    await page.locator('[data-testid="bid-level"]').first().waitFor({ timeout: 30_000 });
    const firstBookLevelMs = await page.evaluate(() => performance.now());
    const timing = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return {
        fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        domContentLoadedMs: navigation.domContentLoadedEventEnd,
        loadMs: navigation.loadEventEnd,
        interactiveMs: performance.getEntriesByName('exbox:interactive:trade')[0]!.startTime,
      };
    });
    const sample = { ...timing, clickRespondedMs, firstBookLevelMs };
    const rounded = Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, Math.round(value)]));
    console.log(`${run === 0 ? 'warm-up' : `run ${run}`}: ${JSON.stringify(rounded)}`);
    if (run > 0) samples.push(sample);
    await context.close();
  }

  let rawBytes = 0;
  let gzipBytes = 0;
  for (const script of scripts) {
    const body = Buffer.from(await (await fetch(script)).arrayBuffer());
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 6 }).length;
  }

  const quantile = (key: keyof Sample, q: number) => {
    const sorted = samples.map((sample) => sample[key]).sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  };
  const line = (key: keyof Sample) => `${key} p50=${quantile(key, 0.5)} max=${quantile(key, 1)}`;
  console.log(`trade page ${url}, ${runs} cold loads in headless chromium:`);
  for (const key of ['fcpMs', 'domContentLoadedMs', 'interactiveMs', 'clickRespondedMs', 'loadMs', 'firstBookLevelMs'])
    console.log(`  ${line(key as keyof Sample)}`);
  console.log(`  javascript: ${scripts.size} scripts, ${rawBytes} bytes, ${gzipBytes} bytes gzip`);
  const interactive = quantile('interactiveMs', 0.5);
  console.log(
    `interactive_ms=${interactive} (budget ${interactiveBudgetMs}: ${interactive < interactiveBudgetMs ? 'met' : 'NOT met'})`,
  );
  console.log(
    `js_gzip_bytes=${gzipBytes} (budget ${scriptBudgetBytes}: ${gzipBytes < scriptBudgetBytes ? 'met' : 'NOT met'})`,
  );
} finally {
  await browser.close();
  await stack.stop();
}
