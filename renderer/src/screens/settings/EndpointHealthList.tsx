import type { Chain } from '@shared/domain/chains';
import type { EndpointHealth } from '@shared/domain/configuration';
import { endpointHealthWords } from '../../words/endpoints';

/** A chain's endpoints in order of preference with what the engine last found of each. */
export function EndpointHealthList({ chain, endpoints }: { chain: Chain; endpoints: EndpointHealth[] }) {
  return (
    <ul className="endpoint-health" data-testid={`endpoint-health-${chain}`} aria-label="Endpoint health">
      {endpoints.map((e) => (
        <li key={e.url}>
          <span className="endpoint-health__url" title={e.url}>
            {e.url}
          </span>
          <span className={e.state === 'refused' || (e.state === 'resting' && !e.active) ? 'bad' : e.active ? 'ok' : 'muted'}>{endpointHealthWords(e)}</span>
        </li>
      ))}
    </ul>
  );
}
