import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import type { Asset } from '@shared/domain/assets';
import type { Page } from '@shared/domain/ledger';
import type { GasTankView, SweepView } from '@shared/domain/sweeps';
import type { UnidentifiedFundView } from '@shared/domain/unidentified-funds';
import type { WalletView } from '@shared/domain/wallets';
import { checkLedgerInvariants } from '@engine/ledger/invariants';
import { callOk, startTestEngine, startUnlockedEngine, TEST_PASSPHRASE, type TestEngine, type TestOperator } from '@test/engine';
import { BACKENDS } from '@test/backends';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';
import { startDevChain, type DevChain } from './devnet-chain';
import { outsideSender, type OutsideSender } from './outside-sender';

const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 15_000 };
const DEPTH = 3;
const OPTIONS = { watch: { retry: FAST_RETRY }, sweeps: { retry: FAST_RETRY } };

describe.each(BACKENDS)('returning unidentified funds to the sender (polygon, %s)', (backend) => {
  let dev: DevChain;
  let t: TestEngine;
  let maker: TestOperator;
  let checker: TestOperator;
  let sender: OutsideSender;
  let tokenWallet: WalletView;
  let nativeWallet: WalletView;
  let token: { contract: string; txHash: string };
  let payout: { txHash: string; contract: string };

  const entry = async (txHash: string) => (await callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { limit: 50 })).find((u) => u.txHash === txHash)!;
  const tokenBalance = async (contract: string, owner: string) =>
    (await new Contract(contract, ['function balanceOf(address) view returns (uint256)'], new JsonRpcProvider(dev.url)).getFunction('balanceOf')(owner)) as bigint;
  const signIn = async (suffix = '') => {
    maker = await t.signInAs('officer', `maker${suffix}`);
    checker = await t.signInAs('officer', `checker${suffix}`);
  };
  /** The watcher and the sweep runner until `done`, a block mined between rounds. */
  const drive = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 30; i++) {
      await t.engine.services.watch.tick('polygon');
      await t.engine.services.sweeps.tick('polygon');
      if (await done()) return;
      await dev.mine(1);
    }
    throw new Error('the return did not finish');
  };
  const clientBooks = async (walletId: string) => {
    const assets = await callOk<Asset[]>(t.engine, 'configuration:assets', {});
    const out: string[] = [];
    for (const asset of assets.filter((a) => a.chain === 'polygon')) {
      for (const kind of ['client_wallet', 'deposit_in_transit'] as const) {
        const posted = BigInt((await t.engine.services.ledger.balance({ kind, assetId: asset.id, walletId })).posted);
        if (posted !== 0n) out.push(`${kind} ${asset.symbol} ${posted}`);
      }
    }
    return out;
  };

  beforeAll(async () => {
    dev = await startDevChain('polygon');
    t = await startUnlockedEngine({ backend, ...OPTIONS });
    await callOk(t.engine, 'configuration:update', { chain: 'polygon', rpcUrl: dev.url, confirmations: DEPTH });
    await t.engine.services.holding.register({ chain: 'polygon', address: dev.holdingAddress, derivationPath: "m/44'/60'/0'/0/1", source: 'virtual-ledger' });
    tokenWallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client token' });
    nativeWallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client native' });
    await signIn();
    const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === 'polygon')!;
    await dev.fundNative(tank.address!, 10n * dev.coin);
    await t.engine.services.watch.tick('polygon');

    sender = outsideSender(dev);
    token = await sender.mintUnknownToken(tokenWallet.address, 75_000_000n, { name: 'Back Coin', symbol: 'BACK', decimals: 6 });
    payout = await sender.payThroughContract(nativeWallet.address, 4n * dev.coin);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick('polygon');
  });
  afterAll(async () => {
    await t?.dispose();
    await dev?.stop();
  });

  it('prefills the transaction signer and refuses the zero address, the deposit address and a contract that cannot be paid', async () => {
    const minted = await entry(token.txHash);
    // The Transfer log of a mint names the zero address; the transaction was signed by the outside party.
    expect(minted.from).toBe('0x0000000000000000000000000000000000000000');
    expect(minted.txSender).toBe(sender.address);
    const paid = await entry(payout.txHash);
    expect(paid.from).toBe(payout.contract);
    expect(paid.txSender).toBe(sender.address);

    const cases: Array<[string, UnidentifiedFundView, string]> = [
      ['the zero address', minted, '0x0000000000000000000000000000000000000000'],
      ['the deposit address itself', minted, tokenWallet.address],
      ['not an address', minted, '0x1234'],
      // The ERC-20 contract has no receive function: paying it coins reverts in the dry run.
      ['a contract that reverts on payment', paid, token.contract],
    ];
    for (const [, fund, returnTo] of cases) {
      const refused = await maker.call('wallets:proposeStrayRecovery', { id: fund.id, action: 'return_to_sender', returnTo });
      expect(refused.ok ? null : refused.error.code, returnTo).toBe('validation');
    }
    expect((await entry(token.txHash)).recovery).toBeNull();
    expect((await entry(payout.txHash)).recovery).toBeNull();
  });

  it('sends an unknown ERC-20 back to its sender after a second approval, gas from the gas tank, the books untouched', async () => {
    const fund = await entry(token.txHash);
    const before = await tokenBalance(token.contract, sender.address);
    const proposed = await callOk<UnidentifiedFundView>(t.engine, 'wallets:proposeStrayRecovery', { id: fund.id, action: 'return_to_sender' }, maker);
    expect(proposed.recovery).toMatchObject({ action: 'return_to_sender', state: 'proposed', returnTo: sender.address });
    const own = await maker.call('wallets:decideStrayRecovery', { id: fund.id, approve: true });
    expect(own.ok ? null : own.error.code).toBe('maker_checker');

    const approved = await callOk<UnidentifiedFundView>(t.engine, 'wallets:decideStrayRecovery', { id: fund.id, approve: true }, checker);
    expect(approved.recovery).toMatchObject({ state: 'returning', decidedBy: 'checker' });
    await drive(async () => (await entry(token.txHash)).recovery?.state === 'done');

    expect((await tokenBalance(token.contract, sender.address)) - before).toBe(75_000_000n);
    expect(await tokenBalance(token.contract, tokenWallet.address)).toBe(0n);
    const done = await entry(token.txHash);
    expect(done.recovery).toMatchObject({ action: 'return_to_sender', state: 'done', returnTo: sender.address });
    const sweep = await t.engine.database.db.selectFrom('sweeps').selectAll().where('stray_id', '=', fund.id).executeTakeFirstOrThrow();
    const txs = await t.engine.database.db.selectFrom('sweep_txs').select(['purpose', 'state', 'tx_hash']).where('sweep_id', '=', sweep.id).orderBy('created_at').execute();
    // The gas tank funded the deposit address first, as for a token sweep.
    expect(txs.map((tx) => [tx.purpose, tx.state])).toEqual([['gas', 'mined'], ['sweep', 'mined']]);
    expect(done.recovery?.returnTxHash).toBe(txs[1]!.tx_hash);
    // The sweep list names what a return moves, since the token has no registry entry to name it.
    const listed = (await callOk<Page<SweepView>>(t.engine, 'sweeps:list', { walletId: tokenWallet.id })).items;
    expect(listed.map((l) => [l.toAddress, l.amount, l.state, l.strayReturn])).toEqual([[sender.address, '75000000', 'confirmed', { strayId: fund.id, symbol: 'BACK', decimals: 6 }]]);
    // Never registered, nothing credited; the client's books are as they were.
    expect((await callOk<Asset[]>(t.engine, 'configuration:assets', {})).some((a) => a.contract === token.contract)).toBe(false);
    expect(await clientBooks(tokenWallet.id)).toEqual([]);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });

  it('refuses to approve a return once the funds have left the address, and nothing is sent', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'polygon', label: 'client emptied' });
    await t.engine.services.watch.tick('polygon');
    const paid = await sender.payThroughContract(wallet.address, 2n * dev.coin);
    await dev.mine(DEPTH);
    await t.engine.services.watch.tick('polygon');
    const fund = await entry(paid.txHash);
    await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: fund.id, action: 'return_to_sender' }, maker);
    // Whoever holds the seed moves the coins away meanwhile (the address's own key, outside the app).
    const row = await t.engine.database.db.selectFrom('wallets').select('derivation_index').where('id', '=', wallet.id).executeTakeFirstOrThrow();
    const key = t.engine.services.custody.keyring().depositKey('polygon', row.derivation_index).privateKey;
    const away = await new Wallet(key, new JsonRpcProvider(dev.url)).sendTransaction({ to: dev.holdingAddress, value: dev.coin });
    await away.wait();

    const refused = await checker.call('wallets:decideStrayRecovery', { id: fund.id, approve: true });
    expect(refused.ok ? null : refused.error.code).toBe('validation');
    expect(refused.ok ? '' : refused.error.message).toMatch(/no longer at the address/);
    expect((await entry(paid.txHash)).recovery).toMatchObject({ state: 'proposed' });
    expect(await t.engine.database.db.selectFrom('sweeps').select('id').where('stray_id', '=', fund.id).execute()).toEqual([]);
    // Rejected, it is open again for another decision.
    await callOk(t.engine, 'wallets:decideStrayRecovery', { id: fund.id, approve: false }, checker);
  });

  it('sends native coin paid by a contract back to the transaction sender; a restart between signing and sending pays once', async () => {
    const fund = await entry(payout.txHash);
    await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: fund.id, action: 'return_to_sender' }, maker);
    await callOk(t.engine, 'wallets:decideStrayRecovery', { id: fund.id, approve: true }, checker);
    const sweep = await t.engine.database.db.selectFrom('sweeps').selectAll().where('stray_id', '=', fund.id).executeTakeFirstOrThrow();
    const before = await dev.nativeBalance(sender.address);

    // Signed and saved, then the engine stops before it broadcasts.
    const runner = t.engine.services.sweeps;
    for (let i = 0; i < 6 && (await t.engine.services.sweeps.get(sweep.id)).state !== 'signed'; i++) await runner.advance(sweep.id);
    expect((await t.engine.services.sweeps.get(sweep.id)).state).toBe('signed');
    const { home, database } = t;
    await t.engine.close();
    t = await startTestEngine({ home, database, ...OPTIONS });
    await callOk(t.engine, 'system:unlock', { passphrase: TEST_PASSPHRASE });
    // Sent once, then stopped again before the broadcast's outcome is recorded.
    await t.engine.services.sweeps.advance(sweep.id);
    await t.engine.close();
    t = await startTestEngine({ home, database, ...OPTIONS });
    await callOk(t.engine, 'system:unlock', { passphrase: TEST_PASSPHRASE });
    await signIn('2');
    await drive(async () => (await entry(payout.txHash)).recovery?.state === 'done');

    const txs = await t.engine.database.db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep.id).execute();
    expect(txs.map((tx) => [tx.purpose, tx.state])).toEqual([['sweep', 'mined']]);
    const sent = BigInt(txs[0]!.value);
    // The network fee is paid out of the returned coins: the sender gets the rest, once.
    expect((await dev.nativeBalance(sender.address)) - before).toBe(sent);
    expect(sent).toBeGreaterThan(4n * dev.coin - dev.coin / 100n);
    // It was signed to spend at most the stray: what the fee did not use stays at the address (swept later as company coins).
    expect(sent + BigInt(txs[0]!.max_fee)).toBe(4n * dev.coin);
    expect(await dev.nativeBalance(nativeWallet.address)).toBe(BigInt(txs[0]!.max_fee) - BigInt(txs[0]!.fee_paid!));
    expect(await clientBooks(nativeWallet.id)).toEqual([]);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
    const actions = (await t.engine.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'unidentified_funds.%').execute()).map((a) => a.action);
    for (const action of ['unidentified_funds.recovery_proposed', 'unidentified_funds.return_approved', 'unidentified_funds.returned']) expect(actions).toContain(action);

    // Returned once: nothing more can be proposed for it.
    const again = await maker.call('wallets:proposeStrayRecovery', { id: fund.id, action: 'return_to_sender' });
    expect(again.ok ? null : again.error.code).toBe('conflict');
  });
});

