import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SigningKey, keccak256, toUtf8Bytes, AbiCoder } from 'ethers';
import { ContractValidateError, DEFAULT_PRICES, TronDevChain, type Block, type ChainPrices, type StoredTransaction } from './chain';
import { abiWordAddress, isHexAddress, keccakId, parseAddress, toBase58, utf8Hex, writeJson, type HexAddress } from './encoding';
import { Trc20Token } from './trc20';
import { TrxForwarder } from './forwarder';
import { usedNow } from './resources';

/**
 * A loopback stand-in for a java-tron full node, serving the slice of its HTTP API that tronweb and
 * the Tron adapter use. Endpoints, request fields and response shapes follow java-tron's documented
 * HTTP API; see README.md beside this file for the list and for what the devnode simplifies.
 * It is a test and devnet fixture: nothing under a mainnet or testnet profile may point at it.
 */

export interface TronDevnodeOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Produce a block every N ms; absent or 0: blocks only when `mine()` is called. */
  blockIntervalMs?: number;
  /** Base58 T-address → balance in sun, present from block 0. */
  genesis?: Record<string, bigint>;
  prices?: Partial<ChainPrices>;
}

export interface TronDevnode {
  /** http://127.0.0.1:<port>, to be used as tronweb's fullHost. */
  url: string;
  /** Base58 address of the devnode's USDT-like TRC-20 (6 decimals). */
  usdtContract: string;
  /** Block 0's id, which identifies a Tron network: the devnode's own, never a public network's. */
  genesisBlockId: string;
  /** The account that pays out `fund` and `mintToken`, with its key for tests that need a rich signer. */
  faucet: { address: string; privateKey: string };
  prices: ChainPrices;
  stop(): Promise<void>;
  /** Seals n blocks (default 1) with whatever transactions are pending. */
  mine(n?: number): Promise<void>;
  /**
   * Replaces the last `depth` blocks with new ones at the same heights (head number unchanged, new
   * hashes). Their transactions are replayed into the first new block, or dropped with
   * `dropTransactions` (a deposit that vanishes). Returns the txIDs of both kinds.
   */
  reorg(depth: number, opts?: { dropTransactions?: boolean }): Promise<{ orphaned: string[]; reincluded: string[] }>;
  /** A real, signed TRX transfer from the faucet, packed in the next block; returns its txID. */
  fund(address: string, sun: bigint): string;
  /** A real mint transaction on the token (Transfer from the zero address), packed in the next block; `contract` defaults to USDT. */
  mintToken(address: string, amount: bigint, contract?: string): string;
  /** A payable payout contract owned by the faucet: forward(address) sends the call's TRX on; returns its base58 address. */
  deployForwarder(): string;
  /**
   * The faucet calls forward(to) on `forwarder` with `sun` as call_value (a real signed TriggerSmartContract), so
   * `to` receives TRX as an internal transaction, listed in the transaction info's internal_transactions.
   */
  payThroughContract(forwarder: string, to: string, sun: bigint): string;
  /** Another TRC-20 owned by the faucet (one no registry knows, for the stray tests); returns its base58 address. */
  deployToken(symbol: string, decimals: number): string;
  headNumber(): bigint;
  /**
   * A chain parameter's new value (a passed proposal, as mainnet's getEnergyFee went 420 -> 210 -> 100 sun): what
   * wallet/getchainparameters reports and what transactions executed from now on pay.
   */
  setChainParameter(key: keyof ChainPrices, value: bigint): void;
  /** A node restart: the transactions not yet in a block are forgotten (they stay valid to broadcast again). */
  dropPending(): string[];
  /** While true, broadcasts are refused with SERVER_BUSY "Server busy." (java-tron with too many pending). */
  setBusy(busy: boolean): void;
  /** Turns on java-tron's broadcast cache (node.rpc.trxCacheEnable): a txID seen before, even refused, is a DUP. */
  enableBroadcastCache(): void;
  trxBalance(address: string): bigint;
  /** The address's balance of the devnode's USDT, or of `contract` (a token from deployToken). */
  tokenBalance(address: string, contract?: string): bigint;
  /** Moves the chain's clock on (the next block is sealed that much later): resource usage recovers over 24 h. */
  skipTime(ms: bigint): void;
  /** What wallet/getaccountresource answers for the address, as bigints (0 where java-tron omits the field). */
  accountResources(address: string): { energyLimit: bigint; energyUsed: bigint; netLimit: bigint; netUsed: bigint; freeNetUsed: bigint; freeNetLimit: bigint };
}

