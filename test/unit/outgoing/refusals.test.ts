import { describe, expect, it } from 'vitest';
import { BroadcastRejectedError } from '@engine/chains/errors';
import { classifyEvmRefusal, classifyTronRefusal, REFUSALS, refusalOf, type RefusalKind } from '@engine/outgoing/refusals';

/** A JSON-RPC error as ethers v6 hands it over: the node's answer under `error` (or `info.error`). */
const rpcError = (message: string, code = -32000) => Object.assign(new Error(`could not coalesce error (${message})`), { error: { code, message } });

describe('EVM refusals, in the words of the nodes we talk to', () => {
  it.each<[string, string, RefusalKind]>([
    ['geth / bor', 'replacement transaction underpriced', 'replacement_underpriced'],
    ['anvil', 'replacement transaction underpriced', 'replacement_underpriced'],
    ['geth / bor', 'transaction underpriced: tip needed 25000000000, tip permitted 1500000000', 'fee_too_low'],
    ['bor (min tip)', 'transaction underpriced', 'fee_too_low'],
    ['anvil (base fee raised)', 'max fee per gas less than block base fee', 'fee_too_low'],
    ['bsc-geth (min gas price)', 'transaction gas price below minimum: gas tip cap 1000000000, minimum needed 3000000000', 'fee_too_low'],
    ['geth', 'nonce too low: next nonce 5, tx nonce 4', 'nonce_too_low'],
    ['geth', 'already known', 'already_known'],
    ['anvil', 'transaction already imported', 'already_known'],
    ['erigon', 'ALREADY_EXISTS: already known', 'already_known'],
    ['geth', 'insufficient funds for gas * price + value: balance 0, tx cost 21000000', 'insufficient_funds'],
    ['geth', 'intrinsic gas too low: gas 20000, minimum needed 21000', 'intrinsic_gas_too_low'],
    ['geth (eth_call / estimate)', 'execution reverted: ERC20: transfer amount exceeds balance', 'execution_reverted'],
    ['geth', 'exceeds block gas limit', 'other'],
  ])('%s: "%s" is %s', (_node, message, kind) => {
    expect(classifyEvmRefusal(rpcError(message))).toBe(kind);
  });

  it('reads the node text ethers keeps under info.error when it rewrote the message', () => {
    const error = Object.assign(new Error('nonce has already been used'), { code: 'NONCE_EXPIRED', info: { error: { code: -32003, message: 'nonce too low' } } });
    expect(classifyEvmRefusal(error)).toBe('nonce_too_low');
  });
});

describe('Tron refusals, by java-tron response code', () => {
  it.each<[string, RefusalKind]>([
    ['DUP_TRANSACTION_ERROR', 'duplicate'],
    ['TAPOS_ERROR', 'tapos'],
    ['TRANSACTION_EXPIRATION_ERROR', 'expired'],
    ['BANDWITH_ERROR', 'bandwidth'],
    ['OUT_OF_ENERGY', 'out_of_energy'],
    ['SERVER_BUSY', 'server_busy'],
    ['NOT_ENOUGH_EFFECTIVE_CONNECTION', 'server_busy'],
    ['SIGERROR', 'signature'],
    ['CONTRACT_VALIDATE_ERROR', 'contract_invalid'],
    ['SOMETHING_NEW', 'other'],
  ])('%s is %s', (code, kind) => {
    expect(classifyTronRefusal(code)).toBe(kind);
  });
});

it('every refusal class has a next step and words for an officer without node codes', () => {
  for (const [kind, rule] of Object.entries(REFUSALS)) {
    expect(rule.next, kind).toMatch(/^(track|reprice|check_mined|wait_funds|rebuild|retry_later|give_up)$/);
    expect(rule.explanation, kind).not.toMatch(/[A-Z]{3,}_|0x[0-9a-f]{8}/);
  }
});

it('only a node refusal has a refusal kind; a dead endpoint is not one', () => {
  expect(refusalOf(new BroadcastRejectedError('tron', 'ab', 'TAPOS_ERROR', 'Tapos check error.', 'tapos'))).toBe('tapos');
  expect(refusalOf(new Error('connect ECONNREFUSED 127.0.0.1:8545'))).toBeNull();
});
