import { useState } from 'react';
import { useEngineEvents } from '../store/engine-events';
import { OffRamps } from './ramps/OffRamps';
import { OnRamps } from './ramps/OnRamps';

/** On-ramp and off-ramp pipelines by state, each row with the officer's next action. */
export function Ramps() {
  const [tab, setTab] = useState<'on' | 'off'>('on');
  const [version, setVersion] = useState(0);
  // A ramp moved (another operator's step, an expiry) or an off-ramp's crypto leg moved with its withdrawal.
  useEngineEvents((event) => {
    if (event.type === 'ramp.status' || event.type === 'withdrawal.status') setVersion((v) => v + 1);
  });
  const changed = () => setVersion((v) => v + 1);
  return (
    <div className="stack">
      <div className="segmented" role="tablist" aria-label="Ramp" style={{ alignSelf: 'flex-start' }}>
        <button type="button" role="tab" aria-selected={tab === 'on'} className={tab === 'on' ? 'segmented__item segmented__item--on' : 'segmented__item'} onClick={() => setTab('on')} data-testid="ramps-tab-on">
          On-ramp (fiat → crypto)
        </button>
        <button type="button" role="tab" aria-selected={tab === 'off'} className={tab === 'off' ? 'segmented__item segmented__item--on' : 'segmented__item'} onClick={() => setTab('off')} data-testid="ramps-tab-off">
          Off-ramp (crypto → fiat)
        </button>
      </div>
      {tab === 'on' ? <OnRamps version={version} onChanged={changed} /> : <OffRamps version={version} onChanged={changed} />}
    </div>
  );
}
