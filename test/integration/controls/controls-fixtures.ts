import { topUpCompanyNative } from '@test/company-reserve';
import type { ClientView } from '@shared/domain/clients';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView } from '@shared/domain/withdrawals';
import type { EngineConfig } from '@engine/engine';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { checker, creditWallet } from '@test/controls';
import { callOk, startUnlockedEngine, type TestEngine, type TestOperator } from '@test/engine';
import { TEST_TOKEN_SIGNING_PUBLIC_KEY, withTestSignature } from '@test/virtual-ledger/token-signing-key';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import { CLIENT, IDENTITY, PROOF } from '../clients/kyc-fixtures';

/** An ordinary external address (not ours, not a burn address). */
export const DESTINATION = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
export const ASSET = 'polygon:USDT';

export interface ControlsBench {
  t: TestEngine;
  evm: EvmDevnet;
  /** a second officer: checks what the admin makes */
  officer: TestOperator;
  /** approves and signs */
  approver: TestOperator;
  stop(): Promise<void>;
}

/** An engine on the Polygon devnet with a funded holding wallet, the virtual Ledger, an officer and an approver. */
export async function startControlsBench(config: Partial<EngineConfig> = {}): Promise<ControlsBench> {
  const evm = await startEvmDevnet({ chain: 'polygon' });
  const device = new VirtualLedger({ mnemonic: 'test test test test test test test test test test test junk', app: 'eth', ethereum: { tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
  const t = await startUnlockedEngine({
    withdrawalTrackIntervalMs: 0,
    signer: {
      openTransport: device.factory(),
      software: true,
      evmTokenInfo: (a, chainId) => withTestSignature({ ticker: a.symbol, contractAddress: a.contract!, decimals: a.decimals, chainId }),
    },
    ...config,
  });
  await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: evm.url });
  const holding = await callOk<HoldingAddressView>(t.engine, 'holding:register', { chain: 'polygon' });
  // Network fees are paid from the company's own POL: it sends some to holding, booked as its reserve (before
  // the tokens arrive, which stay nobody's in the books until a watcher tick).
  await topUpCompanyNative(t, 'polygon', { evm }, holding.address, 10n ** 18n);
  await evm.mintToken('USDT', holding.address, 1_000_000_000_000n);
  const officer = await checker(t);
  const approver = await checker(t, 'approver');
  return {
    t,
    evm,
    officer,
    approver,
    stop: async () => {
      await t.dispose();
      await evm.stop();
    },
  };
}

/** A client the admin submitted and the officer verified. */
export async function verifiedClient(bench: ControlsBench, taxId: { country: string; kind: string; value: string }): Promise<ClientView> {
  const { t, officer } = bench;
  const client = await callOk<ClientView>(t.engine, 'clients:create', { ...CLIENT, taxId, email: `${taxId.value.replace(/\W/g, '')}@example.com` });
  await callOk(t.engine, 'clients:kyc:addIdentityDocument', { clientId: client.id, ...IDENTITY });
  await callOk(t.engine, 'clients:kyc:addProofOfAddress', { clientId: client.id, ...PROOF });
  await callOk(t.engine, 'clients:kyc:submit', { clientId: client.id });
  return callOk<ClientView>(t.engine, 'clients:kyc:verify', { clientId: client.id }, officer);
}

/** A Polygon wallet with `amount` USDT of company credit, given to `clientId` afterwards when named. */
export async function fundedWallet(bench: ControlsBench, label: string, amount: bigint, clientId?: string): Promise<WalletView> {
  const { t } = bench;
  const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label });
  await creditWallet(t, { idempotencyKey: `fund-${wallet.id}`, walletId: wallet.id, assetId: ASSET, amount: amount.toString(), reason: 'test balance' });
  if (clientId) await callOk(t.engine, 'clients:wallets:associate', { clientId, walletId: wallet.id });
  return wallet;
}
