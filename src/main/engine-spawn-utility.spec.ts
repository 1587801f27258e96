import { describe, expect, it, vi } from 'vitest'
import { utilityProcess } from 'electron'
import { FakeUtilityProcess } from '../../tests/setup/electron-mock'
import { ENGINE_EXEC_ARGV } from '../host/engine-exec-argv'
import { ENGINE_SERVICE_NAME, spawnUtilityEngine } from './engine-spawn-utility'

function spawn(log = vi.fn()) {
  const engine = spawnUtilityEngine('/app/out/main/engine.js', { log })
  const fork = FakeUtilityProcess.forks[0]
  if (!fork) throw new Error('utilityProcess.fork was not called')
  return { engine, child: fork.child, fork, log }
}

describe('spawnUtilityEngine', () => {
  it('forks the engine bundle as a named utility process with piped output', () => {
    const { fork } = spawn()
    expect(utilityProcess.fork).toHaveBeenCalledTimes(1)
    expect(fork.modulePath).toBe('/app/out/main/engine.js')
    expect(fork.args).toEqual([])
    expect(fork.options).toEqual({ serviceName: ENGINE_SERVICE_NAME, stdio: 'pipe', execArgv: [...ENGINE_EXEC_ARGV] })
    expect(ENGINE_SERVICE_NAME).toBe('TickerDesk Engine')
  })

  it('passes a custom environment through', () => {
    spawnUtilityEngine('/e.js', { env: { TICKERDESK_SIM_SEED: '7' } })
    expect(FakeUtilityProcess.forks[0]?.options).toMatchObject({ env: { TICKERDESK_SIM_SEED: '7' } })
  })

  it('reports pid, spawn, messages and exit through the EngineChild seam', () => {
    const { engine, child } = spawn()
    const onSpawn = vi.fn()
    const onMessage = vi.fn()
    const onExit = vi.fn()
    engine.onSpawn(onSpawn)
    engine.onMessage(onMessage)
    engine.onExit(onExit)
    expect(engine.pid).toBeUndefined()

    child.simulateSpawn(321)
    expect(onSpawn).toHaveBeenCalledTimes(1)
    expect(engine.pid).toBe(321)

    child.emit('message', { type: 'ready', pid: 321 })
    expect(onMessage).toHaveBeenCalledWith({ type: 'ready', pid: 321 })

    child.simulateExit(3)
    expect(onExit).toHaveBeenCalledWith(3)
    expect(engine.pid).toBeUndefined()
  })

  it('delivers messages while the process is alive', () => {
    const { engine, child } = spawn()
    child.simulateSpawn()
    engine.postMessage({ type: 'refresh' })
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'refresh' })
  })

  it('queues messages posted before spawn and sends them in order once it is up', () => {
    const { engine, child } = spawn()
    engine.postMessage({ type: 'configure', n: 1 })
    engine.postMessage({ type: 'refresh', n: 2 })
    expect(child.postMessage).not.toHaveBeenCalled()
    child.simulateSpawn()
    expect(child.postMessage.mock.calls).toEqual([[{ type: 'configure', n: 1 }], [{ type: 'refresh', n: 2 }]])
  })

  it('never posts to an exited process and logs the drop instead', () => {
    const { engine, child, log } = spawn()
    child.simulateSpawn()
    child.simulateExit(1)
    expect(() => engine.postMessage({ type: 'refresh' })).not.toThrow()
    expect(child.postMessage).not.toHaveBeenCalled()
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('exited'))
  })

  it('drops queued messages when the process dies before it starts', () => {
    const { engine, child, log } = spawn()
    engine.postMessage({ type: 'refresh' })
    child.simulateExit(1)
    engine.postMessage({ type: 'refresh' })
    expect(child.postMessage).not.toHaveBeenCalled()
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('Dropped 1 message'))
  })

  it('kills a live process once and never an exited one', () => {
    const { engine, child } = spawn()
    child.simulateSpawn()
    engine.kill()
    expect(child.kill).toHaveBeenCalledTimes(1)
    child.simulateExit(0)
    engine.kill()
    expect(child.kill).toHaveBeenCalledTimes(1)
  })

  it('pipes stdout and stderr into the log line by line', async () => {
    const { child, log } = spawn()
    child.stdout?.write('first li')
    child.stdout?.write('ne\nsecond line\n')
    child.stderr?.write('boom\n')
    await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(3))
    expect(log).toHaveBeenCalledWith('info', '[engine] first line')
    expect(log).toHaveBeenCalledWith('info', '[engine] second line')
    expect(log).toHaveBeenCalledWith('warn', '[engine] boom')
  })

  it('logs fatal errors reported by the utility process', () => {
    const { child, log } = spawn()
    child.emit('error', 'FatalError', 'v8::Isolate', '{}')
    expect(log).toHaveBeenCalledWith('error', expect.stringContaining('FatalError'))
  })
})
