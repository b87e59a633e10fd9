import type { RampEventView } from '@shared/domain/ramps';

export function RampHistory({ history }: { history: RampEventView[] }) {
  if (history.length === 0) return null;
  return (
    <ol className="timeline" data-testid="ramp-history">
      {history.map((event, index) => (
        <li key={index} className="timeline__item">
          <span className="timeline__dot" aria-hidden />
          <div>
            <strong>{event.to.replace('_', ' ')}</strong>
            <div className="muted small">
              {new Date(event.at).toLocaleString()} · by {event.operator}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
