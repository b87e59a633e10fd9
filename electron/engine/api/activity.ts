import type { AssetRegistry } from '../chains/asset-registry';
import type { ConfigurationService } from '../configuration/configuration-service';
import { activityCsv } from '../activity/activity-csv';
import type { ActivityFeed } from '../activity/activity-feed';
import type { GlobalSearch } from '../activity/search';
import { roleMayCall } from '../operators/roles';
import type { AreaHandlers } from './types';

export const activityHandlers = (feed: ActivityFeed, search: GlobalSearch, assets: AssetRegistry, configuration: ConfigurationService): AreaHandlers<'activity'> => ({
  list: (request) => feed.page(request),
  exportCsv: async (filter) => {
    const network = (await configuration.get()).profile;
    const { csv, rows } = await activityCsv(feed, assets, filter, network);
    const day = new Date().toISOString().slice(0, 10);
    return { fileName: `treasury-${network}-activity-${day}.csv`, csv, rows };
  },
  // Clients are named only to a role that may read them (an approver's palette finds wallets and transactions).
  search: ({ text, limit }, context) => search.search(text, limit, { clients: context.role !== undefined && roleMayCall(context.role, 'clients:list') }),
});
