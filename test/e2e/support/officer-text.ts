import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { ERROR_CODES } from '@shared/result';

// The page function runs in Chromium; this file is type-checked as Node code.
declare const document: { body: { innerText: string }; querySelectorAll(selector: string): Iterable<{ innerText: string }> };

/** Places an officer reads at a glance: stablecoins in cents, other coins to four places (renderer/src/words/names.ts). */
const DISPLAY_PLACES: Record<string, number> = { USDT: 2, USDC: 2, POL: 4, BNB: 4, TRX: 4 };
const SYMBOLS = Object.keys(DISPLAY_PLACES).join('|');

export interface TextProblem {
  kind: string;
  text: string;
}

/**
 * What an officer must never read on a screen: a UUID, an asset id ("polygon:USDT"), a validation library's
 * phrase, an error code as a refusal's main message, an amount past its asset's display places, base units.
 */
export function officerTextProblems(text: string, alertMessages: string[]): TextProblem[] {
  const problems: TextProblem[] = [];
  const find = (kind: string, pattern: RegExp) => {
    for (const match of text.matchAll(pattern)) problems.push({ kind, text: match[0] });
  };
  find('uuid', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi);
  find('asset id', /\b(?:polygon|bsc|tron):[A-Za-z0-9]+/g);
  find('zod phrase', /(?:Invalid input|Too small: |Too big: |Invalid option|Unrecognized key|Invalid ISO)[^\n]*|expected [a-z]+, received [a-z]+/g);
  find('base units', /\bbase units?\b/gi);
  find('raw chain in brackets', /\((?:polygon|bsc|tron)\)/g);
  for (const match of text.matchAll(new RegExp(`(?<![\\w.])(\\d[\\d,]*)\\.(\\d+)\\s?(${SYMBOLS})\\b|\\b(${SYMBOLS})\\s(\\d[\\d,]*)\\.(\\d+)`, 'g'))) {
    const places = (match[2] ?? match[6] ?? '').length;
    const symbol = match[3] ?? match[4] ?? '';
    if (places > DISPLAY_PLACES[symbol]!) problems.push({ kind: `amount past ${DISPLAY_PLACES[symbol]} places`, text: match[0] });
  }
  for (const message of alertMessages) {
    const m = message.trim();
    if ((ERROR_CODES as readonly string[]).includes(m) || /^[a-z]+(_[a-z]+)+$/.test(m)) problems.push({ kind: 'error code as message', text: m });
  }
  return problems;
}

/**
 * Checks the screen as it stands (open dialogs included) and saves it at the two sizes a treasury's
 * workstations use; fails on the first screen that shows what an officer must never read.
 */
export async function checkScreen(page: Page, name: string, folder = 'test-results/officer-day'): Promise<void> {
  mkdirSync(folder, { recursive: true });
  await page.waitForTimeout(150);
  const { text, alerts } = await page.evaluate(() => ({
    text: document.body.innerText,
    alerts: [...document.querySelectorAll('[role="alert"] strong, .state__message')].map((e) => e.innerText),
  }));
  const problems = officerTextProblems(text, alerts);
  const size = page.viewportSize();
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${folder}/${name}-${width}.png` });
  }
  if (size) await page.setViewportSize(size);
  expect(problems, `${name} shows text an officer must not read`).toEqual([]);
}
