import type { Chain, NetworkProfile } from '@shared/domain/chains';
import type { EndpointFault, EndpointHealth } from '@shared/domain/configuration';
import type { ChainAdapter, StrayScan } from './adapter';
import type { SavedEndpointHealth } from './endpoint-health-store';
import { NetworkMismatchError } from './errors';

export interface EndpointPoolOptions {
  /** How long an endpoint rests after a fault before it is preferred again. */
  coolDownMs: number;
  /** A single read (head, block, balance, receipt...) slower than this counts as a timeout. */
  callTimeoutMs: number;
  /** A head more than this many blocks behind the best head any endpoint reported is lagging. */
  maxLagBlocks: number;
  /** How often, at most, a head read also asks the other endpoints (to know the best head). */
  probeIntervalMs: number;
}

/** Where the pool keeps its endpoints' health across restarts (endpoint-health-store.ts). */
export interface EndpointMemory {
  saved: ReadonlyMap<string, SavedEndpointHealth>;
  save(health: SavedEndpointHealth): void;
}

/** An endpoint whose state has not changed is written again at most this often (its head and latency refreshed). */
const REFRESH_MS = 5 * 60_000;

interface Endpoint {
  url: string;
  adapter: ChainAdapter & { close?: () => void };
  /** Proved this workspace's network since its last fault. */
  verified: boolean;
  head: bigint | null;
  headAt: number;
  latencyMs: number | null;
  fault: EndpointFault | null;
  faultAt: number | null;
  restUntil: number;
  checkedAt: number | null;
  /** What the node said when it proved to serve another network, thrown again while it is listed. */
  refusal: unknown;
  /** The last fault in a few safe words (an HTTP status, an error code), kept in the database only. */
  faultDetail: string | null;
  /** Lag as last saved, shown until a fresh comparison replaces it. */
  savedLag: number | null;
  /** The state last written to memory and when: a write happens when it changes, not per read. */
  written: string | null;
  writtenAt: number;
}

/** A read that took longer than the pool allows. */
export class EndpointTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * One chain's endpoints in the officer's order of preference, seen by the rest of the engine as one adapter:
 * each call goes to the first endpoint that is not resting, and a fault (unreachable, timeout, HTTP 5xx, a head
 * lagging the best known one) rests that endpoint for the cool-down and, for calls that are safe to repeat,
 * tries the next one. Each endpoint proves its network before first use and again after any fault.
 */
