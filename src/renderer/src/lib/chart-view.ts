/**
 * The one place that touches lightweight-charts, so component specs can replace it (happy-dom
 * has no canvas) and everything else stays plain data (chart-data.ts).
 */
import { AreaSeries, ColorType, createChart, type IChartApi, type ISeriesApi, type Time, type TickMarkType, type UTCTimestamp } from 'lightweight-charts'
import { localCrosshairLabel, localTickLabel, type ChartPoint, type TickMarkKind } from './chart-data'

export interface ChartColors {
  background: string
  text: string
  grid: string
  line: string
  fillTop: string
  fillBottom: string
}

export interface PriceChartView {
  /** Replaces every point (a new range or symbol) and fits them in view. */
  setPoints(points: readonly ChartPoint[]): void
  /** Updates the last point or appends one after it: the cheap path for live ticks. */
  update(point: ChartPoint): void
  setColors(colors: ChartColors): void
  dispose(): void
}

export function createPriceChart(container: HTMLElement, colors: ChartColors, intraday: boolean): PriceChartView {
  const chart: IChartApi = createChart(container, {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: colors.background }, textColor: colors.text, attributionLogo: false },
    grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    rightPriceScale: { borderColor: colors.grid },
    timeScale: {
      borderColor: colors.grid,
      timeVisible: intraday,
      secondsVisible: false,
      tickMarkFormatter: (time: Time, kind: TickMarkType) => localTickLabel(time as number, kind as TickMarkKind)
    },
    localization: { timeFormatter: (time: Time) => localCrosshairLabel(time as number, intraday) },
    handleScroll: false,
    handleScale: false
  })
  const series: ISeriesApi<'Area'> = chart.addSeries(AreaSeries, {
    lineColor: colors.line,
    topColor: colors.fillTop,
    bottomColor: colors.fillBottom,
    lineWidth: 2,
    priceLineVisible: false
  })
  return {
    setPoints(points) {
      series.setData(points.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })))
      chart.timeScale().fitContent()
    },
    update(point) {
      try {
        series.update({ time: point.time as UTCTimestamp, value: point.value })
      } catch {
        // An out-of-order tick is simply not drawn.
      }
    },
    setColors(next) {
      chart.applyOptions({
        layout: { background: { type: ColorType.Solid, color: next.background }, textColor: next.text },
        grid: { vertLines: { color: next.grid }, horzLines: { color: next.grid } }
      })
      series.applyOptions({ lineColor: next.line, topColor: next.fillTop, bottomColor: next.fillBottom })
    },
    dispose() {
      chart.remove()
    }
  }
}

/** Colours from the theme's CSS variables, so the chart follows light and dark. */
export function themeChartColors(element: Element, trend: 'up' | 'down' | 'flat'): ChartColors {
  const style = getComputedStyle(element)
  const css = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback
  const line = trend === 'down' ? css('--down', '#c8232d') : trend === 'up' ? css('--up', '#0b7a43') : css('--accent', '#2563eb')
  return {
    background: css('--surface', '#ffffff'),
    text: css('--text-muted', '#5a6676'),
    grid: css('--border', '#dce1e8'),
    line,
    fillTop: withAlpha(line, 0.28),
    fillBottom: withAlpha(line, 0.02)
  }
}

function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color)
  if (hex === null) return color
  const n = Number.parseInt(hex[1] as string, 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}
