import { fromBaseUnits } from '@shared/money';
import { ruleView, type SweepRules } from '../sweep/sweep-rules';
import type { SweepRunner } from '../sweep/sweep-runner';
import type { AlertCenter } from '../alerts/alert-center';
import type { ConfigurationService } from '../configuration/configuration-service';
import type { AreaHandlers } from './types';

export const sweepHandlers = (runner: SweepRunner, rules: SweepRules, alerts: AlertCenter, configuration: ConfigurationService): AreaHandlers<'sweeps'> => ({
  list: (request) => runner.list(request),
  rules: async ({ chain }) => (await rules.all(chain)).map(ruleView),
  updateRule: async (request, context) =>
    ruleView(await rules.update({ ...request, minAmount: fromBaseUnits(request.minAmount) }, context.operator)),
  sweepNow: (request, context) => runner.sweepNow(request, context.operator),
  sweepChain: (request, context) => runner.sweepChain(request, context.operator),
  reclaimGasChange: (request, context) => runner.reclaimGasChange(request, context.operator),
  gasTanks: () => runner.gasTanks(),
  stakeEnergy: (request, context) => runner.stakeGasTankForEnergy(fromBaseUnits(request.amount), context.operator ?? 'officer'),
  unstakeEnergy: (request, context) => runner.stake.unstake(fromBaseUnits(request.amount), context.operator ?? 'officer'),
  withdrawUnstaked: (_request, context) => runner.stake.withdrawUnstaked(context.operator ?? 'officer'),
  alerts: async (request) => alerts.list((await configuration.get()).profile, request),
});