export class EndpointPool {
  readonly adapter: ChainAdapter;
  private readonly endpoints: Endpoint[];
  private active = 0;
  private probedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly chain: Chain,
    private readonly network: NetworkProfile,
    urls: readonly string[],
    build: (url: string) => ChainAdapter,
    private readonly options: EndpointPoolOptions,
    private readonly memory?: EndpointMemory,
  ) {
    const now = Date.now();
    this.endpoints = urls.map((url) => {
      const saved = memory?.saved.get(url);
      const endpoint: Endpoint = { url, adapter: build(url), verified: false, head: null, headAt: 0, latencyMs: null, fault: null, faultAt: null, restUntil: 0, checkedAt: null, refusal: null, faultDetail: null, savedLag: null, written: null, writtenAt: 0 };
      if (!saved) return endpoint;
      // The last known state, so a restart shows it and a failing endpoint keeps resting until its cool-down ends.
      // Every endpoint proves its network again before first use; one that served another network is simply
      // asked again (verified is false), so a since-fixed node is not refused for a state nobody can see change.
      const refused = saved.fault === 'wrong_network';
      return {
        ...endpoint,
        head: saved.head,
        headAt: saved.headAt ?? 0,
        latencyMs: saved.latencyMs,
        fault: refused ? null : saved.fault,
        faultAt: refused ? null : saved.faultAt,
        faultDetail: refused ? null : saved.faultDetail,
        restUntil: !refused && saved.restUntil !== null && saved.restUntil > now ? saved.restUntil : 0,
        checkedAt: saved.lastOkAt,
        savedLag: saved.behindBy,
      };
    });
    // Loaded as saved: written again only when the state changes.
    for (const endpoint of this.endpoints) {
      endpoint.written = this.stateOf(endpoint, now);
      endpoint.writtenAt = now;
    }
    this.adapter = this.facade();
  }

  /** Finds an endpoint to use now (proving its network if needed); throws the reason none can be used. */
  async ready(): Promise<void> {
    await this.select(new Set());
  }

  /** Asks every endpoint that does not serve another network for its head, and rests those lagging the best. */
  async probe(): Promise<void> {
    this.probedAt = Date.now();
    const answered = new Set<Endpoint>();
    await Promise.all(
      this.endpoints
        .filter((e) => e.fault !== 'wrong_network')
        .map(async (endpoint) => {
          try {
            await this.verify(endpoint);
            const started = Date.now();
            const head = await this.timed(endpoint.adapter.headBlock());
            endpoint.head = head.number;
            endpoint.headAt = Date.now();
            answered.add(endpoint);
            this.seen(endpoint, started);
          } catch (error) {
            this.rest(endpoint, endpointFault(error) ?? 'server_error', error);
          }
        }),
    );
    const best = this.bestHead();
    // Only a head read now is judged: one that did not answer keeps its own fault, not a stale head's lag.
    for (const endpoint of answered) {
      if (best !== null && endpoint.head !== null && best - endpoint.head > BigInt(this.options.maxLagBlocks)) this.rest(endpoint, 'lagging');
    }
  }

  health(confirmed: boolean): EndpointHealth[] {
    const now = Date.now();
    const best = this.bestHead();
    const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString());
    return this.endpoints.map((e, i) => ({
      url: e.url,
      active: confirmed && i === this.active && e.verified && e.restUntil <= now,
      state: !confirmed ? 'unconfirmed' : e.fault === 'wrong_network' ? 'refused' : e.restUntil > now ? 'resting' : e.checkedAt === null ? 'unchecked' : 'ok',
      head: e.head?.toString() ?? null,
      behindBy: this.lagOf(e, best),
      latencyMs: e.latencyMs,
      lastFault: e.fault,
      lastFaultAt: iso(e.faultAt),
      retryAt: e.restUntil > now ? iso(e.restUntil) : null,
      checkedAt: iso(e.checkedAt),
    }));
  }

  close(): void {
    for (const { adapter } of this.endpoints) adapter.close?.();
  }

  /**
   * The first endpoint, in order, that is not resting, not in `tried`, and proves its network. When all are
   * resting they are tried anyway in order (a recovered node is used at once, a dead one says why).
   */
  private async select(tried: ReadonlySet<Endpoint>): Promise<Endpoint> {
    const now = Date.now();
    const usable = this.endpoints.filter((e) => !tried.has(e) && e.fault !== 'wrong_network');
    const awake = usable.filter((e) => e.restUntil <= now);
    let failure: unknown = null;
    for (const endpoint of awake.length > 0 ? awake : usable) {
      try {
        await this.verify(endpoint);
        this.active = this.endpoints.indexOf(endpoint);
        return endpoint;
      } catch (error) {
        failure ??= error;
        this.rest(endpoint, endpointFault(error) ?? 'server_error', error);
      }
    }
    // A node of another network is what the officer must fix, so it is named before a passing outage.
    const refused = this.endpoints.find((e) => e.fault === 'wrong_network');
    throw refused?.refusal ?? failure ?? new Error(`no ${this.chain} endpoint left to try`);
  }

  private async verify(endpoint: Endpoint): Promise<void> {
    if (endpoint.verified) return;
    const started = Date.now();
    await this.timed(endpoint.adapter.checkNetwork(this.network));
    this.seen(endpoint, started);
    endpoint.verified = true;
  }

  /**
   * Runs `work` on the endpoint in use; on an endpoint fault rests it and, when `repeatable`, runs it on the
   * next. `judge` may find a good answer wanting (a lagging head): the endpoint then rests and the next is
   * asked, unless none is left, when the answer is returned as it is.
   */
  private async run<T>(work: (adapter: ChainAdapter) => Promise<T>, how: { repeatable: boolean; timed: boolean; judge?: (endpoint: Endpoint, result: T) => EndpointFault | null }): Promise<T> {
    const tried = new Set<Endpoint>();
    let failure: unknown = null;
    for (;;) {
      let endpoint: Endpoint;
      try {
        endpoint = await this.select(tried);
      } catch (error) {
        throw failure ?? error;
      }
      tried.add(endpoint);
      const started = Date.now();
      let result: T;
      try {
        result = await (how.timed ? this.timed(work(endpoint.adapter)) : work(endpoint.adapter));
      } catch (error) {
        const fault = endpointFault(error);
        if (fault === null) throw error;
        this.rest(endpoint, fault, error);
        if (!how.repeatable) throw error;
        failure ??= error;
        continue;
      }
      this.seen(endpoint, started);
      const verdict = how.judge?.(endpoint, result) ?? null;
      if (verdict !== null && this.endpoints.some((e) => !tried.has(e) && e.fault !== 'wrong_network')) {
        this.rest(endpoint, verdict);
        continue;
      }
      return result;
    }
  }

  private async head() {
    if (this.endpoints.length > 1 && Date.now() - this.probedAt >= this.options.probeIntervalMs) await this.probe();
    return this.run((a) => a.headBlock(), {
      repeatable: true,
      timed: true,
      judge: (endpoint, block) => {
        endpoint.head = block.number;
        endpoint.headAt = Date.now();
        const best = this.bestHead();
        return best !== null && best - block.number > BigInt(this.options.maxLagBlocks) ? 'lagging' : null;
      },
    });
  }

  /** The highest head any endpoint reported lately (older readings may come from a node since gone astray). */
  private bestHead(): bigint | null {
    const since = Date.now() - Math.max(2 * this.options.probeIntervalMs, 60_000);
    let best: bigint | null = null;
    for (const e of this.endpoints) {
      if (e.head !== null && e.headAt >= since && e.fault !== 'wrong_network' && (best === null || e.head > best)) best = e.head;
    }
    return best;
  }

  private rest(endpoint: Endpoint, fault: EndpointFault, error?: unknown): void {
    if (fault === 'wrong_network') endpoint.refusal = error;
    endpoint.fault = fault;
    endpoint.faultAt = Date.now();
    endpoint.faultDetail = error === undefined ? null : faultDetail(error);
    endpoint.restUntil = fault === 'wrong_network' ? Number.POSITIVE_INFINITY : Date.now() + this.options.coolDownMs;
    // Asked to prove its network again when it comes back: the name may point elsewhere by then.
    endpoint.verified = false;
    this.remember(endpoint);
  }

  private seen(endpoint: Endpoint, started: number): void {
    endpoint.latencyMs = Date.now() - started;
    endpoint.checkedAt = Date.now();
    this.remember(endpoint);
  }

  private lagOf(endpoint: Endpoint, best: bigint | null): number | null {
    return best !== null && endpoint.head !== null ? Number(best - endpoint.head) : endpoint.savedLag;
  }

  private stateOf(endpoint: Endpoint, now: number): string {
    const state = endpoint.fault === 'wrong_network' ? 'refused' : endpoint.restUntil > now ? 'resting' : endpoint.checkedAt === null ? 'unchecked' : 'ok';
    return `${state}|${endpoint.fault}`;
  }

  /** Writes the endpoint's health when its state changed (or, unchanged, once per REFRESH_MS), never per read. */
  private remember(endpoint: Endpoint): void {
    if (!this.memory) return;
    const now = Date.now();
    const state = this.stateOf(endpoint, now);
    if (state === endpoint.written && now - endpoint.writtenAt < REFRESH_MS) return;
    endpoint.written = state;
    endpoint.writtenAt = now;
    endpoint.savedLag = this.lagOf(endpoint, this.bestHead());
    this.memory.save({
      url: endpoint.url,
      lastOkAt: endpoint.checkedAt,
      fault: endpoint.fault,
      faultAt: endpoint.faultAt,
      faultDetail: endpoint.faultDetail,
      head: endpoint.head,
      headAt: endpoint.head === null ? null : endpoint.headAt,
      behindBy: endpoint.savedLag,
      latencyMs: endpoint.latencyMs,
      restUntil: endpoint.restUntil > now ? endpoint.restUntil : null,
    });
  }

  private timed<T>(work: Promise<T>): Promise<T> {
    const ms = this.options.callTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EndpointTimeout(ms)), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * The pool as one adapter. Reads repeat on the next endpoint; broadcasting does not (the bytes may have
   * reached the failed node: the flows that send already handle an unknown outcome). Local work needs no node.
   */
  private facade(): ChainAdapter {
    const read = { repeatable: true, timed: true };
    const first = () => this.endpoints[this.active]!.adapter;
    const adapter: ChainAdapter = {
      chain: this.chain,
      checkNetwork: async () => this.ready(),
      normalizeAddress: (address) => first().normalizeAddress(address),
      headBlock: () => this.head(),
      block: (number) => this.run((a) => a.block(number), read),
      // Strays are collected afresh per attempt so a failed attempt leaves nothing half-found behind.
      scanTransfers: (from, to, assets, recipients, strays) =>
        this.run(
          async (a) => {
            const attempt: StrayScan | undefined = strays ? { found: [] } : undefined;
            const found = await a.scanTransfers(from, to, assets, recipients, attempt);
            if (strays && attempt) {
              strays.found.push(...attempt.found);
              if (attempt.tracingUnavailable) strays.tracingUnavailable = true;
            }
            return found;
          },
          { repeatable: true, timed: false },
        ),
      balance: (asset, address) => this.run((a) => a.balance(asset, address), read),
      tokenMetadata: (contract) => this.run((a) => a.tokenMetadata(contract), read),
      estimateFee: (intent) => this.run((a) => a.estimateFee(intent), read),
      buildTransfer: (intent) => this.run((a) => a.buildTransfer(intent), read),
      attachSignature: (tx, signature) => first().attachSignature(tx, signature),
      signWithKey: (tx, key) => first().signWithKey(tx, key),
      broadcast: (tx) => this.run((a) => a.broadcast(tx), { repeatable: false, timed: false }),
      receipt: (txHash) => this.run((a) => a.receipt(txHash), read),
      transactionSender: (txHash) => this.run((a) => a.transactionSender(txHash), read),
      isContract: (address) => this.run((a) => a.isContract(address), read),
    };
    if (this.endpoints[0]?.adapter.nextNonce) adapter.nextNonce = (address) => this.run((a) => a.nextNonce!(address), read);
    const staking = this.endpoints[0]?.adapter.energy;
    if (staking) {
      adapter.energy = {
        buildStake: (action, native) => this.run((a) => a.energy!.buildStake(action, native), read),
        resources: (address) => this.run((a) => a.energy!.resources(address), read),
      };
    }
    return adapter;
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'NETWORK_ERROR', 'ERR_NETWORK', 'UND_ERR_SOCKET']);
const TIMED_OUT = new Set(['TIMEOUT', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/**
 * Whether an error is the endpoint's fault rather than an answer (a refused transaction, a revert, a range past
 * its head): ethers and axios (tronweb) codes, HTTP status 5xx, and the same looked for in the error's cause.
 */
export function endpointFault(error: unknown, depth = 0): EndpointFault | null {
  if (error instanceof NetworkMismatchError) return 'wrong_network';
  if (error instanceof EndpointTimeout) return 'timeout';
  if (typeof error !== 'object' || error === null || depth > 3) return null;
  const e = error as ClientError;
  const code = typeof e.code === 'string' ? e.code : '';
  if (TIMED_OUT.has(code)) return 'timeout';
  if (UNREACHABLE.has(code)) return 'unreachable';
  const status = httpStatusOf(e);
  if (status >= 500 || status === 429) return 'server_error';
  return e.cause === undefined ? null : endpointFault(e.cause, depth + 1);
}

type ClientError = { code?: unknown; response?: { status?: unknown }; info?: { responseStatus?: unknown }; cause?: unknown };

/** The HTTP status an ethers (info.responseStatus) or axios (response.status) error carries; NaN when none. */
function httpStatusOf(e: ClientError): number {
  return typeof e.response?.status === 'number' ? e.response.status : Number.parseInt(String(e.info?.responseStatus ?? ''), 10);
}

/**
 * A fault in a few words safe to keep: an HTTP status or an error code, never the node's message or the URL
 * (a provider's URL often carries its API key, and a message may echo it).
 */
export function faultDetail(error: unknown, depth = 0): string | null {
  if (error instanceof NetworkMismatchError) return 'another network';
  if (typeof error !== 'object' || error === null || depth > 3) return null;
  const e = error as ClientError;
  const status = httpStatusOf(e);
  if (Number.isInteger(status) && status >= 100 && status < 600) return `HTTP ${status}`;
  if (typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{2,39}$/.test(e.code)) return e.code;
  return e.cause === undefined ? null : faultDetail(e.cause, depth + 1);
}