/** Deterministic identities, so contract addresses stay the same from run to run. */
const FAUCET_KEY = keccak256(toUtf8Bytes('treasury devnet tron faucet'));
const WITNESS_KEY = keccak256(toUtf8Bytes('treasury devnet tron witness'));
const FORK_WITNESS_KEY = keccak256(toUtf8Bytes('treasury devnet tron fork witness'));
const USDT_ADDRESS: HexAddress = '41' + keccakId('treasury devnet tron USDT').slice(24);
const FAUCET_BALANCE = 10n ** 15n;

const ADDRESS_KEYS = new Set(['owner_address', 'to_address', 'contract_address', 'receiver_address', 'address', 'witness_address', 'origin_address', 'caller_address', 'transferTo_address']);

type Params = Record<string, unknown>;

export async function startTronDevnode(opts: TronDevnodeOptions = {}): Promise<TronDevnode> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('The Tron devnode listens on 127.0.0.1 only');
  const prices: ChainPrices = { ...DEFAULT_PRICES, ...opts.prices };
  const faucetKey = new SigningKey(FAUCET_KEY);
  const faucet = addressOfKey(faucetKey);
  const witnesses = [addressOfKey(new SigningKey(WITNESS_KEY)), addressOfKey(new SigningKey(FORK_WITNESS_KEY))] as const;

  const genesis = new Map<HexAddress, bigint>([[faucet, FAUCET_BALANCE]]);
  for (const [address, sun] of Object.entries(opts.genesis ?? {})) {
    const hex = parseAddress(address);
    if (!hex) throw new Error(`devnode genesis: not a Tron address: ${address}`);
    genesis.set(hex, (genesis.get(hex) ?? 0n) + sun);
  }
  const chain = new TronDevChain(prices, genesis, witnesses, BigInt(Date.now()));
  chain.tokens.set(USDT_ADDRESS, new Trc20Token(USDT_ADDRESS, 'Tether USD (devnet)', 'USDT', 6, faucet));
  // Head at 1 from the start: java-tron omits number 0, and nothing real ever references genesis.
  chain.mine();

  const server = createServer((req, res) => {
    handle(chain, req, res).catch((error: unknown) => {
      send(res, 500, { Error: `class java.lang.Exception : ${(error as Error).message}` }, false);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const timer = opts.blockIntervalMs ? setInterval(() => chain.mine(), opts.blockIntervalMs) : null;
  timer?.unref();

  const requireAddress = (address: string): HexAddress => {
    const hex = parseAddress(address);
    if (!hex) throw new Error(`Not a Tron address: ${address}`);
    return hex;
  };

  return {
    url: `http://${host}:${port}`,
    usdtContract: toBase58(USDT_ADDRESS),
    genesisBlockId: chain.genesisBlockId,
    faucet: { address: toBase58(faucet), privateKey: FAUCET_KEY.slice(2) },
    prices,
    setChainParameter(key, value) {
      if (value <= 0n) throw new RangeError(`${key} must be positive`);
      prices[key] = value;
    },
    async stop() {
      if (timer) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async mine(n = 1) {
      for (let i = 0; i < n; i++) chain.mine();
    },
    async reorg(depth, opts) {
      return chain.reorg(depth, opts?.dropTransactions === true);
    },
    fund(address, sun) {
      const to = requireAddress(address);
      const unsigned = chain.unsignedTransaction('TransferContract', {
        amount: safeNumber(sun),
        owner_address: faucet,
        to_address: to,
      });
      return chain.submitSigned(faucetKey, unsigned);
    },
    mintToken(address, amount, contract) {
      const to = requireAddress(address);
      const tokenAddress = contract ? requireAddress(contract) : USDT_ADDRESS;
      const data = keccakId('mint(address,uint256)').slice(0, 8) +
        AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [abiWordAddress(to), amount]).slice(2);
      const unsigned = chain.unsignedTransaction(
        'TriggerSmartContract',
        { data, owner_address: faucet, contract_address: tokenAddress },
        1_000_000_000,
      );
      return chain.submitSigned(faucetKey, unsigned);
    },
    deployForwarder() {
      const address: HexAddress = '41' + keccakId(`treasury devnet tron forwarder ${chain.forwarders.size}`).slice(24);
      chain.forwarders.set(address, new TrxForwarder(address, faucet));
      return toBase58(address);
    },
    payThroughContract(forwarder, to, sun) {
      const data = keccakId('forward(address)').slice(0, 8) + AbiCoder.defaultAbiCoder().encode(['address'], [abiWordAddress(requireAddress(to))]).slice(2);
      const unsigned = chain.unsignedTransaction(
        'TriggerSmartContract',
        { data, owner_address: faucet, contract_address: requireAddress(forwarder), call_value: safeNumber(sun) },
        1_000_000_000,
      );
      return chain.submitSigned(faucetKey, unsigned);
    },
    deployToken(symbol, decimals) {
      const address: HexAddress = '41' + keccakId(`treasury devnet tron ${symbol}`).slice(24);
      chain.tokens.set(address, new Trc20Token(address, `${symbol} (devnet)`, symbol, decimals, faucet));
      return toBase58(address);
    },
    headNumber: () => chain.head.number,
    dropPending: () => chain.dropPending(),
    setBusy: (busy) => {
      chain.busy = busy;
    },
    enableBroadcastCache: () => {
      chain.trxCache ??= new Set();
    },
    trxBalance: (address) => chain.balanceOf(requireAddress(address)),
    skipTime: (ms) => chain.skipTime(ms),
    accountResources: (address) => {
      const r = accountResourceJson(chain, requireAddress(address));
      const n = (key: string) => BigInt((r[key] as bigint | undefined) ?? 0n);
      return { energyLimit: n('EnergyLimit'), energyUsed: n('EnergyUsed'), netLimit: n('NetLimit'), netUsed: n('NetUsed'), freeNetUsed: n('freeNetUsed'), freeNetLimit: n('freeNetLimit') };
    },
    tokenBalance: (address, contract) => chain.tokens.get(contract ? requireAddress(contract) : USDT_ADDRESS)!.balanceOf(requireAddress(address)),
  };
}

function addressOfKey(key: SigningKey): HexAddress {
  return ('41' + keccak256('0x' + key.publicKey.slice(4)).slice(-40)).toLowerCase();
}

function safeNumber(value: bigint): number {
  if (value <= 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`devnode amount out of range: ${value}`);
  return Number(value);
}

async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (text) {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === 'object') Object.assign(params, body);
    }
  }
  return params;
}

