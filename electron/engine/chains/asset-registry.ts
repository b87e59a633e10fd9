import type { Asset } from '@shared/domain/assets';
import { wellKnownAssets } from '@shared/domain/assets';
import type { Chain } from '@shared/domain/chains';
import { DomainError } from '@shared/result';
import type { ConfigurationService } from '../configuration/configuration-service';

/**
 * The assets of the current network profile. Decimals come from here (and, for custom tokens, from the
 * contract itself), never from user input.
 */
export class AssetRegistry {
  constructor(private readonly configuration: ConfigurationService) {}

  async list(chain?: Chain): Promise<Asset[]> {
    const { profile } = await this.configuration.get();
    const assets = wellKnownAssets(profile);
    return chain ? assets.filter((a) => a.chain === chain) : assets;
  }

  async get(assetId: string): Promise<Asset> {
    const asset = (await this.list()).find((a) => a.id === assetId);
    if (!asset) throw new DomainError('not_found', `Asset ${assetId} is not available on this network profile.`, { assetId });
    return asset;
  }
}
