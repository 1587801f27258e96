import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINE_EXEC_ARGV } from './engine-exec-argv'
import { spawnNodeEngine } from './engine-spawn-node'

const ECHO_CHILD = `
process.send({ type: 'ready', pid: process.pid })
console.log('hello from the child')
process.on('message', (m) => {
  if (m && m.type === 'bye') process.exit(3)
  process.send({ echo: m, env: process.env.ECHO_MARK })
})
`

function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve()
      else if (Date.now() > deadline) reject(new Error('timed out'))
      else setTimeout(poll, 10)
    }
    poll()
  })
}

describe('spawnNodeEngine', () => {
  let dir: string
  let script: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tickerdesk-spawn-'))
    script = join(dir, 'echo.js')
    writeFileSync(script, ECHO_CHILD)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('forks the script, exchanges messages, pipes output to the log and reports the exit code', async () => {
    const lines: string[] = []
    const child = spawnNodeEngine(script, { env: { ...process.env, ECHO_MARK: 'm1' }, log: (_l, line) => lines.push(line) })
    const messages: unknown[] = []
    let spawned = false
    let exitCode: number | null | undefined
    child.onMessage((m) => messages.push(m))
    child.onSpawn(() => (spawned = true))
    child.onExit((code) => (exitCode = code))
    await waitFor(() => messages.length === 1)
    expect(spawned).toBe(true)
    expect(child.pid).toBeTypeOf('number')

    child.postMessage({ type: 'ping' })
    await waitFor(() => messages.length === 2)
    expect(messages[1]).toEqual({ echo: { type: 'ping' }, env: 'm1' })
    await waitFor(() => lines.includes('engine: hello from the child'))

    child.postMessage({ type: 'bye' })
    await waitFor(() => exitCode !== undefined)
    expect(exitCode).toBe(3)
    expect(child.pid).toBeUndefined()
    expect(() => child.postMessage({ type: 'ping' })).not.toThrow()
    expect(() => child.kill()).not.toThrow()
  })

  it('runs the engine with the shared V8 settings, after which a caller\'s own flags win', async () => {
    const flagsScript = join(dir, 'flags.js')
    writeFileSync(
      flagsScript,
      `process.send({ execArgv: process.execArgv }, () => process.exit(0))`
    )
    // A child that reports at all also proves this Node accepts every flag: it refuses to start on a bad one.
    const report = async (execArgv?: string[]): Promise<string[]> => {
      const messages: { execArgv: string[] }[] = []
      spawnNodeEngine(flagsScript, { execArgv }).onMessage((m) => messages.push(m as { execArgv: string[] }))
      await waitFor(() => messages.length > 0)
      return (messages[0] as { execArgv: string[] }).execArgv
    }
    expect(await report()).toEqual(ENGINE_EXEC_ARGV)
    expect(await report(['--max-semi-space-size=8'])).toEqual([...ENGINE_EXEC_ARGV, '--max-semi-space-size=8'])
  })

  it('kill() ends the process and reports the exit once', async () => {
    const child = spawnNodeEngine(script)
    const exits: (number | null)[] = []
    child.onExit((code) => exits.push(code))
    const messages: unknown[] = []
    child.onMessage((m) => messages.push(m))
    await waitFor(() => messages.length === 1)
    child.kill()
    await waitFor(() => exits.length === 1)
    expect(exits).toEqual([null])
    expect(child.pid).toBeUndefined()
  })
})