function send(res: ServerResponse, status: number, body: unknown, int64AsString: boolean): void {
  const text = writeJson(body, int64AsString);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const flag = (value: unknown) => value === true || value === 'true';

function intParam(value: unknown): bigint | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return null;
}

/** With visible=true java-tron prints addresses in base58 and text as UTF-8; else 41-hex and hex. */
function present<T>(value: T, visible: boolean): T {
  if (!visible) return value;
  if (Array.isArray(value)) return value.map((v) => present(v, visible)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'visible' && typeof v === 'boolean') out[key] = true;
    else out[key] = ADDRESS_KEYS.has(key) && isHexAddress(v) ? toBase58(v) : present(v, visible);
  }
  return out as T;
}

function transactionJson(tx: StoredTransaction) {
  return {
    ret: [{ contractRet: tx.contractRet }],
    signature: tx.signature,
    txID: tx.txID,
    raw_data: tx.raw_data,
    raw_data_hex: tx.raw_data_hex,
  };
}

function blockJson(block: Block, detail: boolean) {
  const raw: Record<string, unknown> = {};
  // proto3 JSON leaves out zero values: block 0 has no "number".
  if (block.number !== 0n) raw.number = block.number;
  raw.txTrieRoot = block.txTrieRoot;
  raw.witness_address = block.witness;
  raw.parentHash = block.parentHash;
  raw.version = 30;
  raw.timestamp = block.timestamp;
  const json: Record<string, unknown> = {
    blockID: block.blockID,
    block_header: { raw_data: raw, witness_signature: witnessSignature(block) },
  };
  if (detail && block.transactions.length > 0) json.transactions = block.transactions.map(transactionJson);
  return json;
}

