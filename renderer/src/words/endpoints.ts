import type { EndpointFault, EndpointHealth } from '@shared/domain/configuration';

/** Why an endpoint was passed over, in the officer's words (never the client's error text). */
export const ENDPOINT_FAULT_WORDS: Record<EndpointFault, string> = {
  unreachable: 'could not be reached',
  timeout: 'did not answer in time',
  server_error: 'answered with a server failure',
  lagging: 'was behind the other endpoints',
  wrong_network: 'serves another network, so it is never used',
};

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString();
}

/** One line on an endpoint: in use or not, its head and speed, and its last fault. */
export function endpointHealthWords(e: EndpointHealth): string {
  const parts: string[] = [];
  if (e.state === 'unconfirmed') return 'Not asked until the endpoints are confirmed.';
  if (e.state === 'refused') return `Refused: it ${ENDPOINT_FAULT_WORDS.wrong_network}.`;
  parts.push(e.active ? 'In use' : e.state === 'resting' ? 'Resting' : e.state === 'unchecked' ? 'Not asked yet' : 'Standing by');
  if (e.head !== null) parts.push(`block ${e.head}${e.behindBy ? `, ${e.behindBy} behind` : ''}`);
  if (e.latencyMs !== null) parts.push(`${e.latencyMs} ms`);
  if (e.lastFault && e.lastFaultAt) parts.push(`at ${time(e.lastFaultAt)} it ${ENDPOINT_FAULT_WORDS[e.lastFault]}`);
  if (e.retryAt) parts.push(`tried again after ${time(e.retryAt)}`);
  return parts.join(' · ');
}
