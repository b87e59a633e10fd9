import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Ledger } from './ledger';

/**
 * The company's own coins of one asset in the books: its reserve (available: less what its own withdrawals hold)
 * plus fee revenue, less the network fees booked as gas expense. Gas expense is subtracted because the sweeps book
 * the gas tank's coins as the company's contribution to the reserve when they are spent (and a native sweep's fee
 * out of the deposit's coins), so the reserve alone would count coins that are gone. What is left of the holding
 * wallet beyond this backs clients' balances and is never the company's to withdraw or to spend on fees.
 */
export async function companyFunds(ledger: Ledger, assetId: string, ex?: Kysely<Database>): Promise<bigint> {
  const reserve = await ledger.available({ kind: 'company_reserve', assetId }, ex);
  const revenue = await ledger.available({ kind: 'fee_revenue', assetId }, ex);
  // Gas expense holds no pending transfers: its available is what was spent.
  const gas = await ledger.available({ kind: 'gas_expense', assetId }, ex);
  return reserve + revenue - gas;
}