const witnessKeys = new Map(
  [WITNESS_KEY, FORK_WITNESS_KEY].map((secret) => {
    const key = new SigningKey(secret);
    return [addressOfKey(key), key] as const;
  }),
);
function witnessSignature(block: Block): string {
  const key = witnessKeys.get(block.witness);
  if (!key) return '';
  const sig = key.sign('0x' + block.blockID);
  return sig.r.slice(2) + sig.s.slice(2) + (sig.v === 27 ? '00' : '01');
}

async function handle(chain: TronDevChain, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let params: Params;
  try {
    params = await readParams(req, url);
  } catch (error) {
    send(res, 200, { Error: `class com.alibaba.fastjson.JSONException : ${(error as Error).message}` }, false);
    return;
  }
  // java-tron honours int64_as_string on GET reads only.
  const int64AsString = req.method === 'GET' && flag(params.int64_as_string);
  const visible = flag(params.visible);
  const reply = (body: unknown) => send(res, 200, present(body, visible), int64AsString);

  const match = /^\/(wallet|walletsolidity)\/([a-z0-9]+)$/.exec(url.pathname);
  if (!match) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
    return;
  }
  const [, , endpoint] = match;

  switch (endpoint) {
    case 'getnowblock':
      return reply(blockJson(chain.head, true));
    case 'getblock': {
      const idOrNum = params.id_or_num;
      const detail = flag(params.detail);
      if (idOrNum === undefined || idOrNum === '') return reply(blockJson(chain.head, detail));
      const asNum = intParam(idOrNum);
      const block =
        asNum !== null && String(idOrNum).length < 64 ? chain.blockByNumber(asNum) : chain.blockById(String(idOrNum));
      return reply(block ? blockJson(block, detail) : {});
    }
    case 'getblockbynum': {
      const num = intParam(params.num);
      const block = num === null ? undefined : chain.blockByNumber(num);
      return reply(block ? blockJson(block, true) : {});
    }
    case 'getblockbyid': {
      const block = typeof params.value === 'string' ? chain.blockById(params.value) : undefined;
      return reply(block ? blockJson(block, true) : {});
    }
    case 'getblockbylimitnext': {
      const start = intParam(params.startNum);
      const end = intParam(params.endNum);
      // endNum is exclusive; java-tron answers at most 100 blocks per call.
      if (start === null || end === null || end <= start || end - start > 100n) return reply({});
      const blocks: unknown[] = [];
      for (let n = start; n < end; n++) {
        const block = chain.blockByNumber(n);
        if (block) blocks.push(blockJson(block, true));
      }
      return reply(blocks.length ? { block: blocks } : {});
    }
    case 'getblockbylatestnum': {
      const count = intParam(params.num);
      if (count === null || count < 1n || count > 100n) return reply({});
      const blocks: unknown[] = [];
      for (let n = chain.head.number - count + 1n; n <= chain.head.number; n++) {
        const block = chain.blockByNumber(n);
        if (block) blocks.push(blockJson(block, true));
      }
      return reply({ block: blocks });
    }
    case 'getaccount': {
      const address = parseAddress(params.address);
      const account = address ? chain.account(address) : undefined;
      if (!address || !account) return reply({});
      return reply(accountJson(chain, address));
    }
    case 'getaccountresource': {
      const address = parseAddress(params.address);
      return reply(address && chain.account(address) ? accountResourceJson(chain, address) : {});
    }
    case 'getaccountnet': {
      const address = parseAddress(params.address);
      if (!address || !chain.account(address)) return reply({});
      const { freeNetUsed, freeNetLimit, NetUsed, NetLimit, TotalNetLimit, TotalNetWeight } = accountResourceJson(chain, address);
      return reply(omitZero({ freeNetUsed, freeNetLimit, NetUsed, NetLimit, TotalNetLimit, TotalNetWeight }));
    }
    case 'freezebalancev2':
    case 'unfreezebalancev2':
    case 'withdrawexpireunfreeze':
    case 'delegateresource':
    case 'undelegateresource':
      return reply(resourceTransaction(chain, endpoint, params));
    case 'getchainparameters': {
      const { getTotalEnergyLimit, getTotalNetLimit, getFreeNetLimit, getUnfreezeDelayDays } = chain.resources.params;
      const all: Record<string, bigint> = { ...chain.prices, getTotalEnergyLimit, getTotalEnergyCurrentLimit: getTotalEnergyLimit, getTotalNetLimit, getFreeNetLimit, getUnfreezeDelayDays, getMaxFeeLimit: 15_000_000_000n };
      return reply({ chainParameter: Object.entries(all).map(([key, value]) => ({ key, value })) });
    }
    case 'getnodeinfo':
      return reply({
        block: `Num:${chain.head.number},ID:${chain.head.blockID}`,
        solidityBlock: `Num:${chain.head.number},ID:${chain.head.blockID}`,
        configNodeInfo: { codeVersion: '4.8.0', versionName: 'treasury-devnode' },
      });
    case 'getcontract': {
      const address = parseAddress(params.value);
      const token = address ? chain.tokens.get(address) : undefined;
      const forwarder = address ? chain.forwarders.get(address) : undefined;
      return reply(token ? contractJson(token) : forwarder ? { origin_address: forwarder.owner, contract_address: forwarder.address, name: 'Forwarder' } : {});
    }
    case 'createtransaction':
      return reply(createTransaction(chain, params));
    case 'triggersmartcontract':
      return reply(triggerSmartContract(chain, params));
    case 'triggerconstantcontract':
    case 'estimateenergy':
      return reply(constantCall(chain, params, endpoint === 'estimateenergy'));
    case 'broadcasttransaction': {
      const outcome = chain.broadcast(params as Parameters<TronDevChain['broadcast']>[0]);
      if ('result' in outcome) return reply(outcome);
      return reply({ code: outcome.code, txid: outcome.txid, message: visible ? outcome.message : utf8Hex(outcome.message) });
    }
    case 'gettransactionbyid': {
      const found = typeof params.value === 'string' ? chain.findTransaction(params.value.toLowerCase()) : null;
      return reply(found ? transactionJson(found.tx) : {});
    }
    case 'gettransactioninfobyid': {
      const found = typeof params.value === 'string' ? chain.findTransaction(params.value.toLowerCase()) : null;
      return reply(found?.info ?? {});
    }
    case 'gettransactioninfobyblocknum': {
      const num = intParam(params.num);
      const block = num === null ? undefined : chain.blockByNumber(num);
      return reply(block?.infos ?? []);
    }
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
  }
}

