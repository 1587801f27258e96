import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { EngineManager } from '../src/host/engine-manager'
import { spawnNodeEngine } from '../src/host/engine-spawn-node'
import type { EngineChild } from '../src/host/engine-handle'
import { benchSymbols, round, type Metric } from './metric'

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /VmRSS:\s+(\d+) kB/.exec(status)
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(match[1]) / 1024
}

/** Forks the built engine, subscribes 5,000 simulated symbols refreshed every second, reads its RSS. */
export async function measureEngineRss(options: { symbols?: number; seconds?: number } = {}): Promise<Metric[]> {
  const symbols = benchSymbols(options.symbols ?? 5000)
  let child: EngineChild | undefined
  let quotes = 0
  const manager = new EngineManager({
    spawn: () => {
      child = spawnNodeEngine(resolve('out/main/engine.js'), { env: { ...process.env, TICKERDESK_SIM_SEED: '11' }, log: () => {} })
      return child
    }
  })
  manager.onEvent((event) => {
    if (event.type === 'quotes') quotes += event.patches.length
  })
  await manager.start()
  manager.send({ type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 1, flushIntervalMs: 16 } })
  manager.send({ type: 'set-interest', consumer: 'bench', symbols })
  const samples: number[] = []
  const until = Date.now() + (options.seconds ?? 8) * 1000
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500))
    if (child?.pid) samples.push(rssMb(child.pid))
  }
  await manager.dispose()
  if (quotes < symbols.length) throw new Error(`engine delivered only ${quotes} quote patches for ${symbols.length} symbols`)
  return [
    { metric: 'engine_rss_mb_5000_symbols', value: round(Math.max(...samples), 1), unit: 'MB' },
    { metric: 'engine_patches_delivered_5000_symbols', value: quotes, unit: 'patches' }
  ]
}
