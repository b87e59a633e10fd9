import { getAddress } from 'ethers';
import { signerError } from './signer-error';

/**
 * An ERC-20 token as the Ethereum app needs it to show "Send 25 USDT" instead of raw contract data.
 * The signature is Ledger's (its crypto-asset list key, DER-encoded) over ticker, contract, decimals
 * and chain id; the device checks it, so these come from the asset registry, never from user input.
 */
export interface EvmTokenInfo {
  ticker: string;
  contractAddress: string;
  decimals: number;
  chainId: number;
  /** DER signature, hex with or without 0x. */
  signature: string;
}

const strip0x = (hex: string): string => (hex.startsWith('0x') ? hex.slice(2) : hex);

/** The signed part of the descriptor: ticker, contract (20 bytes), decimals and chain id (u32 BE). */
export function tokenDescriptorBody(token: Omit<EvmTokenInfo, 'signature'>): Buffer {
  const ticker = Buffer.from(token.ticker, 'ascii');
  // the app keeps a ticker in 12 bytes with its terminating zero (MAX_TICKER_LEN); Ledger's lists use spaces
  if (ticker.length === 0 || ticker.length > 11 || !/^[\x20-\x7e]+$/.test(token.ticker)) {
    throw signerError('invalid-request', `Token ticker "${token.ticker}" cannot be shown on the device.`);
  }
  if (!Number.isInteger(token.decimals) || token.decimals < 0 || token.decimals > 0xff) {
    throw signerError('invalid-request', `Token decimals ${token.decimals} are out of range.`);
  }
  if (!Number.isInteger(token.chainId) || token.chainId <= 0 || token.chainId > 0xffffffff) {
    throw signerError('invalid-request', `Chain id ${token.chainId} does not fit the descriptor.`);
  }
  const numbers = Buffer.alloc(8);
  numbers.writeUInt32BE(token.decimals, 0);
  numbers.writeUInt32BE(token.chainId, 4);
  return Buffer.concat([
    ticker,
    Buffer.from(strip0x(getAddress(token.contractAddress)), 'hex'),
    numbers,
  ]);
}

/** The PROVIDE_ERC20_TOKEN_INFORMATION payload: ticker length, signed body, signature. */
export function tokenDescriptorPayload(token: EvmTokenInfo): string {
  const body = tokenDescriptorBody(token);
  const signature = Buffer.from(strip0x(token.signature), 'hex');
  if (signature.length < 8 || signature[0] !== 0x30) {
    throw signerError('invalid-request', `The signature of token ${token.ticker} is not DER-encoded.`);
  }
  return Buffer.concat([Buffer.from([token.ticker.length]), body, signature]).toString('hex');
}