/** proto3 JSON: zero values are left out. */
function omitZero(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([, v]) => v !== 0n && v !== undefined));
}

/** wallet/getaccount with the Stake 2.0 fields java-tron prints (frozenV2, delegated and acquired stake, usage). */
function accountJson(chain: TronDevChain, address: HexAddress): Record<string, unknown> {
  const account = chain.account(address)!;
  const r = account.resources;
  const now = chain.head.timestamp;
  const json: Record<string, unknown> = { address };
  if (account.balance !== 0n) json.balance = account.balance;
  json.create_time = account.createTime;
  const netUsed = usedNow(r.net, now);
  const freeUsed = usedNow(r.freeNet, now);
  if (netUsed > 0n) json.net_usage = netUsed;
  if (freeUsed > 0n) json.free_net_usage = freeUsed;
  // frozenV2 lists BANDWIDTH (the default enum, so no "type"), ENERGY and TRON_POWER, amounts omitted when 0.
  json.frozenV2 = [omitZero({ amount: r.frozen.BANDWIDTH }), omitZero({ type: 'ENERGY', amount: r.frozen.ENERGY }), { type: 'TRON_POWER' }];
  // Unstakings waiting (or due and not yet withdrawn), BANDWIDTH without "type" as the default enum.
  if (r.unfrozen.length > 0) {
    json.unfrozenV2 = r.unfrozen.map((u) => ({ ...(u.resource === 'ENERGY' ? { type: 'ENERGY' } : {}), unfreeze_amount: u.amount, unfreeze_expire_time: u.expireTime }));
  }
  if (r.delegatedOut.BANDWIDTH > 0n) json.delegated_frozenV2_balance_for_bandwidth = r.delegatedOut.BANDWIDTH;
  if (r.acquired.BANDWIDTH > 0n) json.acquired_delegated_frozenV2_balance_for_bandwidth = r.acquired.BANDWIDTH;
  json.account_resource = omitZero({
    energy_usage: usedNow(r.energy, now),
    latest_consume_time_for_energy: r.energy.at,
    delegated_frozenV2_balance_for_energy: r.delegatedOut.ENERGY,
    acquired_delegated_frozenV2_balance_for_energy: r.acquired.ENERGY,
  });
  return json;
}

