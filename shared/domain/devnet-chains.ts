import type { Chain } from './chains';

/**
 * The devnet anvils' EVM chain ids: private, so a devnet-signed sweep or withdrawal (whose raw bytes
 * leave in every audit bundle) is never a valid transaction on Polygon, BNB Chain or their testnets.
 * Neither is registered in ethereum-lists/chains (the registry behind chainid.network), and both fit
 * the 4 bytes Ledger's Ethereum app and token descriptors keep of a chain id. Read by the devnet
 * launcher (test/support/devnet) and the engine's devnet profile defaults alike.
 */
export const DEVNET_EVM_CHAIN_IDS = {
  polygon: 1_337_137,
  bsc: 1_337_056,
} as const satisfies Record<Exclude<Chain, 'tron'>, number>;

const DEVNET_IDS: ReadonlySet<bigint> = new Set(Object.values(DEVNET_EVM_CHAIN_IDS).map(BigInt));

/** Whether a chain id is one of the devnet's private ones, the only ids a software signer signs for. */
export function isDevnetEvmChainId(chainId: bigint | number): boolean {
  return DEVNET_IDS.has(BigInt(chainId));
}
