import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { confBackend, openHostStores } from '../src/host/state'
import { startWebShell } from '../src/web/web-shell'
import { launchChromium } from './browser'
import { FeedEngine } from './feed-engine'
import { benchSymbols, percentile, round, type Metric } from './metric'

interface PageSamples {
  frames: number[]
  paints: [symbol: string, text: string, paintedAt: number][]
}

/**
 * Installed in the page: frame times from rAF timestamps, and when each price text reached a
 * frame. Kept as source text: the TypeScript loader would wrap a serialised function in helpers
 * that do not exist in the page.
 */
const INSTRUMENT = `(() => {
  const w = window
  w.__bench = { frames: [], paints: [], running: true }
  let last = -1
  const frame = (t) => {
    if (last >= 0) w.__bench.frames.push(t - last)
    last = t
    if (w.__bench.running) requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
  const pending = []
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      const el = (r.target.nodeType === Node.TEXT_NODE ? r.target.parentElement : r.target)?.closest('.price')
      const row = el?.closest('[data-symbol]')
      if (el && row) pending.push([row.getAttribute('data-symbol') ?? '', el.textContent ?? ''])
    }
    if (pending.length > 0) {
      // Vue applies the DOM changes inside the frame's rAF phase; the page's style, layout and
      // paint for that frame run before any task queued now, so a message task records the
      // time the frame's paint was committed on the main thread.
      const batch = pending.splice(0)
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        const at = performance.timeOrigin + performance.now()
        for (const [symbol, text] of batch) w.__bench.paints.push([symbol, text, at])
        channel.port1.close()
      }
      channel.port2.postMessage(0)
    }
  })
  observer.observe(document.querySelector('[role="table"]'), { subtree: true, childList: true, characterData: true })
})()`

/**
 * rAF timestamps carry sub-millisecond jitter (an on-time frame reads 16.5–16.8 ms), so each
 * interval is counted in whole display refreshes: on time is one refresh, a dropped frame two.
 */
export function frameTimes(deltas: readonly number[]): { times: number[]; droppedPct: number } {
  const refresh = percentile(deltas, 50)
  let dropped = 0
  const times = deltas.map((d) => {
    const refreshes = Math.max(1, Math.round(d / refresh))
    dropped += refreshes - 1
    return refreshes * refresh
  })
  return { times, droppedPct: (100 * dropped) / Math.max(1, deltas.length + dropped) }
}

/**
 * The real renderer in Chromium, through the real web shell and host core: a 1,000-row watchlist
 * receiving `rate` quote updates per second for `seconds`.
 */
export async function measureUiFrames(options: { rows?: number; rate?: number; seconds?: number } = {}): Promise<Metric[]> {
  const rows = options.rows ?? 1000
  const rate = options.rate ?? 10_000
  const seconds = options.seconds ?? 10
  const symbols = benchSymbols(rows)
  const dataDir = mkdtempSync(join(tmpdir(), 'tickerdesk-bench-ui-'))
  const stores = openHostStores(confBackend(dataDir), { now: Date.now, onNotice: () => {} })
  stores.appState.saveWatchlists({ lists: [{ id: 'bench', name: `Bench ${rows}`, symbols }], activeId: 'bench' })
  stores.dispose()

  const engine = new FeedEngine()
  const shell = await startWebShell({ port: 0, host: '127.0.0.1', dataDir, rendererDir: resolve('out/renderer'), engine, env: {} })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(shell.url)
    await page.locator('[role="table"] [data-symbol]').first().waitFor()
    await page.evaluate(INSTRUMENT)
    engine.run(rate)
    await page.waitForTimeout(seconds * 1000)
    engine.stop()
    const samples = (await page.evaluate('(() => { window.__bench.running = false; return window.__bench })()')) as PageSamples
    const latencies: number[] = []
    for (const [symbol, text, paintedAt] of samples.paints) {
      const cents = Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100)
      const sentAt = engine.sentAt.get(`${symbol} ${cents}`)
      if (sentAt !== undefined) latencies.push(paintedAt - sentAt)
    }
    if (latencies.length < 100) throw new Error(`only ${latencies.length} price changes reached the screen`)
    const frames = frameTimes(samples.frames)
    return [
      { metric: 'ui_frame_p95_ms', value: round(percentile(frames.times, 95)), unit: 'ms' },
      { metric: 'ui_frame_p50_ms', value: round(percentile(frames.times, 50)), unit: 'ms' },
      { metric: 'ui_frame_raw_p95_ms', value: round(percentile(samples.frames, 95)), unit: 'ms' },
      { metric: 'ui_frames_dropped_pct', value: round(frames.droppedPct), unit: '%' },
      { metric: 'ui_tick_to_paint_p99_ms', value: round(percentile(latencies, 99)), unit: 'ms' },
      { metric: 'ui_tick_to_paint_p50_ms', value: round(percentile(latencies, 50)), unit: 'ms' },
      { metric: 'ui_updates_offered_per_s', value: Math.round(engine.generated / seconds), unit: 'updates/s' },
      { metric: 'ui_price_paints_measured', value: latencies.length, unit: 'paints' }
    ]
  } finally {
    await browser.close()
    await shell.close()
  }
}
