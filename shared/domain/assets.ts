import type { Chain, NetworkProfile } from './chains';

/**
 * An asset is (chain, native coin or token contract). Its id is stable across profiles for the
 * well-known assets ("polygon:USDT") so settings and ledger accounts read the same on every network;
 * custom tokens get "chain:contract".
 */
export interface Asset {
  id: string;
  chain: Chain;
  symbol: string;
  decimals: number;
  /** null for the chain's native coin. EVM: EIP-55 checksummed; Tron: base58 T-address. */
  contract: string | null;
}

type AssetSeed = Omit<Asset, 'contract'> & { contract: Partial<Record<NetworkProfile, string>> | null };

/** Decimals come from here, never from user input. Devnet contracts are filled in by the devnet at start. */
const WELL_KNOWN: AssetSeed[] = [
  { id: 'polygon:POL', chain: 'polygon', symbol: 'POL', decimals: 18, contract: null },
  {
    id: 'polygon:USDT', chain: 'polygon', symbol: 'USDT', decimals: 6,
    contract: { mainnet: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F' },
  },
  {
    id: 'polygon:USDC', chain: 'polygon', symbol: 'USDC', decimals: 6,
    contract: { mainnet: '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359' },
  },
  { id: 'bsc:BNB', chain: 'bsc', symbol: 'BNB', decimals: 18, contract: null },
  {
    id: 'bsc:USDT', chain: 'bsc', symbol: 'USDT', decimals: 18,
    contract: { mainnet: '0x55d398326f99059fF775485246999027B3197955' },
  },
  {
    id: 'bsc:USDC', chain: 'bsc', symbol: 'USDC', decimals: 18,
    contract: { mainnet: '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d' },
  },
  { id: 'tron:TRX', chain: 'tron', symbol: 'TRX', decimals: 6, contract: null },
  {
    id: 'tron:USDT', chain: 'tron', symbol: 'USDT', decimals: 6,
    contract: { mainnet: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
  },
];

/**
 * The registry of a profile: the well-known assets with the contract addresses that profile knows
 * (a token whose contract is unknown on that profile is left out), plus any custom or devnet contracts.
 */
export function wellKnownAssets(
  profile: NetworkProfile,
  contractOverrides: Record<string, string> = {},
): Asset[] {
  const assets: Asset[] = [];
  for (const seed of WELL_KNOWN) {
    if (seed.contract === null) {
      assets.push({ ...seed, contract: null });
      continue;
    }
    const contract = contractOverrides[seed.id] ?? seed.contract[profile];
    if (contract) assets.push({ ...seed, contract });
  }
  return assets;
}
