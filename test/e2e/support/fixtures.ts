import { test as base, expect, type Page } from '@playwright/test';
import { startHostProcess, type HostProcess } from './host-process';

/** The app shell as a page object: navigation, status bar and screenshots. */
export class TreasuryApp {
  constructor(
    readonly page: Page,
    readonly host: HostProcess,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(this.host.openUrl);
    await expect(this.page.getByTestId('status-profile')).toBeVisible();
  }

  async goTo(screen: string): Promise<void> {
    await this.page.getByTestId(`nav-${screen}`).click();
    await expect(this.page.getByTestId(`screen-${screen}`)).toBeVisible();
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  }
}

export const test = base.extend<{ app: TreasuryApp }>({
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
});
export { expect };
