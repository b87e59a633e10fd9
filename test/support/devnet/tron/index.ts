export { startTronDevnode, type TronDevnode, type TronDevnodeOptions } from './devnode';
export { DEFAULT_PRICES, type ChainPrices } from './chain';
export { ENERGY as TRC20_ENERGY, TRANSFER_TOPIC } from './trc20';
