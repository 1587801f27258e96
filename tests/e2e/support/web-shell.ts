import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/

export interface RunningShell {
  url: string
  output: () => string
  stop(): Promise<number | null>
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'tickerdesk-e2e-'))
}

/**
 * Starts the built web shell (`out/main/web.js`) as a user would and waits for its URL line.
 * With `--all-hours` unless `marketHours` is set: the fakes serve US stocks at any hour, and a run
 * must not depend on whether the real market is open.
 */
export async function startWebShell(options: {
  dataDir: string
  env?: Record<string, string>
  args?: string[]
  /** Follow the US market's hours like a user's app does, instead of polling at all hours. */
  marketHours?: boolean
}): Promise<RunningShell> {
  const hours = options.marketHours === true ? [] : ['--all-hours']
  const child: ChildProcess = spawn(process.execPath, [resolve('out/main/web.js'), '--port', '0', ...hours, ...(options.args ?? [])], {
    env: { ...process.env, TICKERDESK_DATA_DIR: options.dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web shell printed no URL within 20 s:\n${log}`)), 20_000)
    const onData = (chunk: Buffer): void => {
      log += chunk.toString()
      const match = URL_LINE.exec(log)
      if (match?.[1]) {
        clearTimeout(timer)
        resolveUrl(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`web shell exited with ${code} before printing its URL:\n${log}`))
    })
  })
  return {
    url,
    output: () => log,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done(child.exitCode)
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
        child.once('exit', (code) => {
          clearTimeout(kill)
          done(code)
        })
        child.kill('SIGTERM')
      })
  }
}
