import { sendCompanyNative } from '@test/company-reserve';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { electronBinary } from '../../scripts/electron-binary.mjs';

/*
 * The app inside Electron: main process, sandboxed preload, IPC, better-sqlite3 built for Electron's
 * ABI. First start on a fresh data folder, every screen, and a withdrawal requested by the admin,
 * approved and signed by a second operator on the virtual Ledger the main process opens on devnet
 * (TREASURY_LEDGER=virtual, unpackaged runs only), then confirmed on an anvil chain. Run by
 * scripts/test-electron.mjs only where Electron's binary is installed.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const PASSPHRASE = 'correct horse battery staple';
const APPROVER = { name: 'ana.ruiz', passphrase: 'a long approver passphrase' };
const EXTERNAL = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
const USDT = (tokens: number) => BigInt(tokens) * 10n ** 6n;

// one app, one data folder: each test goes on from where the previous one left it
test.describe.configure({ mode: 'serial' });

let app: ElectronApplication;
let page: Page;
let home: string;
let devnet: EvmDevnet;

test.beforeAll(async () => {
  const executablePath = electronBinary(root);
  test.skip(!executablePath, "Electron's binary is not installed");
  devnet = await startEvmDevnet({ chain: 'polygon' });
  home = mkdtempSync(join(tmpdir(), 'treasury-electron-'));
  app = await electron.launch({
    executablePath: executablePath!,
    args: [root],
    cwd: root,
    env: { ...process.env, TREASURY_HOME: home, TREASURY_PROFILE: 'devnet', TREASURY_LEDGER: 'virtual', TREASURY_NO_DEVNET: '1' },
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  await devnet?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A call through the preload bridge, as the renderer makes it (window.treasury.<area>.<method>). */
async function bridge<T>(area: string, method: string, request: unknown): Promise<T> {
  const result = await page.evaluate(
    ({ area, method, request }) =>
      (globalThis as unknown as Record<string, Record<string, Record<string, (r: unknown) => Promise<{ ok: boolean; data?: unknown; error?: { message: string } }>>>>)
        .treasury![area]![method]!(request),
    { area, method, request },
  );
  if (!result.ok) throw new Error(`${area}.${method}: ${result.error?.message}`);
  return result.data as T;
}

async function goTo(screen: string): Promise<void> {
  await page.getByTestId(`nav-${screen}`).click();
  await expect(page.getByTestId(`screen-${screen}`)).toBeVisible();
}

test('the window is Electron’s, hardened, on the devnet workspace', async () => {
  expect(await app.evaluate(({ app: electronApp }) => electronApp.isPackaged)).toBe(false);
  await expect(page.getByTestId('status-profile')).toBeVisible({ timeout: 30_000 });
  expect(await page.title()).toMatch(/DEVNET/i);
  // contextIsolation and no nodeIntegration: the page has the bridge and nothing of Node
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as { treasury?: unknown }).treasury)).toBe('object');
});

test('first start: the admin sets up custody on a fresh data folder (SQLite through Electron’s build)', async () => {
  await page.getByTestId('custody-new-passphrase').fill(PASSPHRASE);
  await page.getByTestId('custody-confirm-passphrase').fill(PASSPHRASE);
  await page.getByTestId('custody-setup').click();
  await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 30_000 });
});

test('every screen in the sidebar opens', async () => {
  const screens = await page.locator('[data-testid^="nav-"]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-testid')!.slice(4)));
  expect(screens.length).toBeGreaterThanOrEqual(8);
  for (const screen of screens) await goTo(screen);
});

test('a withdrawal signed on the virtual Ledger through the main process, confirmed on chain', async () => {
  await goTo('settings');
  await page.getByTestId('settings-rpc-polygon').fill(devnet.url);
  await page.getByTestId('settings-save-polygon').click();
  await expect(page.getByTestId('status-bar')).toContainText('Polygon: block', { timeout: 30_000 });

  await goTo('holding');
  await page.getByTestId('holding-register-polygon').click();
  const holding = (await page.getByTestId('holding-address-polygon').locator('code.address').textContent({ timeout: 30_000 }))!.trim();
  await devnet.setNativeBalance(holding, 10n ** 20n);
  // Network fees are paid from the company's own POL: it sends 1 POL from outside, which the watcher books as reserve.
  await sendCompanyNative(devnet.provider, holding, 10n ** 18n);
  await devnet.mintToken('USDT', holding, USDT(1_000));

  const wallet = await bridge<{ id: string }>('wallets', 'create', { chain: 'polygon', label: 'Electron client' });
  await bridge('transfers', 'companyCredit', {
    idempotencyKey: 'electron-suite-funding',
    walletId: wallet.id,
    assetId: 'polygon:USDT',
    amount: USDT(300).toString(),
    reason: 'Opening balance for the Electron suite',
  });
  await bridge('system', 'createOperator', { ...APPROVER, role: 'approver' });

  await goTo('withdrawals');
  await page.getByTestId('withdrawals-new').click();
  const request = page.getByTestId('withdrawal-request-dialog');
  await request.getByTestId('withdrawal-wallet-search').fill('Electron');
  await request.getByTestId('withdrawal-wallet').selectOption({ index: 0 });
  await request.getByTestId('withdrawal-amount').fill('120.50');
  await request.getByTestId('withdrawal-destination').fill(EXTERNAL);
  await request.getByTestId('withdrawal-submit').click();
  await expect(page.getByTestId('withdrawal-state')).toHaveText('Awaiting approval', { timeout: 20_000 });

  // the approver signs in at the same window after the admin signs out
  await page.getByTestId('sign-out').click();
  await page.getByTestId('custody-operator').fill(APPROVER.name);
  await page.getByTestId('custody-passphrase').fill(APPROVER.passphrase);
  await page.getByTestId('custody-unlock').click();
  await expect(page.getByTestId('screen-dashboard')).toBeVisible({ timeout: 20_000 });
  await goTo('withdrawals');
  await page.getByTestId('withdrawal-row').first().click();
  await page.getByTestId('withdrawal-approve').click();
  await expect(page.getByTestId('withdrawal-state')).toHaveText('Ready to sign');
  await page.getByTestId('withdrawal-sign').click();
  const signing = page.getByTestId('signing-dialog');
  await expect(signing.getByTestId('device-amount')).toHaveText('USDT 120.50');
  await signing.getByTestId('signing-start').click();
  await expect(signing.getByTestId('signing-done')).toBeVisible({ timeout: 60_000 });
  await signing.getByTestId('signing-finish').click();

  await devnet.mine(4);
  await expect(page.getByTestId('withdrawal-state')).toHaveText('Confirmed', { timeout: 60_000 });
});
