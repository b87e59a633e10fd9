import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HDNodeWallet, id } from 'ethers';
import { TronWeb, utils as tronUtils } from 'tronweb';
import { startTronDevnode, type TronDevnode } from '@test/devnet/tron';

/**
 * The devnode is its own Tron network: its genesis block id is not a public network's, and TaPoS
 * refuses, as java-tron does, a transaction whose reference block is not one of its own. Together they
 * keep a transaction signed against the devnode from ever being valid on Tron mainnet, Nile or Shasta.
 */

/**
 * Block 0 ids of the public networks (POST /wallet/getblockbynum {"num":0} on each; also listed by
 * wallets and indexers that pin the network by its genesis).
 */
const PUBLIC_GENESIS_BLOCK_IDS = [
  ['mainnet', '00000000000000001ebf88508a03865c71d452e25f4d51194196a1d22b6653dc'],
  ['Nile', '0000000000000000d698d4192c56cb6be724a558448e2684802de4d6cd8690dc'],
  ['Shasta', '0000000000000000de1aa88295e1fcf982742f773e0419c5a9c134c994a9059e'],
] as const;
/** genesis.block.parentHash in java-tron's mainnet config.conf. */
const MAINNET_GENESIS_PARENT_HASH = 'e58f33f9baf9305dc6f82b9f1934ea8f0ade2defb951258d50167028c780351f';

const alice = (() => {
  const wallet = HDNodeWallet.fromPhrase('test test test test test test test test test test test junk', undefined, "m/44'/195'/0'/0/20");
  return { address: TronWeb.address.fromHex('41' + wallet.address.slice(2)), privateKey: wallet.privateKey.slice(2) };
})();
const bob = TronWeb.address.fromHex('41' + '22'.repeat(20));

interface RawTransaction {
  txID: string;
  raw_data: Record<string, unknown>;
  raw_data_hex: string;
  signature?: string[];
}