describe('returning unidentified funds to the sender (tron)', () => {
  let node: TronDevnode;
  let t: TestEngine;

  beforeAll(async () => {
    node = await startTronDevnode({});
    t = await startUnlockedEngine(OPTIONS);
    await callOk(t.engine, 'configuration:update', { chain: 'tron', rpcUrl: node.url, confirmations: DEPTH });
  });
  afterAll(async () => {
    await t?.dispose();
    await node?.stop();
  });

  it('sends the tokens back to the signer of the mint, signed by the deposit address key, its TRX from the gas tank', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'client T' });
    const [maker, checker] = [await t.signInAs('officer', 'maker'), await t.signInAs('officer', 'checker')];
    const tank = (await callOk<GasTankView[]>(t.engine, 'sweeps:gasTanks', {})).find((g) => g.chain === 'tron')!;
    node.fund(tank.address!, 500_000_000n);
    await node.mine(1);
    await t.engine.services.watch.tick('tron');
    const contract = node.deployToken('BACK', 6);
    const txId = node.mintToken(wallet.address, 42_000_000n, contract);
    await node.mine(1 + DEPTH);
    await t.engine.services.watch.tick('tron');

    const entry = async () => (await callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { chain: 'tron', limit: 50 })).find((u) => u.txHash === txId)!;
    expect(await entry()).toMatchObject({ kind: 'unknown_token', tokenContract: contract, txSender: node.faucet.address });
    const before = node.tokenBalance(node.faucet.address, contract);
    const tankBefore = node.trxBalance(tank.address!);
    await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: (await entry()).id, action: 'return_to_sender' }, maker);
    expect((await entry()).recovery).toMatchObject({ state: 'proposed', returnTo: node.faucet.address });
    await callOk(t.engine, 'wallets:decideStrayRecovery', { id: (await entry()).id, approve: true }, checker);
    for (let i = 0; i < 30 && (await entry()).recovery?.state !== 'done'; i++) {
      await t.engine.services.watch.tick('tron');
      await t.engine.services.sweeps.tick('tron');
      await node.mine(1);
    }

    expect((await entry()).recovery).toMatchObject({ action: 'return_to_sender', state: 'done' });
    expect(node.tokenBalance(node.faucet.address, contract) - before).toBe(42_000_000n);
    expect(node.tokenBalance(wallet.address, contract)).toBe(0n);
    expect(node.trxBalance(tank.address!)).toBeLessThan(tankBefore);
    const assets = await callOk<Asset[]>(t.engine, 'configuration:assets', {});
    expect(assets.some((a) => a.contract === contract)).toBe(false);
    for (const asset of assets.filter((a) => a.chain === 'tron')) {
      for (const kind of ['client_wallet', 'deposit_in_transit'] as const) {
        expect(BigInt((await t.engine.services.ledger.balance({ kind, assetId: asset.id, walletId: wallet.id })).posted)).toBe(0n);
      }
    }
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });

  it('sends TRX a contract forwarded back to the transaction signer, never to the contract', async () => {
    const wallet = await callOk<WalletView>(t.engine, 'wallets:create', { chain: 'tron', label: 'client TRX' });
    const [maker, checker] = [await t.signInAs('officer', 'maker2'), await t.signInAs('officer', 'checker2')];
    await t.engine.services.watch.tick('tron');
    const forwarder = node.deployForwarder();
    const txId = node.payThroughContract(forwarder, wallet.address, 9_000_000n);
    await node.mine(1 + DEPTH);
    await t.engine.services.watch.tick('tron');
    const entry = async () => (await callOk<UnidentifiedFundView[]>(t.engine, 'wallets:unidentifiedFunds', { chain: 'tron', limit: 50 })).find((u) => u.txHash === txId)!;
    expect(await entry()).toMatchObject({ kind: 'internal_native', from: forwarder, txSender: node.faucet.address });

    const toContract = await maker.call('wallets:proposeStrayRecovery', { id: (await entry()).id, action: 'return_to_sender', returnTo: forwarder });
    expect(toContract.ok ? null : toContract.error.code).toBe('validation');
    await callOk(t.engine, 'wallets:proposeStrayRecovery', { id: (await entry()).id, action: 'return_to_sender' }, maker);
    await callOk(t.engine, 'wallets:decideStrayRecovery', { id: (await entry()).id, approve: true }, checker);
    const before = node.trxBalance(node.faucet.address);
    for (let i = 0; i < 30 && (await entry()).recovery?.state !== 'done'; i++) {
      await t.engine.services.watch.tick('tron');
      await t.engine.services.sweeps.tick('tron');
      await node.mine(1);
    }
    expect((await entry()).recovery).toMatchObject({ state: 'done', returnTo: node.faucet.address });
    const sweep = await t.engine.database.db.selectFrom('sweeps').select('id').where('stray_id', '=', (await entry()).id).executeTakeFirstOrThrow();
    const txs = await t.engine.database.db.selectFrom('sweep_txs').selectAll().where('sweep_id', '=', sweep.id).execute();
    expect(txs.map((tx) => [tx.purpose, tx.state])).toEqual([['sweep', 'mined']]);
    expect(node.trxBalance(node.faucet.address) - before).toBe(BigInt(txs[0]!.value));
    expect(BigInt(txs[0]!.value) + BigInt(txs[0]!.max_fee)).toBe(9_000_000n);
    expect(BigInt((await t.engine.services.ledger.balance({ kind: 'client_wallet', assetId: 'tron:TRX', walletId: wallet.id })).posted)).toBe(0n);
    expect(await checkLedgerInvariants(t.engine.database.db)).toEqual([]);
  });
});
