import { fromBaseUnits } from '@shared/money';
import type { OffRampService } from '../ramps/offramp-service';
import type { OnRampService } from '../ramps/onramp-service';
import type { RampSettings } from '../ramps/ramp-settings';
import type { OffRampSimulator } from '../ramps/offramp-simulation';
import type { AreaHandlers } from './types';

export const rampHandlers = (settings: RampSettings, onRamps: OnRampService, offRamps: OffRampService, simulator: OffRampSimulator): AreaHandlers<'ramps'> => ({
  settings: () => settings.get(),
  setReceivingAccount: (request, context) => settings.setReceivingAccount(request, context.operator),
  setOffRampDestination: ({ chain, address }, context) => settings.setOffRampDestination(chain, address, context.operator),
  setOnRampTtl: ({ hours }, context) => settings.setOnRampTtl(hours, context.operator),

  requestOnRamp: (request, context) => onRamps.request({ ...request, amount: fromBaseUnits(request.amount) }, context.operator),
  recordOnRampFiat: (request, context) => onRamps.recordFiat({ ...request, amount: fromBaseUnits(request.amount) }, context.operator),
  verifyOnRamp: (request, context) => onRamps.verify(request, context.operator),
  quoteOnRamp: (request, context) => onRamps.quote({ ...request, fee: fromBaseUnits(request.fee) }, context.operator),
  creditOnRamp: (request, context) => onRamps.credit({ ...request, cryptoAmount: fromBaseUnits(request.cryptoAmount) }, context.operator),
  completeOnRamp: ({ onRampId }, context) => onRamps.complete(onRampId, context.operator),
  cancelOnRamp: (request, context) => onRamps.cancel(request, context.operator),
  expireOnRamps: async (_request, context) => ({ expired: await onRamps.expireStale(context.operator) }),
  getOnRamp: ({ onRampId }) => onRamps.get(onRampId),
  listOnRamps: (request) => onRamps.list(request),

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