/** wallet/getaccountresource: limits and what is used of them now, and the network's totals. */
function accountResourceJson(chain: TronDevChain, address: HexAddress): Record<string, unknown> {
  const r = chain.account(address)!.resources;
  const book = chain.resources;
  const now = chain.head.timestamp;
  return omitZero({
    freeNetUsed: usedNow(r.freeNet, now),
    freeNetLimit: book.params.getFreeNetLimit,
    NetUsed: usedNow(r.net, now),
    NetLimit: book.limit(r, 'BANDWIDTH'),
    TotalNetLimit: book.totalLimit('BANDWIDTH'),
    TotalNetWeight: book.totalWeight('BANDWIDTH'),
    EnergyUsed: usedNow(r.energy, now),
    EnergyLimit: book.limit(r, 'ENERGY'),
    TotalEnergyLimit: book.totalLimit('ENERGY'),
    TotalEnergyWeight: book.totalWeight('ENERGY'),
  });
}

const RESOURCE_ENDPOINTS: Record<string, string> = {
  freezebalancev2: 'FreezeBalanceV2Contract',
  unfreezebalancev2: 'UnfreezeBalanceV2Contract',
  withdrawexpireunfreeze: 'WithdrawExpireUnfreezeContract',
  delegateresource: 'DelegateResourceContract',
  undelegateresource: 'UnDelegateResourceContract',
};

/** wallet/freezebalancev2, delegateresource, undelegateresource: validated as the actuator does, then built. */
function resourceTransaction(chain: TronDevChain, endpoint: string, params: Params) {
  const type = RESOURCE_ENDPOINTS[endpoint]!;
  const owner = parseAddress(params.owner_address);
  if (!owner) return { Error: 'class org.tron.core.exception.ContractValidateException : Invalid address' };
  const value: Record<string, unknown> = { owner_address: owner };
  const resource = params.resource === 'ENERGY' ? 'ENERGY' : params.resource === undefined || params.resource === 'BANDWIDTH' ? undefined : String(params.resource);
  if (type === 'FreezeBalanceV2Contract') value.frozen_balance = Number(intParam(params.frozen_balance) ?? 0n);
  else if (type === 'UnfreezeBalanceV2Contract') value.unfreeze_balance = Number(intParam(params.unfreeze_balance) ?? 0n);
  else if (type === 'WithdrawExpireUnfreezeContract') {
    // owner only
  } else {
    value.balance = Number(intParam(params.balance) ?? 0n);
    value.receiver_address = parseAddress(params.receiver_address) ?? params.receiver_address;
  }
  if (resource && type !== 'WithdrawExpireUnfreezeContract') value.resource = resource;
  if (type === 'DelegateResourceContract' && flag(params.lock)) {
    return { Error: 'class org.tron.core.exception.ContractValidateException : the devnode does not lock delegations' };
  }
  try {
    chain.validateResourceContract(type, owner, value);
  } catch (error) {
    return validationError(error);
  }
  return chain.unsignedTransaction(type, value);
}

