import { isIP } from 'node:net';

/**
 * Loopback, private and link-local hosts: a node there is somebody's own (or a devnet), never a public
 * endpoint, so a mainnet workspace uses one only when the officer says the node is theirs.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  const family = isIP(host);
  if (family === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (family === 6) {
    if (host === '::1' || host === '::') return true;
    if (host.startsWith('::ffff:')) return isPrivateHost(mappedIpv4(host.slice(7)));
    return /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}

/** An IPv4-mapped IPv6 tail ("7f00:1" as URL parsing writes it, or "127.0.0.1") as dotted IPv4. */
function mappedIpv4(tail: string): string {
  if (isIP(tail) === 4) return tail;
  const [high, low] = tail.split(':').map((group) => Number.parseInt(group, 16));
  if (high === undefined || low === undefined || Number.isNaN(high) || Number.isNaN(low)) return tail;
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
