import type { EngineConfig } from '@engine/engine';
import type { Asset } from '@shared/domain/assets';
import type { WalletView } from '@shared/domain/wallets';
import type { HoldingAddressView } from '@shared/domain/withdrawals';
import { startEvmDevnet, type EvmDevnet } from '@test/devnet/evm';
import { TEST_TOKEN_SIGNING_PUBLIC_KEY, withTestSignature } from '@test/virtual-ledger/token-signing-key';
import { VirtualLedger } from '@test/virtual-ledger/virtual-ledger';
import type { Result } from '@shared/result';
import { topUpCompanyNative } from '@test/company-reserve';
import { startTestEngine, TEST_PASSPHRASE, type TestEngine } from '@test/engine';

/** What a door passes: the session token of a signed-in operator (the engine resolves who it is). */
export type CallContext = { door: 'test'; operator?: string; session?: string };

export interface Operators {
  /** the test admin */
  admin: CallContext;
  /** an officer: requests */
  alice: CallContext;
  /** an approver: approves and signs */
  bob: CallContext;
  /** A call with no session at all. */
  anonymous(channel: string, payload: unknown): Promise<Result<unknown>>;
}

type Call = (channel: string, payload: unknown, context: CallContext) => Promise<Result<unknown>>;
/** The test support's door helpers (signed-in admin, operators by role). */
interface SignedInSupport {
  door: { call: Call };
  signInAs(role: 'officer' | 'approver', name: string): Promise<{ context: CallContext }>;
}

/**
 * An engine on a fresh (or, to restart, the given) home with the seed set up, and alice (officer) and
 * bob (approver) signed in beside the test admin.
 */
export async function openEngine(config: Partial<EngineConfig>, restartHome?: string): Promise<{ t: TestEngine; ops: Operators }> {
  const t = await startTestEngine(restartHome ? { ...config, home: restartHome } : config);
  const support = t as unknown as Partial<SignedInSupport>;
  const api: Call = (channel, payload, context) => t.engine.api.call(channel, payload, context as never);
  if (support.signInAs && support.door) {
    const door = support.door;
    const admin: CallContext = { door: 'test' };
    if (!restartHome) {
      const setup = await api('system:setup', { passphrase: TEST_PASSPHRASE }, admin);
      if (!setup.ok) throw new Error(`setup: ${setup.error.message}`);
      const alice = await support.signInAs('officer', 'alice');
      const bob = await support.signInAs('approver', 'bob');
      return { t, ops: { admin, alice: alice.context, bob: bob.context, anonymous: (c, p) => door.call(c, p, { door: 'test' }) } };
    }
    const session = async (name: string): Promise<CallContext> => {
      const opened = await door.call('system:signIn', { operator: name, passphrase: TEST_PASSPHRASE }, { door: 'test' });
      if (!opened.ok) throw new Error(`sign in ${name}: ${opened.error.message}`);
      return { door: 'test', session: (opened.data as { session: { token: string } }).session.token };
    };
    return { t, ops: { admin, alice: await session('alice'), bob: await session('bob'), anonymous: (c, p) => door.call(c, p, { door: 'test' }) } };
  }
  // Before sign-in existed, the context named its operator.
  const opened = await api(restartHome ? 'system:unlock' : 'system:setup', { passphrase: TEST_PASSPHRASE }, { door: 'test' });
  if (!opened.ok) throw new Error(`open: ${opened.error.message}`);
  const as = (operator: string): CallContext => ({ door: 'test', operator });
  return { t, ops: { admin: as('admin'), alice: as('alice'), bob: as('bob'), anonymous: (c, p) => api(c, p, { door: 'test' }) } };
}

/** A Polygon devnet with a funded holding wallet on the virtual Ledger and one credited client: the withdrawal bench. */
export interface PolygonWithdrawals {
  evm: EvmDevnet;
  device: VirtualLedger;
  t: TestEngine;
  ops: Operators;
  holding: HoldingAddressView;
  client: WalletView;
  asset: Asset;
}

export async function openPolygonWithdrawals(funds: { holding: bigint; client: bigint; creditKey: string; confirmations?: number; companyGas?: bigint }): Promise<PolygonWithdrawals> {
  const evm = await startEvmDevnet({ chain: 'polygon' });
  const device = new VirtualLedger({ mnemonic: 'test test test test test test test test test test test junk', app: 'eth', ethereum: { tokenSignerPublicKey: TEST_TOKEN_SIGNING_PUBLIC_KEY } });
  const { t, ops } = await openEngine({
    withdrawalTrackIntervalMs: 0,
    signer: {
      openTransport: device.factory(),
      software: true,
      evmTokenInfo: (a, chainId) => withTestSignature({ ticker: a.symbol, contractAddress: a.contract!, decimals: a.decimals, chainId }),
    },
  });
  const ok = async <T>(channel: string, payload: unknown): Promise<T> => {
    const result = await t.engine.api.call(channel, payload, ops.admin as never);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.data as T;
  };
  await ok('configuration:update', { chain: 'polygon', rpcUrl: evm.url, ...(funds.confirmations ? { confirmations: funds.confirmations } : {}) });
  const asset = await t.engine.services.assets.get('polygon:USDT');
  const holding = await ok<HoldingAddressView>('holding:register', { chain: 'polygon' });
  // 10 POL nobody's in the books (as client backing would be), and 1 POL the company sent for fees.
  await evm.setNativeBalance(holding.address, 10n ** 19n);
  await topUpCompanyNative(t, 'polygon', { evm }, holding.address, funds.companyGas ?? 10n ** 18n);
  await evm.mintToken('USDT', holding.address, funds.holding);
  const client = await ok<WalletView>('wallets:create', { chain: 'polygon', label: 'client' });
  // Four eyes: the admin asks for the credit, the approver (bob) books it.
  const asked = await ok<{ id: string }>('transfers:companyCredit', { idempotencyKey: funds.creditKey, walletId: client.id, assetId: asset.id, amount: funds.client.toString(), reason: 'test balance' });
  const approved = await t.engine.api.call('transfers:approveCompanyCredit', { creditId: asked.id }, ops.bob as never);
  if (!approved.ok) throw new Error(`transfers:approveCompanyCredit: ${approved.error.code} ${approved.error.message}`);
  return { evm, device, t, ops, holding, client, asset };
}
