import type { Asset } from '@shared/domain/assets';
import type { ChainAdapter } from '../chains/adapter';
import type { SweepRow } from '../db/schema';
import type { Ledger, TransferRequest } from '../ledger/ledger';

/**
 * The gas tank's change at a deposit address: what the tank placed there (booked as deposit_gas when mined) less
 * the token sweeps' fees paid from it. A gas return sends it back to the tank from the address's own key.
 *
 * Why a transfer to the tank of its own and not one transfer to holding: the holding wallet's keys stay on the
 * Ledger device, so coins swept there never refill the tank without an officer; sent back, they pay the next
 * sweeps. The return pays its own network fee out of the change (company coins), so neither the client's native
 * deposits nor the holding wallet ever pay for it, and it is sent only when the fee is less than the change it
 * recovers. A native sweep to holding meets the address with its change already returned (or too small to return,
 * then it rides along to holding as before, booked as company coins there).
 */

/** The change booked at the address's deposit_gas account (the ledger's word for it, not a balance read). */
export async function gasChangeAt(ledger: Ledger, native: Asset, walletId: string): Promise<bigint> {
  const posted = BigInt((await ledger.balance({ kind: 'deposit_gas', assetId: native.id, walletId })).posted);
  return posted > 0n ? posted : 0n;
}

/** Worth sending back when the network fee of sending it is less than the change it recovers (the tank gains). */
export function worthReturning(change: bigint, fee: bigint): boolean {
  return change > 0n && fee < change;
}

/** The fee quote of sending `change` from the deposit address to the tank, and whether it is worth it. */
export async function quoteReturn(adapter: ChainAdapter, native: Asset, from: string, tank: string, change: bigint): Promise<{ fee: bigint; worth: boolean }> {
  const quote = await adapter.estimateFee({ asset: native, from, to: tank, amount: change });
  return { fee: quote.maxFee, worth: worthReturning(change, quote.maxFee) };
}

/**
 * A mined gas return in the ledger. The gas tank is company money the ledger does not carry (its coins enter the
 * books as company_reserve when they are placed at an address), so coins going back to it leave the books the same
 * way: deposit_gas down by what was sent against company_reserve (the mirror of the placement), and the network
 * fee as gas expense out of deposit_gas (the company paying, from its own coins at the address). What a fee
 * quote kept back and the chain did not charge stays on deposit_gas, still at the address.
 */
export function gasReturnBookings(sweep: SweepRow, native: Asset, txHash: string, moved: bigint, feePaid: bigint, key: (base: string) => string): TransferRequest[] {
  const cause = { type: 'sweep', id: sweep.id };
  const depositGas = { kind: 'deposit_gas' as const, assetId: native.id, walletId: sweep.wallet_id };
  // The keys of any sweep's booking (its move, its transaction's fee): a reorg's unbooking reverses them alike.
  const requests: TransferRequest[] = [
    { idempotencyKey: key(`sweep:${sweep.id}`), debit: { kind: 'company_reserve', assetId: native.id }, credit: depositGas, amount: moved, code: 'gas', cause, memo: 'Gas change returned to the gas tank' },
  ];
  if (feePaid > 0n) {
    requests.push({ idempotencyKey: key(`sweep:${sweep.id}:gas:${txHash}`), debit: { kind: 'gas_expense', assetId: native.id }, credit: depositGas, amount: feePaid, code: 'gas', cause, memo: 'Network fee of returning gas change' });
  }
  return requests;
}
