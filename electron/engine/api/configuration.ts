import type { ChainService } from '../chains/chain-service';
import type { AssetRegistry } from '../chains/asset-registry';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { AreaHandlers } from './types';

export const configurationHandlers = (configuration: ConfigurationService, assets: AssetRegistry, chains: ChainService): AreaHandlers<'configuration'> => ({
  get: () => configuration.get(),
  update: (request, context) => configuration.update(request, context.operator),
  confirmEndpoints: ({ chains }, context) => configuration.confirmEndpoints(chains, context.operator ?? 'system'),
  endpointHealth: () => chains.endpointHealth(),
  assets: ({ chain }) => assets.list(chain),
  addToken: ({ chain, contract }, context) => assets.addToken(chain, contract, context.operator),
});
