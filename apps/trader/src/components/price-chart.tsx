'use client';
// Candlesticks with volume (lightweight-charts). Each interval: REST klines, then `@kline_<interval>`; whenever the
// stream (re)subscribes the REST read is repeated, so candles missed while disconnected are filled in.
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { toPlotNumber } from '../lib/decimal';
import {
  candleFromEvent,
  candleFromRow,
  chartCandlesLoaded,
  chartIntervals,
  mergeCandle,
  type Candle,
  type ChartInterval,
  type KlineEvent,
} from '../lib/klines';
import { useGateway, useStream } from './gateway-provider';
import { useTheme } from './theme-toggle';

const intervalStorageKey = 'exbox.chartInterval';

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export function PriceChart({ symbol, priceDigits }: { symbol: string; priceDigits: number }) {
  const { rest } = useGateway();
  const theme = useTheme();
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const candleSeries = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volumeSeries = useRef<ISeriesApi<'Histogram'> | null>(null);
  const candles = useRef<Candle[]>([]);
  const [interval, setInterval] = useState<ChartInterval>('15m');
  const [state, setState] = useState<'loading' | 'ready' | 'empty' | 'error'>('loading');

  useEffect(() => {
    const saved = localStorage.getItem(intervalStorageKey);
    if ((chartIntervals as readonly string[]).includes(saved ?? '')) setInterval(saved as ChartInterval);
  }, []);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const created = createChart(element, { autoSize: true, timeScale: { timeVisible: true, secondsVisible: false } });
    candleSeries.current = created.addSeries(CandlestickSeries, {
      priceFormat: { type: 'price', precision: priceDigits, minMove: 10 ** -priceDigits },
    });
    volumeSeries.current = created.addSeries(HistogramSeries, { priceScaleId: '', priceFormat: { type: 'volume' } });
    volumeSeries.current.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    candleSeries.current.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    chart.current = created;
    return () => {
      created.remove();
      chart.current = null;
      candleSeries.current = null;
      volumeSeries.current = null;
    };
  }, [priceDigits]);

  useEffect(() => {
    const up = cssVariable('--up');
    const down = cssVariable('--down');
    chart.current?.applyOptions({
      layout: {
        background: { type: ColorType.Solid, color: cssVariable('--panel') },
        textColor: cssVariable('--muted'),
      },
      grid: { vertLines: { color: cssVariable('--border') }, horzLines: { color: cssVariable('--border') } },
      rightPriceScale: { borderColor: cssVariable('--border') },
      timeScale: { borderColor: cssVariable('--border') },
    });
    candleSeries.current?.applyOptions({
      upColor: up,
      downColor: down,
      wickUpColor: up,
      wickDownColor: down,
      borderVisible: false,
    });
  }, [theme, priceDigits]);

  const handlers = useMemo(() => {
    const volumeBar = (candle: Candle) => ({
      time: candle.timeSec as UTCTimestamp,
      value: toPlotNumber(candle.volume),
      color: toPlotNumber(candle.close) >= toPlotNumber(candle.open) ? 'rgba(14,203,129,0.35)' : 'rgba(246,70,93,0.35)',
    });
    const bar = (candle: Candle) => ({
      time: candle.timeSec as UTCTimestamp,
      open: toPlotNumber(candle.open),
      high: toPlotNumber(candle.high),
      low: toPlotNumber(candle.low),
      close: toPlotNumber(candle.close),
    });
    let generation = 0;
    return {
      onSubscribed: () => {
        const mine = ++generation;
        rest
          .klines(symbol, interval, chartCandlesLoaded)
          .then((rows) => {
            if (mine !== generation) return;
            // Live candles that arrived while the read was in flight are newer: keep them on top.
            const loaded = rows.map(candleFromRow);
            for (const live of candles.current) mergeCandle(loaded, live);
            candles.current = loaded;
            candleSeries.current?.setData(loaded.map(bar));
            volumeSeries.current?.setData(loaded.map(volumeBar));
            setState(loaded.length === 0 ? 'empty' : 'ready');
          })
          .catch(() => {
            if (mine === generation) setState('error');
          });
      },
      onData: (event: KlineEvent) => {
        const candle = candleFromEvent(event);
        if (mergeCandle(candles.current, candle) === 'ignored') return;
        candleSeries.current?.update(bar(candle));
        volumeSeries.current?.update(volumeBar(candle));
        setState('ready');
      },
    };
  }, [rest, symbol, interval]);

  useEffect(() => {
    candles.current = [];
    candleSeries.current?.setData([]);
    volumeSeries.current?.setData([]);
    setState('loading');
  }, [symbol, interval]);

  useStream(`${symbol.toLowerCase()}@kline_${interval}`, handlers);

  return (
    <section className="panel area-chart" aria-label="Price chart">
      <div className="chart-toolbar">
        <span className="muted">Time</span>
        <div className="tabs">
          {chartIntervals.map((name) => (
            <button
              key={name}
              type="button"
              className="tab"
              aria-pressed={interval === name}
              onClick={() => {
                setInterval(name);
                localStorage.setItem(intervalStorageKey, name);
              }}
            >
              {name}
            </button>
          ))}
        </div>
      </div>
      <div className="chart-canvas" ref={container} data-testid="price-chart">
        {state !== 'ready' && (
          <div className="chart-overlay">
            {state === 'loading'
              ? 'Loading chart…'
              : state === 'empty'
                ? 'No trades yet on this market'
                : 'Chart unavailable; retrying when the connection returns'}
          </div>
        )}
      </div>
    </section>
  );
}
