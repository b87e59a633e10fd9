import { HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '@shared/domain/assets';
import type { ChainReconciliation } from '@shared/domain/audit';
import type { Chain } from '@shared/domain/chains';
import type { DepositView } from '@shared/domain/deposits';
import type { Page } from '@shared/domain/ledger';
import type { GasTankView, SweepView } from '@shared/domain/sweeps';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView, WithdrawalView } from '@shared/domain/withdrawals';
import type { Result } from '@shared/result';
import { normalizeTronAddress } from '@engine/chains/tron';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import type { TestEngine } from '@test/engine';
import { TEST_TOKEN_SIGNING_PUBLIC_KEY, withTestSignature } from '@test/virtual-ledger/token-signing-key';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import { driveUntil, startDevChain, type DevChain } from '../watch/devnet-chain';
import { openEngine, type CallContext, type Operators } from '../withdraw/harness';

/**
 * Deposits (one below the minimum), sweeps with gas from the tank, a company top-up of the holding wallet and a
 * Ledger-signed withdrawal, on each devnet chain: afterwards the chain and the ledger agree unit for unit, every
 * difference named by its cause, nothing "unexplained".
 */
const DEPTH = 3;
// Not anvil's pre-funded mnemonic: the holding wallet starts empty, so all it holds came through the flows.
const DEVICE_MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

function externalAddress(chain: Chain): string {
  const wallet = HDNodeWallet.fromPhrase(DEVICE_MNEMONIC, undefined, "m/44'/60'/0'/0/7");
  return chain === 'tron' ? normalizeTronAddress(`41${wallet.address.slice(2)}`) : wallet.address;
}

describe.each<Chain>(['polygon', 'bsc', 'tron'])('deposit, sweep and withdraw on %s, then reconcile', (chain) => {
  let dev: DevChain;
  let device: VirtualLedger;
  let t: TestEngine;
  let ops: Operators;
  let client: WalletView;
  let holding: HoldingAddressView;

  async function ok<T>(channel: string, payload: unknown, context?: CallContext): Promise<T> {
    const result = (await t.engine.api.call(channel, payload, (context ?? ops.admin) as never)) as Result<T>;
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.data;
  }
  const deposits = async () => (await ok<Page<DepositView>>('wallets:deposits', { walletId: client.id })).items;
  const posted = async (assetId: string) => BigInt((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId, walletId: client.id })).posted);
  const drive = (done: () => Promise<boolean>) =>
    driveUntil(t, dev, done, async () => (await ok<Page<SweepView>>('sweeps:list', { walletId: client.id })).items.map((s) => [s.assetId, s.state, s.waitReason, s.error, s.amount]));

  beforeAll(async () => {
    dev = await startDevChain(chain);
    device = new VirtualLedger({ mnemonic: DEVICE_MNEMONIC, app: chain === 'tron' ? 'tron' : 'eth', ethereum: { tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
    ({ t, ops } = await openEngine({
      withdrawalTrackIntervalMs: 0,
      watch: { retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 } },
      sweeps: { retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 } },
      signer: {
        openTransport: device.factory(),
        software: true,
        evmTokenInfo: (a: Asset, chainId: number) => withTestSignature({ ticker: a.symbol, contractAddress: a.contract!, decimals: a.decimals, chainId }),
      },
    }));
    await ok('configuration:update', { chain, rpcUrl: dev.url, confirmations: DEPTH });
    holding = await ok<HoldingAddressView>('holding:register', { chain });
    client = await ok<WalletView>('wallets:create', { chain, label: 'scenario' });
    await t.engine.services.watch.tick(chain);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('records deposits below the minimum without crediting them; an officer credits one by hand, once', async () => {
    await ok('wallets:setDepositMinimum', { assetId: dev.native, minAmount: dev.coin.toString() });
    await dev.sendNative(client.address, 5n * dev.coin);
    await dev.sendNative(client.address, dev.coin / 10n);
    await dev.sendToken(client.address, 100n * dev.unit);
    await dev.sendToken(client.address, dev.unit / 2n);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);

    const found = await deposits();
    const dust = found.filter((d) => d.belowMinimum);
    expect(dust.map((d) => [d.assetId, d.amount, d.state, d.credited]).sort()).toEqual(
      [
        [dev.native, (dev.coin / 10n).toString(), 'confirmed', false],
        [dev.token, (dev.unit / 2n).toString(), 'confirmed', false],
      ].sort(),
    );
    expect(found.filter((d) => !d.belowMinimum).every((d) => d.credited && d.confirmations >= d.requiredConfirmations)).toBe(true);
    expect(await posted(dev.token)).toBe(100n * dev.unit);
    expect(await posted(dev.native)).toBe(5n * dev.coin);

    const tokenDust = dust.find((d) => d.assetId === dev.token)!;
    const credited = await ok<DepositView>('wallets:creditBelowMinimum', { depositId: tokenDust.id }, ops.alice);
    expect(credited).toMatchObject({ belowMinimum: true, credited: true });
    expect(await posted(dev.token)).toBe(100n * dev.unit + dev.unit / 2n);
    const again = await t.engine.api.call('wallets:creditBelowMinimum', { depositId: tokenDust.id }, ops.alice as never);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const byHand = await t.engine.database.db.selectFrom('audit_log').select(['operator', 'entity_id']).where('action', '=', 'deposit.credited_by_hand').execute();
    expect(byHand).toEqual([{ operator: 'alice', entity_id: tokenDust.id }]);
  });

  it('sweeps with gas from the tank (the dust rides along), pays a withdrawal, and explains every unit', async () => {
    const tank = (await ok<GasTankView[]>('sweeps:gasTanks', {})).find((g) => g.chain === chain)!;
    await dev.fundNative(tank.address!, 100n * dev.coin);
    // The company tops its holding wallet up from outside for the withdrawal's fee: a reserve top-up.
    await dev.sendNative(holding.address, 50n * dev.coin);
    await drive(async () => {
      const sweeps = (await ok<Page<SweepView>>('sweeps:list', { walletId: client.id })).items;
      return sweeps.filter((s) => s.state === 'confirmed').length === 2;
    });
    expect((await deposits()).map((d) => d.state)).toEqual(Array(4).fill('swept'));
    expect(await dev.tokenBalance(holding.address)).toBe(100n * dev.unit + dev.unit / 2n);

    const destination = externalAddress(chain);
    const requested = await ok<WithdrawalView>('withdrawals:request', { idempotencyKey: `scenario-${chain}`, walletId: client.id, assetId: dev.token, amount: (40n * dev.unit).toString(), destination }, ops.alice);
    await ok('withdrawals:approve', { withdrawalId: requested.id }, ops.bob);
    await ok('withdrawals:sign', { withdrawalId: requested.id }, ops.bob);
    for (let i = 0; i < 10; i++) {
      await dev.mine(DEPTH);
      const { confirmed } = await t.engine.services.withdraw.tracker.track();
      if (confirmed.includes(requested.id)) break;
    }
    expect((await ok<WithdrawalView>('withdrawals:get', { withdrawalId: requested.id })).state).toBe('confirmed');
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick(chain);

    const report = await ok<ChainReconciliation>('audit:reconciliation', { chains: [chain] });
    const lines = report.lines.filter((l) => l.chain === chain);
    expect(lines.map((l) => l.assetId).sort()).toEqual([dev.native, dev.token].sort());
    for (const line of lines) {
      expect({ asset: line.assetId, unexplained: line.causes.filter((c) => c.kind === 'unexplained') }).toEqual({ asset: line.assetId, unexplained: [] });
      expect(line.status).not.toBe('unexplained');
    }
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  }, 120_000);
});
