import type { AssetRegistry } from '../chains/asset-registry';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { AreaHandlers } from './types';

export const configurationHandlers = (configuration: ConfigurationService, assets: AssetRegistry): AreaHandlers<'configuration'> => ({
  get: () => configuration.get(),
  update: (request) => configuration.update(request),
  assets: ({ chain }) => assets.list(chain),
});
