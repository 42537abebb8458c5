'use client';
// A 24-hour sparkline from 1h klines (read once), its last point following the live price.
import { useQuery } from '@tanstack/react-query';
import { toPlotNumber } from '../lib/decimal';
import { useGateway } from './gateway-provider';

const width = 96;
const height = 32;

export function Sparkline({ symbol, lastPrice }: { symbol: string; lastPrice: string | undefined }) {
  const { rest } = useGateway();
  const { data } = useQuery({
    queryKey: ['sparkline', symbol],
    queryFn: () => rest.klines(symbol, '1h', 24),
  });
  if (data === undefined || data.length === 0) return <svg width={width} height={height} aria-hidden="true" />;
  const closes = data.map((row) => toPlotNumber(row[4]));
  if (lastPrice !== undefined) closes[closes.length - 1] = toPlotNumber(lastPrice);
  const min = Math.min(...closes);
  const max = Math.max(...closes);
  const span = max - min || 1;
  const points = closes
    .map(
      (close, i) =>
        `${((i / Math.max(1, closes.length - 1)) * width).toFixed(1)},${(height - 2 - ((close - min) / span) * (height - 4)).toFixed(1)}`,
    )
    .join(' ');
  const rising = (closes.at(-1) ?? 0) >= (closes[0] ?? 0);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" data-testid="sparkline">
      <polyline points={points} fill="none" stroke={rising ? 'var(--up)' : 'var(--down)'} strokeWidth="1.5" />
    </svg>
  );
}