describe('Tron devnode genesis and TaPoS', () => {
  let node: TronDevnode;
  let tronWeb: TronWeb;

  const post = async <T = Record<string, unknown>>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${node.url}/${path}`, { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as T;
  };

  /** A transfer built by the devnode, pointed at another reference block, then signed by tronweb. */
  async function signedReferencing(refBlockBytes: string, refBlockHash: string): Promise<RawTransaction> {
    const built = await post<RawTransaction>('wallet/createtransaction', {
      owner_address: TronWeb.address.toHex(alice.address),
      to_address: TronWeb.address.toHex(bob),
      amount: 1_000_000,
    });
    const tx = { ...built, raw_data: { ...built.raw_data, ref_block_bytes: refBlockBytes, ref_block_hash: refBlockHash } };
    const pb = tronUtils.transaction.txJsonToPb(tx);
    tx.txID = tronUtils.transaction.txPbToTxID(pb).replace(/^0x/, '');
    tx.raw_data_hex = tronUtils.transaction.txPbToRawDataHex(pb);
    // tronweb checks txID and raw_data_hex against raw_data before it signs
    return (await tronWeb.trx.sign(tx as never)) as unknown as RawTransaction;
  }

  async function broadcast(tx: RawTransaction) {
    const reply = await post<{ result?: boolean; code?: string; message?: string }>('wallet/broadcasttransaction', tx);
    return { ...reply, message: reply.message === undefined ? undefined : Buffer.from(reply.message, 'hex').toString('utf8') };
  }

  beforeAll(async () => {
    node = await startTronDevnode({ genesis: { [alice.address]: 100_000_000n } });
    tronWeb = new TronWeb({ fullHost: node.url, privateKey: alice.privateKey });
    await node.mine(3);
  });

  afterAll(async () => {
    await node?.stop();
  });

  it('has a genesis block of its own, not Tron mainnet, Nile or Shasta', async () => {
    const genesis = await post<{ blockID: string; block_header: { raw_data: { parentHash: string } } }>('wallet/getblockbynum', { num: 0 });
    expect(genesis.blockID).toBe(node.genesisBlockId);
    expect(genesis.blockID).toMatch(/^0{16}[0-9a-f]{48}$/);
    for (const [, publicId] of PUBLIC_GENESIS_BLOCK_IDS) expect(genesis.blockID).not.toBe(publicId);
    expect(genesis.block_header.raw_data.parentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(genesis.block_header.raw_data.parentHash).not.toBe(MAINNET_GENESIS_PARENT_HASH);
    expect(genesis.block_header.raw_data.parentHash).not.toBe('0'.repeat(64));

    // a second devnode starts a network of its own too: the genesis id is no constant a test could pin
    const other = await startTronDevnode();
    expect(other.genesisBlockId).not.toBe(PUBLIC_GENESIS_BLOCK_IDS[0][1]);
    await other.stop();
  });

  it('accepts a transaction that references its own head, the control for the refusals below', async () => {
    const head = await post<{ blockID: string; block_header: { raw_data: { number: number } } }>('wallet/getnowblock', {});
    const refBytes = (head.block_header.raw_data.number & 0xffff).toString(16).padStart(4, '0');
    const reply = await broadcast(await signedReferencing(refBytes, head.blockID.slice(16, 32)));
    expect(reply).toMatchObject({ result: true });
  });

  it.each(PUBLIC_GENESIS_BLOCK_IDS)("refuses with TAPOS_ERROR a transaction that references %s's genesis block", async (_name, publicId) => {
    // slot 0000 exists on the devnode (its own genesis), so only the block hash tells the networks apart
    const reply = await broadcast(await signedReferencing('0000', publicId.slice(16, 32)));
    // java-tron's JSON leaves out result:false, a proto3 default
    expect(reply).toEqual({ code: 'TAPOS_ERROR', txid: expect.stringMatching(/^[0-9a-f]{64}$/), message: 'Tapos check error.' });
  });

  it('refuses with TAPOS_ERROR a transaction built on a Tron-mainnet-looking block at the head height', async () => {
    const headNumber = node.headNumber();
    // what a mainnet node's getnowblock would give at this height: the number, then a hash of its own
    const mainnetLooking = headNumber.toString(16).padStart(16, '0') + id(`Tron mainnet block ${headNumber}`).slice(18);
    const refBytes = (headNumber & 0xffffn).toString(16).padStart(4, '0');
    const reply = await broadcast(await signedReferencing(refBytes, mainnetLooking.slice(16, 32)));
    expect(reply).toMatchObject({ code: 'TAPOS_ERROR', message: 'Tapos check error.' });
  });

  // None is a 2-byte key of java-tron's recent-block store with the 8 bytes it holds there, though the
  // last three name a block the devnode has.
  type Reference = { slot: string; head: string; genesis: string };
  type Fields = readonly [refBlockBytes: string, refBlockHash: string];
  it.each([
    ['a block number the devnode has not reached', (r: Reference): Fields => ['ff00', r.head]],
    ['ref_block_bytes of three bytes', (r: Reference): Fields => [`00${r.slot}`, r.head]],
    ['an empty ref_block_bytes', (r: Reference): Fields => ['', r.genesis]],
    ['ref_block_hash of four bytes', (r: Reference): Fields => [r.slot, r.head.slice(0, 8)]],
  ] as const)('refuses with TAPOS_ERROR %s', async (_label, reference) => {
    const head = node.headNumber();
    const own = await post<{ blockID: string }>('wallet/getblockbynum', { num: Number(head) });
    const [refBytes, refHash] = reference({
      slot: (head & 0xffffn).toString(16).padStart(4, '0'),
      head: own.blockID.slice(16, 32),
      genesis: node.genesisBlockId.slice(16, 32),
    });
    const reply = await broadcast(await signedReferencing(refBytes, refHash));
    expect(reply).toMatchObject({ code: 'TAPOS_ERROR', message: 'Tapos check error.' });
  });

  it('takes a reference to any block still in the recent-block store, genesis included', async () => {
    const genesis = await post<{ blockID: string }>('wallet/getblockbynum', { num: 0 });
    expect(await broadcast(await signedReferencing('0000', genesis.blockID.slice(16, 32)))).toMatchObject({ result: true });
  });

  it.each([
    ['at the head block time', (headTime: number) => headTime],
    ['more than 24 hours after the head block', (headTime: number) => headTime + 24 * 3600 * 1000 + 1],
  ])('refuses an expiration %s with TRANSACTION_EXPIRATION_ERROR', async (_label, expiration) => {
    const head = await post<{ blockID: string; block_header: { raw_data: { number: number; timestamp: number } } }>('wallet/getnowblock', {});
    const refBytes = (head.block_header.raw_data.number & 0xffff).toString(16).padStart(4, '0');
    const built = await post<RawTransaction>('wallet/createtransaction', {
      owner_address: TronWeb.address.toHex(alice.address),
      to_address: TronWeb.address.toHex(bob),
      amount: 2_000_000,
    });
    const tx = {
      ...built,
      raw_data: {
        ...built.raw_data,
        ref_block_bytes: refBytes,
        ref_block_hash: head.blockID.slice(16, 32),
        expiration: expiration(head.block_header.raw_data.timestamp),
      },
    };
    const pb = tronUtils.transaction.txJsonToPb(tx);
    tx.txID = tronUtils.transaction.txPbToTxID(pb).replace(/^0x/, '');
    tx.raw_data_hex = tronUtils.transaction.txPbToRawDataHex(pb);
    const reply = await broadcast((await tronWeb.trx.sign(tx as never)) as unknown as RawTransaction);
    expect(reply).toMatchObject({ code: 'TRANSACTION_EXPIRATION_ERROR', message: 'Transaction expired' });
  });
});
