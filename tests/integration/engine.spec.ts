import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineState } from '../../src/shared/ipc/contract'
import type { EngineEvent } from '../../src/shared/ipc/engine-protocol'
import type { QuotePatch } from '../../src/shared/quote'
import type { EngineChild } from '../../src/host/engine-handle'
import { EngineManager } from '../../src/host/engine-manager'
import { spawnNodeEngine } from '../../src/host/engine-spawn-node'

const ROOT = resolve(__dirname, '../..')
const ENGINE = resolve(ROOT, 'out/main/engine.js')
const SYMBOLS = ['AAPL', 'MSFT', 'BTC-USD']

async function waitFor(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('engine process (built bundle, forked with plain Node)', () => {
  const children: EngineChild[] = []
  const states: EngineState[] = []
  const events: EngineEvent[] = []
  const logs: string[] = []
  let manager: EngineManager

  beforeAll(() => {
    if (!existsSync(ENGINE)) execSync('npx electron-vite build', { cwd: ROOT, stdio: 'inherit', timeout: 180_000 })
    manager = new EngineManager({
      spawn: () => {
        const child = spawnNodeEngine(ENGINE, { env: { ...process.env, TICKERDESK_SIM_SEED: '11' } })
        children.push(child)
        return child
      },
      log: (level, message) => logs.push(`${level}: ${message}`),
      backoff: { initialMs: 200, maxMs: 1_000 }
    })
    manager.onState((state) => states.push(state))
    manager.onEvent((event) => events.push(event))
  }, 200_000)

  afterAll(async () => {
    await manager?.dispose()
  })

  const patchesSince = (index: number): QuotePatch[] =>
    events.slice(index).flatMap((e) => (e.type === 'quotes' ? e.patches : []))
  const fullQuotesSince = (index: number): Set<string> =>
    new Set(patchesSince(index).filter((p) => p.price !== undefined && p.name !== undefined).map((p) => p.symbol))

  it('serves simulated quotes for subscribed symbols, restarts after SIGKILL and resumes the same symbols', async () => {
    await manager.start()
    expect(manager.state).toBe('running')
    manager.send({ type: 'configure', config: { provider: 'simulated', refreshIntervalSec: 1, flushIntervalMs: 16 } })
    manager.send({ type: 'set-interest', consumer: 'test-window', symbols: SYMBOLS })

    await waitFor('first quotes', () => fullQuotesSince(0).size === SYMBOLS.length)
    const first = patchesSince(0).find((p) => p.symbol === 'AAPL')
    expect(first).toMatchObject({ source: 'simulated', currency: 'USD' })
    expect(typeof first?.price).toBe('number')
    await waitFor('a later refresh', () => events.filter((e) => e.type === 'quotes').length >= 2)

    const victim = children[0]
    const pid = victim?.pid
    expect(pid).toBeTypeOf('number')
    const mark = events.length
    process.kill(pid as number, 'SIGKILL')

    await waitFor('reconnecting', () => states.includes('reconnecting'))
    await waitFor('restart', () => states.at(-1) === 'running' && children.length === 2)
    expect(children[1]?.pid).not.toBe(pid)
    expect(victim?.pid).toBeUndefined()

    // The new engine got the configuration and interest replayed: it sends full quotes again unasked.
    await waitFor('quotes after restart', () => fullQuotesSince(mark).size === SYMBOLS.length)
    expect([...fullQuotesSince(mark)].sort()).toEqual([...SYMBOLS].sort())
    expect(logs.some((l) => /stopped unexpectedly/.test(l))).toBe(true)

    await manager.dispose()
    expect(manager.state).toBe('stopped')
    await waitFor('child exit', () => children[1]?.pid === undefined, 5_000)
    expect(children).toHaveLength(2)
  }, 60_000)
})