/** java-tron's SmartContract JSON with the TRC-20 ABI, so tronweb's contract().at() works. */
function contractJson(token: Trc20Token) {
  const input = (name: string, type: string, indexed?: boolean) => ({ ...(indexed === undefined ? {} : { indexed }), name, type });
  const view = (name: string, inputs: object[], output: string) => ({
    constant: true,
    inputs,
    name,
    outputs: [{ type: output }],
    stateMutability: 'View',
    type: 'Function',
  });
  return {
    origin_address: token.owner,
    contract_address: token.address,
    abi: {
      entrys: [
        view('name', [], 'string'),
        view('symbol', [], 'string'),
        view('decimals', [], 'uint8'),
        view('totalSupply', [], 'uint256'),
        view('balanceOf', [input('who', 'address')], 'uint256'),
        {
          inputs: [input('_to', 'address'), input('_value', 'uint256')],
          name: 'transfer',
          outputs: [{ type: 'bool' }],
          stateMutability: 'Nonpayable',
          type: 'Function',
        },
        {
          anonymous: false,
          inputs: [input('from', 'address', true), input('to', 'address', true), input('value', 'uint256', false)],
          name: 'Transfer',
          type: 'Event',
        },
      ],
    },
    bytecode: '',
    consume_user_resource_percent: 100,
    name: token.name,
    origin_energy_limit: 10_000_000,
    code_hash: keccakId(token.address),
  };
}

function validationError(error: unknown): { Error: string } {
  if (error instanceof ContractValidateError) {
    return { Error: `class org.tron.core.exception.ContractValidateException : ${error.message}` };
  }
  throw error;
}

function createTransaction(chain: TronDevChain, params: Params) {
  const owner = parseAddress(params.owner_address);
  if (!owner) return { Error: 'class org.tron.core.exception.ContractValidateException : Invalid ownerAddress!' };
  const to = parseAddress(params.to_address);
  const amount = intParam(params.amount);
  try {
    chain.validateTransfer(owner, to, amount ?? 0n);
  } catch (error) {
    return validationError(error);
  }
  return chain.unsignedTransaction('TransferContract', {
    amount: Number(amount),
    owner_address: owner,
    to_address: to,
  });
}

/** Call data from either `data` or `function_selector` + `parameter`, as java-tron accepts both. */
function callData(params: Params): string {
  if (typeof params.data === 'string' && params.data) return params.data.replace(/^0x/, '');
  const selector = typeof params.function_selector === 'string' ? params.function_selector.replace(/\s+/g, '') : '';
  const parameter = typeof params.parameter === 'string' ? params.parameter.replace(/^0x/, '') : '';
  return selector ? keccakId(selector).slice(0, 8) + parameter : parameter;
}

function contractError(message: string) {
  return { result: { code: 'CONTRACT_VALIDATE_ERROR', message: utf8Hex(message) } };
}

function triggerSmartContract(chain: TronDevChain, params: Params) {
  const owner = parseAddress(params.owner_address);
  if (!owner) return contractError('Invalid ownerAddress!');
  const feeLimit = intParam(params.fee_limit) ?? 0n;
  try {
    chain.validateTrigger(owner, parseAddress(params.contract_address), feeLimit);
  } catch (error) {
    if (error instanceof ContractValidateError) return contractError(error.message);
    throw error;
  }
  const value: Record<string, unknown> = {
    data: callData(params),
    owner_address: owner,
    contract_address: parseAddress(params.contract_address),
  };
  const callValue = intParam(params.call_value) ?? 0n;
  if (callValue !== 0n) value.call_value = Number(callValue);
  const transaction = chain.unsignedTransaction('TriggerSmartContract', value, Number(feeLimit));
  return { result: { result: true }, transaction };
}

function constantCall(chain: TronDevChain, params: Params, estimateOnly: boolean) {
  // Constant calls need no funded caller on java-tron; a missing owner means the zero address.
  const owner = parseAddress(params.owner_address) ?? '41' + '0'.repeat(40);
  const contract = parseAddress(params.contract_address);
  const token = contract ? chain.tokens.get(contract) : undefined;
  if (!token) return contractError('No contract or not a valid smart contract');
  const data = callData(params);
  const outcome = token.call(owner, data);
  if (estimateOnly) {
    if (!outcome.ok) return { result: { code: 'CONTRACT_EXE_ERROR', message: utf8Hex('REVERT opcode executed') } };
    return { result: { result: true }, energy_required: outcome.energy };
  }
  const transaction = chain.unsignedTransaction('TriggerSmartContract', {
    data,
    owner_address: owner,
    contract_address: contract,
  });
  return {
    result: { result: true },
    energy_used: outcome.energy,
    constant_result: [outcome.output],
    transaction: { ret: [outcome.ok ? {} : { ret: 'FAILED' }], ...transaction },
  };
}
