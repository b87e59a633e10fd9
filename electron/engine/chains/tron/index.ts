export { TronAdapter, type TronAdapterOptions, type TronTransactionBody } from './tron-adapter';
export { normalizeTronAddress, tronAddressToHex } from './address';
