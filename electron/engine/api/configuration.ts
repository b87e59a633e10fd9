import type { AreaHandlers } from './types';
import type { ConfigurationService } from '../configuration/configuration-service';

export const configurationHandlers = (configuration: ConfigurationService): AreaHandlers<'configuration'> => ({
  get: () => configuration.get(),
  update: (request) => configuration.update(request),
});
