import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { BenchRow, percentile } from './bench-context';

const CHROMIUM_PATH = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
];
const LOADS = Number(process.env.BENCH_CONSOLE_LOADS || 10);

/**
 * The console (docs: README "Console"):
 *  - initial JavaScript: the entry script and its modulepreloads named by the built index.html, gzipped;
 *  - time to interactive in Chromium: navigation start → the sign-in form's button usable, cold
 *    (a new browser context each time, nothing cached) and warm (same context, reloaded).
 */
export async function benchConsole(gatewayUrl: string, consoleDir: string): Promise<BenchRow[]> {
  const html = readFileSync(join(consoleDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/app\/([^"]+\.js)"/g)].map(
    (match) => match[1],
  );
  const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(consoleDir, file))).length, 0);
  const rows: BenchRow[] = [
    {
      bench: 'console',
      metric: `initial JavaScript, ${scripts.length} file(s) gzipped (target ≤ 250 KB)`,
      value: `${(gzipped / 1024).toFixed(1)} KB`,
    },
  ];

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
  try {
    const measure = async (page: import('playwright-core').Page, load: () => Promise<unknown>) => {
      await load();
      await page.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'visible' });
      return page.evaluate(() => performance.now());
    };
    const cold: number[] = [];
    for (let i = 0; i < LOADS; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      cold.push(await measure(page, () => page.goto(`${gatewayUrl}/app/login`)));
      await context.close();
    }
    const warm: number[] = [];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${gatewayUrl}/app/login`);
    for (let i = 0; i < LOADS; i += 1) warm.push(await measure(page, () => page.reload()));
    await context.close();
    for (const [label, samples] of [
      ['cold', cold],
      ['warm', warm],
    ] as const) {
      const sorted = [...samples].sort((a, b) => a - b);
      rows.push({
        bench: 'console',
        metric: `sign-in page to interactive, ${label}, p50 / p95 of ${sorted.length} (target ≤ 1.5 s)`,
        value: `${percentile(sorted, 50).toFixed(0)} / ${percentile(sorted, 95).toFixed(0)} ms`,
      });
    }
  } finally {
    await browser.close();
  }
  return rows;
}
