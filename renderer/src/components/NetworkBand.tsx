import { useEffect } from 'react';
import type { NetworkProfile } from '@shared/domain/chains';
import { useSystem } from '../store/system';

/** What each network's workspace holds, said beside its name so nobody mistakes one for another. */
const NETWORK_MEANING: Record<NetworkProfile, string> = {
  mainnet: 'Real funds on the public chains',
  testnet: 'Public test chains: these coins have no value',
  devnet: 'Local chains on this machine: nothing here is real',
};

/**
 * The band across the top of every screen, the gate included: the network of the workspace this window is
 * in, in a colour of its own (mainnet sober, testnet amber, devnet magenta), and in the window title.
 */
export function NetworkBand() {
  const network = useSystem((s) => s.status?.profile);
  useEffect(() => {
    document.title = network ? `Treasury — ${network.toUpperCase()}` : 'Treasury';
  }, [network]);
  return (
    <div className={`network-band network-band--${network ?? 'unknown'}`} data-testid="network-band" role="banner" aria-label="Network">
      {network ? (
        <>
          <strong className="network-band__name">{network}</strong>
          <span className="network-band__meaning">{NETWORK_MEANING[network]}</span>
        </>
      ) : (
        <span className="network-band__meaning">Connecting to the engine…</span>
      )}
    </div>
  );
}
