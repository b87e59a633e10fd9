import type { ReconciliationLine } from '@shared/domain/ledger';
import { sendCompanyNative } from '@test/company-reserve';
import type { EvmDevnet } from '@test/devnet/evm';
import { expect, type TreasuryApp } from './fixtures';

/**
 * The company sends 1 POL of its own to the holding wallet from outside, and the test waits until the app's
 * watcher booked it as company reserve: every withdrawal's network fee is paid from those coins only.
 */
export async function topUpCompanyPol(app: TreasuryApp, devnet: EvmDevnet, holding: string): Promise<void> {
  await sendCompanyNative(devnet.provider, holding, 10n ** 18n);
  await expect
    .poll(
      async () => {
        await devnet.mine(1);
        const lines = await app.engineCall<ReconciliationLine[]>('audit:reconcile', {});
        return BigInt(lines.data?.find((l) => l.assetId === 'polygon:POL')?.companyReserve ?? '0') > 0n;
      },
      { timeout: 45_000 },
    )
    .toBe(true);
}
