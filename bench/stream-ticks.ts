import { startFakeBinance } from '../tests/fakes/binance-server'
import { resolve } from 'node:path'
import { EngineManager } from '../src/host/engine-manager'
import { spawnNodeEngine } from '../src/host/engine-spawn-node'
import { percentile, round, type Metric } from './metric'

const until = async (check: () => boolean, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * 500 crypto pairs streamed from a local Binance-format websocket at 10 ticks/s each, through the
 * real, forked engine (stream client, merge onto REST quotes, quote check, alerts guard,
 * coalescer, IPC) to the batches the host forwards to renderers.
 */
export async function measureStreamTicks(options: { symbols?: number; perSymbolHz?: number; seconds?: number } = {}): Promise<Metric[]> {
  const count = options.symbols ?? 500
  const hz = options.perSymbolHz ?? 10
  const seconds = options.seconds ?? 5
  const fake = await startFakeBinance({ weightLimit: 1_000_000 })
  const pairs = Array.from({ length: count }, (_, i) => `T${String(i).padStart(3, '0')}`)
  for (const base of pairs) {
    fake.setTicker(`${base}USDT`, { baseAsset: base, quoteAsset: 'USDT', status: 'TRADING', lastPrice: '100.00', openPrice: '99.00', highPrice: '101.00', lowPrice: '98.00', volume: '1000', quoteVolume: '100000' })
  }
  const symbols = pairs.map((base) => `${base}-USD`)
  const env = { ...process.env, TICKERDESK_BINANCE_URL: fake.url, TICKERDESK_BINANCE_WS_URL: fake.wsUrl }
  const engine = new EngineManager({ spawn: () => spawnNodeEngine(resolve('out/main/engine.js'), { env, log: () => {} }) })
  const priced = new Set<string>()
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  let delivered = 0
  engine.onEvent((event) => {
    if (event.type !== 'quotes') return
    const at = performance.now()
    for (const patch of event.patches) {
      if (patch.price === undefined) continue
      priced.add(patch.symbol)
      const sent = sentAt.get(`${patch.symbol} ${patch.price}`)
      if (sent !== undefined) {
        delivered++
        latencies.push(at - sent)
      }
    }
  })
  try {
    await engine.start()
    engine.send({ type: 'configure', config: { provider: 'binance', refreshIntervalSec: 5, flushIntervalMs: 16 } })
    engine.send({ type: 'set-interest', consumer: 'bench', symbols })
    await until(() => priced.size === count, 30_000, 'a REST quote for every pair')
    await until(() => fake.subscriptions().flat().length >= count, 30_000, 'the stream to carry every pair')

    let seq = 0
    const started = performance.now()
    const timer = setInterval(() => {
      seq++
      for (let i = 0; i < count; i++) {
        const price = round(100 + seq * 0.01 + i * 0.0001, 4)
        sentAt.set(`${symbols[i]} ${price}`, performance.now())
        fake.pushTicker(`${pairs[i]}USDT`, { lastPrice: price.toFixed(4) })
      }
    }, 1000 / hz)
    await new Promise((r) => setTimeout(r, seconds * 1000))
    clearInterval(timer)
    const elapsed = (performance.now() - started) / 1000
    // Let the last pushes drain through the engine before counting.
    await new Promise((r) => setTimeout(r, 500))
    if (delivered === 0) throw new Error('no streamed tick reached a batch')
    return [
      { metric: 'stream_ticks_per_s', value: Math.round(delivered / elapsed), unit: 'ticks/s' },
      { metric: 'stream_ticks_offered_per_s', value: Math.round(sentAt.size / elapsed), unit: 'ticks/s' },
      { metric: 'stream_tick_to_batch_p99_ms', value: round(percentile(latencies, 99), 1), unit: 'ms' }
    ]
  } finally {
    await engine.dispose()
    await fake.close()
  }
}
