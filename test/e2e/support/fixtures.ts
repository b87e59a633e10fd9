import { test as base, expect, type Page } from '@playwright/test';
import { startHostProcess, type HostProcess } from './host-process';

// engineCall's page function runs in Chromium; this file is type-checked as Node code.
declare const sessionStorage: { getItem(key: string): string | null };

export const PASSPHRASE = 'correct horse battery staple';

/** The app shell as a page object: navigation, status bar, custody gate and screenshots. */
export class TreasuryApp {
  constructor(
    readonly page: Page,
    readonly host: HostProcess,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(this.host.openUrl);
    await expect(this.page.getByTestId('status-profile')).toBeVisible();
  }

  /**
   * First start on a fresh data folder: create the custody vault (which also unlocks it) and pass the
   * recovery-word check; `opens` is what shows next (the app, or on mainnet/testnet the endpoints step).
   */
  async setUpCustody(passphrase = PASSPHRASE, opens = 'screen-dashboard'): Promise<void> {
    await this.page.getByTestId('custody-new-passphrase').fill(passphrase);
    await this.page.getByTestId('custody-confirm-passphrase').fill(passphrase);
    await this.page.getByTestId('custody-setup').click();
    await this.confirmRecoveryWords(await this.revealRecoveryWords(passphrase));
    await expect(this.page.getByTestId(opens)).toBeVisible({ timeout: 20_000 });
  }

  /** The recovery step: asks the passphrase again and reads the numbered words off the screen, as an officer copies them. */
  async revealRecoveryWords(passphrase = PASSPHRASE): Promise<string[]> {
    await expect(this.page.getByTestId('recovery-step')).toBeVisible({ timeout: 20_000 });
    await this.page.getByTestId('recovery-passphrase').fill(passphrase);
    await this.page.getByTestId('recovery-reveal').click();
    const words = this.page.getByTestId('recovery-words').locator('.recovery-words__w');
    await expect(words).toHaveCount(24, { timeout: 20_000 });
    return words.allTextContents();
  }

  /** Moves on to the check and types the words at the positions it asks for. */
  async confirmRecoveryWords(words: string[]): Promise<void> {
    await this.page.getByTestId('recovery-words-written').click();
    await this.fillRecoveryCheck(words);
    await this.page.getByTestId('recovery-check-submit').click();
  }

  /** The three asked positions, each filled from `words` (1-based positions); `override` types other words at some. */
  async fillRecoveryCheck(words: string[], override: Record<number, string> = {}): Promise<number[]> {
    const inputs = this.page.locator('[data-testid^="recovery-check-"][data-position]');
    await expect(inputs).toHaveCount(3);
    const positions: number[] = [];
    for (const input of await inputs.all()) {
      const position = Number(await input.getAttribute('data-position'));
      positions.push(position);
      await input.fill(override[position] ?? words[position - 1]!);
    }
    return positions;
  }

  async goTo(screen: string): Promise<void> {
    await this.page.getByTestId(`nav-${screen}`).click();
    await expect(this.page.getByTestId(`screen-${screen}`)).toBeVisible();
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  }

  /** `engineCall` for set-up steps: the answer's data, or a thrown error naming the refusal. */
  async engineData<T = unknown>(channel: string, request: unknown): Promise<T> {
    const result = await this.engineCall<T>(channel, request);
    if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
    return result.data!;
  }

  /**
   * A call to the real engine through the host, from inside the page with its session token, as
   * another officer's workstation would make it; used to change state behind the screen's back.
   */
  async engineCall<T = unknown>(channel: string, request: unknown): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string } }> {
    return this.page.evaluate(
      async ({ channel, request }) => {
        const token = sessionStorage.getItem('treasury.host.token') ?? '';
        // The operator session the page signed in with (renderer/src/api.ts keeps it per tab).
        const session = sessionStorage.getItem('treasury.host.session');
        const response = await fetch(`/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-treasury-token': token, ...(session ? { 'x-treasury-session': session } : {}) },
          body: JSON.stringify(request),
        });
        return (await response.json()) as { ok: boolean; data?: T; error?: { code: string; message: string } };
      },
      { channel, request },
    );
  }
}

export const test = base.extend<{ app: TreasuryApp; officer: TreasuryApp }>({
  /** The app on a fresh data folder, at the custody gate. */
  app: async ({ page }, use) => {
    const host = await startHostProcess();
    try {
      const app = new TreasuryApp(page, host);
      await app.open();
      await use(app);
    } finally {
      await host.stop();
    }
  },
  /** The app on a fresh data folder with custody set up and unlocked. */
  officer: async ({ app }, use) => {
    await app.setUpCustody();
    await use(app);
  },
});
export { expect };
