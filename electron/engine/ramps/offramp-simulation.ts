import type { Kysely } from 'kysely';
import { RAIL_CURRENCIES, minorUnits, type FiatCurrency } from '@shared/domain/fiat';
import type { OffRampSimulation } from '@shared/domain/ramps';
import type { BankRail } from '@shared/validation';
import { DomainError } from '@shared/result';
import type { AssetRegistry } from '../chains/asset-registry';
import type { Database } from '../db/schema';
import { convert, parseRate } from './conversion';
import type { RampEligibility } from './eligibility';

/**
 * What an off-ramp of `amount` would pay out, without holding anything: the treasury has no market feed, so
 * the rate and the fee's share are those of the last off-ramp an officer converted for the same asset into
 * the bank account's currency (its basis is named in the answer). The fee share rounds up, the payout down.
 */
export class OffRampSimulator {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly assets: AssetRegistry,
    private readonly eligibility: RampEligibility,
  ) {}

  async simulate(request: { clientId: string; walletId: string; bankAccountId: string; assetId: string; amount: bigint }): Promise<OffRampSimulation> {
    if (request.amount <= 0n) throw new DomainError('invalid_amount', 'The amount must be greater than zero.');
    const asset = await this.assets.get(request.assetId);
    await this.eligibility.client(request.clientId, this.db);
    const wallet = await this.eligibility.wallet(request.clientId, request.walletId, this.db);
    if (wallet.chain !== asset.chain) throw new DomainError('asset_mismatch', `${asset.id} is not held in a ${wallet.chain} wallet.`, { assetId: asset.id });
    const account = await this.eligibility.bankAccount(request.clientId, request.bankAccountId, this.db);
    const currencies = RAIL_CURRENCIES[account.rail as BankRail];
    const basis = await this.db
      .selectFrom('offramps')
      .select(['id', 'rate', 'fee', 'currency', 'fiat_amount', 'updated_at'])
      .where('asset_id', '=', asset.id)
      .where('rate', 'is not', null)
      .where('currency', 'in', [...currencies])
      .orderBy('updated_at', 'desc')
      .executeTakeFirst();
    if (!basis?.rate || !basis.currency || basis.fee === null || basis.fiat_amount === null) {
      throw new DomainError('ramp_not_configured', `No off-ramp of ${asset.symbol} into ${currencies.join(' or ')} has been converted yet, so there is no rate to simulate with.`, {
        assetId: asset.id,
      });
    }
    const currency = basis.currency as FiatCurrency;
    const rate = parseRate(basis.rate);
    const converted = convert(request.amount, asset.decimals, rate, minorUnits(currency));
    const basisFee = BigInt(basis.fee);
    const basisGross = BigInt(basis.fiat_amount) + basisFee;
    const fee = basisGross === 0n ? 0n : (converted * basisFee + basisGross - 1n) / basisGross;
    const final = converted - fee;
    if (final <= 0n) throw new DomainError('invalid_amount', 'After the fee nothing would be left to pay out.', { converted: converted.toString(), fee: fee.toString() });
    return {
      assetId: asset.id,
      amount: request.amount.toString(),
      currency,
      rate: rate.text,
      convertedAmount: converted.toString(),
      fee: fee.toString(),
      finalAmount: final.toString(),
      basis: { offRampId: basis.id, convertedAt: basis.updated_at },
    };
  }
}
