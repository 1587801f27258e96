/**
 * `npm run bench`: measures the real code paths and ends with one JSON object per line:
 * {"metric": NAME, "value": NUMBER, "unit": UNIT}. Requires a build (the npm script builds first).
 */
import { measureAlertEval } from './alert-eval'
import { measureCachedFirstPaint } from './cached-first-paint'
import { measureDirectorySearch } from './directory-search'
import { measureEngineRss } from './engine-rss'
import { measureEngineThroughput } from './engine-throughput'
import type { Metric } from './metric'
import { measureQuota } from './quota'
import { measureStreamTicks } from './stream-ticks'
import { measureUiFrames } from './ui-frames'

const sections: [string, () => Promise<Metric[]>][] = [
  ['engine throughput (5,000 simulated symbols)', () => measureEngineThroughput()],
  ['engine process RSS (5,000 symbols)', () => measureEngineRss()],
  ['UI frames (1,000 rows, 10,000 updates/s, 10 s)', () => measureUiFrames()],
  ['cached first paint (200 symbols, offline)', () => measureCachedFirstPaint()],
  ['alert evaluation (5,000 symbols × 3 rules)', () => measureAlertEval()],
  ['quota planning (24 h virtual clock, free tiers)', () => measureQuota()],
  ['offline symbol search (100,000-symbol directory)', () => measureDirectorySearch()],
  ['streamed ticks (500 crypto pairs × 10 ticks/s)', () => measureStreamTicks()]
]

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const metrics: Metric[] = []
  let failed = false
  for (const [label, measure] of sections) {
    if (only.length > 0 && !only.some((o) => label.includes(o))) continue
    process.stderr.write(`bench: ${label}…\n`)
    try {
      metrics.push(...(await measure()))
    } catch (error) {
      failed = true
      process.stderr.write(`bench: ${label} failed: ${error instanceof Error ? error.stack : String(error)}\n`)
    }
  }
  for (const m of metrics) process.stdout.write(`${JSON.stringify(m)}\n`)
  process.exit(failed ? 1 : 0)
}

void main()
