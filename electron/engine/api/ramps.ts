import { fromBaseUnits } from '@shared/money';
import type { OffRampService } from '../ramps/offramp-service';
import type { OnRampService } from '../ramps/onramp-service';
import type { RampSettings } from '../ramps/ramp-settings';
import type { OffRampSimulator } from '../ramps/offramp-simulation';
import type { OnRampView } from '@shared/domain/ramps';
import { onRampActions } from '../controls/allowed-actions';
import type { AreaHandlers, CallContext } from './types';

const withActions = (view: OnRampView, context: CallContext): OnRampView => ({ ...view, allowedActions: onRampActions(view, context) });

export const rampHandlers = (settings: RampSettings, onRamps: OnRampService, offRamps: OffRampService, simulator: OffRampSimulator): AreaHandlers<'ramps'> => ({
  settings: () => settings.get(),
  setReceivingAccount: (request, context) => settings.setReceivingAccount(request, context.operator),
  setOffRampDestination: ({ chain, address }, context) => settings.setOffRampDestination(chain, address, context.operator),
  setOnRampTtl: ({ hours }, context) => settings.setOnRampTtl(hours, context.operator),

  requestOnRamp: async (request, context) => withActions(await onRamps.request({ ...request, amount: fromBaseUnits(request.amount) }, context.operator), context),
  recordOnRampFiat: async (request, context) => withActions(await onRamps.recordFiat({ ...request, amount: fromBaseUnits(request.amount) }, context.operator), context),
  verifyOnRamp: async (request, context) => withActions(await onRamps.verify(request, context.operator), context),
  quoteOnRamp: async (request, context) => withActions(await onRamps.quote({ ...request, fee: fromBaseUnits(request.fee) }, context.operator), context),
  creditOnRamp: async (request, context) => withActions(await onRamps.credit({ ...request, cryptoAmount: fromBaseUnits(request.cryptoAmount) }, context.operator), context),
  approveOnRampCredit: async ({ onRampId }, context) => withActions(await onRamps.approveCredit(onRampId, context.operator), context),
  completeOnRamp: async ({ onRampId }, context) => withActions(await onRamps.complete(onRampId, context.operator), context),
  cancelOnRamp: async (request, context) => withActions(await onRamps.cancel(request, context.operator), context),
  expireOnRamps: async (_request, context) => ({ expired: await onRamps.expireStale(context.operator) }),
  getOnRamp: async ({ onRampId }, context) => withActions(await onRamps.get(onRampId), context),
  listOnRamps: async (request, context) => {
    const page = await onRamps.list(request);
    return { ...page, items: page.items.map((item) => withActions(item, context)) };
  },

  requestOffRamp: (request, context) => offRamps.request({ ...request, amount: fromBaseUnits(request.amount) }, context.operator),
  simulateOffRamp: (request) => simulator.simulate({ ...request, amount: fromBaseUnits(request.amount) }),
  sendOffRampCrypto: ({ offRampId }, context) => offRamps.sendCrypto(offRampId, context.operator),
  followOffRamp: ({ offRampId }, context) => offRamps.follow(offRampId, context.operator),
  convertOffRamp: (request, context) => offRamps.convert({ ...request, fee: fromBaseUnits(request.fee) }, context.operator),
  recordOffRampPayout: (request, context) => offRamps.recordPayout(request, context.operator),
  completeOffRamp: ({ offRampId }, context) => offRamps.complete(offRampId, context.operator),
  refundOffRamp: (request, context) => offRamps.refund(request, context.operator),
  getOffRamp: ({ offRampId }) => offRamps.get(offRampId),
  listOffRamps: (request) => offRamps.list(request),
});
