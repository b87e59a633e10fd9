import type { AlertCenter } from '../alerts/alert-center';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { AreaHandlers } from './types';

export const alertHandlers = (alerts: AlertCenter, configuration: ConfigurationService): AreaHandlers<'alerts'> => {
  const profile = async () => (await configuration.get()).profile;
  return {
    list: async (request) => alerts.list(await profile(), request),
    counts: async () => alerts.counts(await profile()),
    acknowledge: async ({ alertId }, context) => alerts.acknowledge(await profile(), alertId, context.operator ?? 'officer'),
    settings: () => alerts.settings(),
    updateSettings: (request, context) => alerts.updateSettings(request, context.operator ?? 'admin'),
  };
};
