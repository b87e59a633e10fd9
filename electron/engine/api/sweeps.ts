import { fromBaseUnits } from '@shared/money';
import { ruleView, type SweepRules } from '../sweep/sweep-rules';
import type { SweepRunner } from '../sweep/sweep-runner';
import type { WatchService } from '../watch/watch-service';
import type { AreaHandlers } from './types';

export const sweepHandlers = (runner: SweepRunner, rules: SweepRules, watch: WatchService): AreaHandlers<'sweeps'> => ({
  list: (request) => runner.list(request),
  rules: async ({ chain }) => (await rules.all(chain)).map(ruleView),
  updateRule: async (request, context) =>
    ruleView(await rules.update({ ...request, minAmount: fromBaseUnits(request.minAmount) }, context.operator)),
  sweepNow: (request, context) => runner.sweepNow(request, context.operator),
  sweepChain: (request, context) => runner.sweepChain(request, context.operator),
  gasTanks: () => runner.gasTanks(),
  alerts: (request) => watch.alerts(request),
});
