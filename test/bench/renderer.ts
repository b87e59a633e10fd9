/**
 * `npm run bench:renderer`: the Wallets screen against a wallet whose history holds 100,000 ledger rows.
 * Seeds them through the engine's ledger batch API on a fresh data folder, starts the headless host on
 * it as its own process, drives Debian's Chromium to the wallet, and prints the time from the click to
 * the first history rows on screen and the frame times while scrolling (steady scroll, then flinging to
 * the end so every page loads). Needs `npx electron-vite build` first. Options: RENDERER_BENCH_ROWS
 * (default 100000), CHROMIUM_PATH.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { createEngine } from '@engine/engine';
import type { TransferRequest } from '@engine/ledger/ledger';
import { startHostProcess } from '../e2e/support/host-process';

// The functions passed to page.evaluate run in Chromium; this file is type-checked as Node code, so the
// page globals they use are declared here for this module only.
declare const document: any;
declare const window: any;
declare const MutationObserver: any;
declare function requestAnimationFrame(callback: () => void): number;

const ROWS = Number.parseInt(process.env.RENDERER_BENCH_ROWS ?? '100000', 10);
const PASSPHRASE = 'renderer benchmark passphrase';
const ASSET = 'polygon:USDT';
const LABEL = 'Benchmark heavy wallet';

const home = mkdtempSync(join(tmpdir(), 'treasury-bench-renderer-'));
console.log(`renderer benchmark: ${ROWS.toLocaleString()} history rows, data folder ${home}`);

// 1. Seed through the engine, then close it so the host opens the folder alone.
let started = performance.now();
{
  const engine = await createEngine({ home, host: 'headless', scrypt: { N: 2 ** 10, r: 8, p: 1 }, log: () => {} });
  const { ledger, wallets } = engine.services;
  // First start as the app does it: the admin operator and the seed vault, one passphrase.
  const setup = await engine.api.call('system:setup', { passphrase: PASSPHRASE }, { door: 'headless' });
  if (!setup.ok) throw new Error(`setup refused: ${setup.error.message}`);
  const heavy = await wallets.create({ chain: 'polygon', label: LABEL });
  const other = await wallets.create({ chain: 'polygon', label: 'Benchmark counterparty' });
  const account = (walletId: string) => ({ kind: 'client_wallet' as const, assetId: ASSET, walletId });
  await ledger.transfer({
    idempotencyKey: 'bench-fund',
    debit: { kind: 'uncovered_credit', assetId: ASSET },
    credit: account(heavy.id),
    amount: 10n ** 30n,
    code: 'company_credit',
    memo: 'Benchmark opening balance',
  });
  for (let done = 1; done < ROWS; done += 1000) {
    const batch: TransferRequest[] = [];
    for (let i = done; i < Math.min(done + 1000, ROWS); i++) {
      // Alternate directions so both signs show; amounts vary so rows differ.
      const out = i % 3 !== 0;
      batch.push({
        idempotencyKey: `bench-${i}`,
        debit: account(out ? heavy.id : other.id),
        credit: account(out ? other.id : heavy.id),
        amount: 1_000_000n + BigInt(i) * 37n,
        code: 'internal_transfer',
        memo: `Benchmark movement ${i}`,
      });
    }
    await ledger.transferBatch(batch);
  }
  await engine.close();
}
console.log(`seeded ${ROWS.toLocaleString()} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// 2. The real host on that folder, and the real renderer in Chromium.
const host = await startHostProcess({}, { home });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  // tsx keeps function names with a helper the page does not have; give the page a no-op one.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.goto(host.openUrl);
  await page.getByTestId('custody-passphrase').fill(PASSPHRASE);
  await page.getByTestId('custody-unlock').click();
  await page.getByTestId('nav-wallets').click();
  await page.getByTestId('wallets-search').fill('Benchmark heavy');
  await page.getByTestId('wallet-row').filter({ hasText: LABEL }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="wallet-row"]').length === 1);

  // Time from the click to the first frame that shows history rows, measured inside the page.
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { clickAt?: number; firstRowsAt?: number } };
    w.__bench = {};
    document.addEventListener('click', () => (w.__bench.clickAt = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="history-row"]')) {
        observer.disconnect();
        requestAnimationFrame(() => (w.__bench.firstRowsAt = performance.now()));
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await page.getByTestId('wallet-row').first().click();
  await page.waitForFunction(() => (window as unknown as { __bench: { firstRowsAt?: number } }).__bench.firstRowsAt !== undefined);
  const firstRows = await page.evaluate(() => {
    const b = (window as unknown as { __bench: { clickAt: number; firstRowsAt: number } }).__bench;
    return b.firstRowsAt - b.clickAt;
  });
  const rendered = await page.getByTestId('history-row').count();
  console.log(`time to first history rows on screen: ${firstRows.toFixed(0)} ms (${rendered} row elements in the DOM)`);

  // Steady scroll: 600 frames, 240 px (six rows) per frame, recording every frame's duration.
  const steady = await page.evaluate(async () => {
    const scroller = document.querySelector('[data-testid="history-scroll"]')!;
    const frames: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 600; i++) {
      scroller.scrollTop += 240;
      await new Promise<void>((r) => requestAnimationFrame(() => r()));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    return { frames, domRows: document.querySelectorAll('[data-testid="history-row"]').length };
  });
  report('steady scroll (600 frames, 6 rows per frame)', steady.frames);
  console.log(`  row elements in the DOM while scrolling: ${steady.domRows}`);

  // Fling to the end repeatedly until the last page arrived: every page of the 100,000 loads on the way.
  const fling = await page.evaluate(async () => {
    const scroller = document.querySelector('[data-testid="history-scroll"]')!;
    const foot = () => scroller.parentElement!.querySelector('.table-foot')!.textContent ?? '';
    const frames: number[] = [];
    const startedAt = performance.now();
    let last = startedAt;
    while (!foot().includes('start of history') && performance.now() - startedAt < 300_000) {
      scroller.scrollTop = scroller.scrollHeight;
      await new Promise<void>((r) => requestAnimationFrame(() => r()));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    return { frames, seconds: (performance.now() - startedAt) / 1000, foot: foot() };
  });
  report('fling to the end (pages load on the way)', fling.frames);
  console.log(`  reached the start of history in ${fling.seconds.toFixed(1)} s: "${fling.foot}"`);
  await page.evaluate(async () => {
    const scroller = document.querySelector('[data-testid="history-scroll"]')!;
    for (let i = 0; i < 3; i++) {
      scroller.scrollTop = scroller.scrollHeight;
      await new Promise<void>((r) => requestAnimationFrame(() => r()));
    }
  });
  const lastRow = await page.getByTestId('history-row').last().innerText();
  console.log(`  oldest row on screen: ${lastRow.replace(/\s+/g, ' ')}`);
} finally {
  await browser.close();
  await host.stop();
  rmSync(home, { recursive: true, force: true });
}

function report(name: string, frames: number[]): void {
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const over = (ms: number) => frames.filter((f) => f > ms).length;
  // At 60 Hz a frame lasts 16.7 ms; one over 25 ms means at least one refresh was missed.
  console.log(
    `${name}: ${frames.length} frames, p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, ` +
      `max ${sorted[sorted.length - 1]!.toFixed(1)} ms; missed a refresh (>25 ms): ${over(25)}, over 50 ms: ${over(50)}`,
  );
}
