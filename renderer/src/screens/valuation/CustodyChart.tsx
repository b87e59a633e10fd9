import type { CustodyPoint } from '@shared/domain/valuation';
import { fiatText } from './fiat';

const WIDTH = 1000;
const HEIGHT = 220;
const PAD = { left: 12, right: 12, top: 14, bottom: 26 };

/**
 * Assets under custody over time, drawn by hand as SVG: client balances and company holdings per daily
 * snapshot, days spaced by the calendar (a missing day leaves a gap in the spacing, not a fake point).
 * Coordinates are only geometry; every figure shown is the engine's exact string.
 */
export function CustodyChart({ points, currency }: { points: CustodyPoint[]; currency: string }) {
  if (points.length === 0) return null;
  const days = points.map((p) => Date.parse(`${p.day}T00:00:00Z`));
  const first = days[0]!;
  const span = days[days.length - 1]! - first;
  const max = Math.max(0.01, ...points.flatMap((p) => [Number(p.clientLiabilities), Number(p.holdings)]));
  // One snapshot stands in the middle; more spread over the days they cover.
  const x = (i: number) => (span === 0 ? WIDTH / 2 : PAD.left + ((days[i]! - first) / span) * (WIDTH - PAD.left - PAD.right));
  const y = (v: string) => PAD.top + (1 - Number(v) / max) * (HEIGHT - PAD.top - PAD.bottom);
  const line = (key: 'clientLiabilities' | 'holdings') => points.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  const last = points[points.length - 1]!;
  // The top of the scale as the engine wrote it (numbers only choose which string it is).
  const highest = points.flatMap((p) => [p.clientLiabilities, p.holdings]).reduce((a, b) => (Number(b) > Number(a) ? b : a));
  return (
    <figure className="chart" data-testid="custody-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="custody-chart-title custody-chart-desc">
        <title id="custody-chart-title">Assets under custody in {currency}</title>
        <desc id="custody-chart-desc">
          {points.length} daily snapshots from {points[0]!.day} to {last.day}; on {last.day} client balances {fiatText(last.clientLiabilities, currency)} and holdings{' '}
          {fiatText(last.holdings, currency)}.
        </desc>
        {[0, 0.5, 1].map((f) => (
          <line key={f} className="chart__grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + f * (HEIGHT - PAD.top - PAD.bottom)} y2={PAD.top + f * (HEIGHT - PAD.top - PAD.bottom)} />
        ))}
        <polyline className="chart__line chart__line--clients" points={line('clientLiabilities')} />
        <polyline className="chart__line chart__line--holdings" points={line('holdings')} />
        {points.map((p, i) => (
          <g key={p.day}>
            <circle className="chart__dot chart__dot--clients" cx={x(i)} cy={y(p.clientLiabilities)} r={3}>
              <title>{`${p.day}: client balances ${fiatText(p.clientLiabilities, currency)}`}</title>
            </circle>
            <circle className="chart__dot chart__dot--holdings" cx={x(i)} cy={y(p.holdings)} r={3}>
              <title>{`${p.day}: holdings ${fiatText(p.holdings, currency)}`}</title>
            </circle>
          </g>
        ))}
        {span === 0 ? (
          <text className="chart__label" x={WIDTH / 2} y={HEIGHT - 8} textAnchor="middle">
            {last.day}
          </text>
        ) : (
          <>
            <text className="chart__label" x={PAD.left} y={HEIGHT - 8}>
              {points[0]!.day}
            </text>
            <text className="chart__label" x={WIDTH - PAD.right} y={HEIGHT - 8} textAnchor="end">
              {last.day}
            </text>
          </>
        )}
      </svg>
      <figcaption className="chart__legend">
        <span className="chart__key chart__key--clients">Client balances (assets under custody)</span>
        <span className="chart__key chart__key--holdings">Company holdings</span>
        <span className="muted">highest {fiatText(highest, currency)}</span>
      </figcaption>
    </figure>
  );
}
