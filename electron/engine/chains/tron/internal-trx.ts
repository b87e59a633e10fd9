import type { BlockRef, ObservedStray } from '@engine/chains/adapter';
import { tronAddressFromHex } from './address';
import { int64, type NodeTransactionInfo } from './node-client';

/**
 * TRX that contract calls inside one transaction moved to our addresses: internal transactions not rejected, their
 * callValueInfo entries without a tokenId (those with one are TRC-10). Numbered as the EVM scan numbers its
 * internal calls (-2 - n over the value-moving ones), so each has a stable event index.
 */
export function internalTrx(info: NodeTransactionInfo, ref: BlockRef, recipients: ReadonlySet<string>): ObservedStray[] {
  const found: ObservedStray[] = [];
  let n = 0;
  for (const internal of info.internal_transactions ?? []) {
    const value = (internal.callValueInfo ?? []).filter((v) => !v.tokenId).reduce((sum, v) => sum + (v.callValue === undefined ? 0n : int64(v.callValue, 'callValue')), 0n);
    if (internal.rejected || value <= 0n || !internal.transferTo_address || !internal.caller_address) continue;
    const index = n++;
    const to = tronAddressFromHex(internal.transferTo_address);
    if (!recipients.has(to)) continue;
    found.push({
      chain: 'tron',
      kind: 'internal_native',
      contract: null,
      txHash: info.id!,
      eventIndex: -2 - index,
      blockNumber: ref.number,
      blockHash: ref.hash,
      from: tronAddressFromHex(internal.caller_address),
      to,
      amount: value,
    });
  }
  return found;
}

