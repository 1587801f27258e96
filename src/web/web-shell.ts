import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EngineManager } from '../host/engine-manager'
import type { EngineHandle } from '../host/engine-handle'
import { spawnNodeEngine } from '../host/engine-spawn-node'
import { HostCore } from '../host/host-core'
import { confBackend, openHostStores } from '../host/state'
import { FileSecretStore } from '../host/secrets/file-secret-store'
import type { EventPayload, HostEventName, Notice } from '../shared/ipc/contract'
import type { ProviderId } from '../shared/providers'
import { BRIDGE_TOKEN_PARAM } from '../shared/ipc/web-bridge'
import { createBridgeServer, type BridgeServer, type Log } from './bridge-server'
import { createRequestGuard, isWildcardHost, urlHost } from './request-guard'
import { SECURITY_HEADERS, createStaticHandler } from './static-server'

export interface WebShellOptions {
  /** 0 asks the OS for a free port. */
  port: number
  host: string
  /** Provider for this run only; the saved setting is left alone. */
  provider?: ProviderId
  /** Refresh interval for this run only; the saved setting is left alone. */
  refreshIntervalSec?: number
  /** Poll US equities at every hour for this run, whatever the extended-hours setting. */
  allHours?: boolean
  dataDir: string
  rendererDir: string
  /** Built engine bundle to fork; ignored when `engine` is given. */
  enginePath?: string
  /** An engine to use instead of forking one (tests, in-process runs). */
  engine?: EngineHandle
  env: NodeJS.ProcessEnv
  log?: Log
  now?: () => number
}

export interface WebShell {
  url: string
  token: string
  port: number
  close(): Promise<void>
}

/** Turns listen failures into sentences a user can act on. */
export function describeListenError(error: unknown, host: string, port: number): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EADDRINUSE') {
    return `Port ${port} on ${host} is already in use. Stop the program using it, or pass --port 0 to pick a free port.`
  }
  if (code === 'EACCES') return `Not allowed to listen on port ${port}; choose a port above 1023.`
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `${host} is not an address of this machine.`
  return `Could not listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(new Error(describeListenError(error, host, port)))
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

function createEngine(options: WebShellOptions, log: Log): EngineHandle {
  if (options.engine) return options.engine
  const enginePath = options.enginePath
  if (!enginePath) throw new Error('startWebShell needs either an engine or the path of the built engine.')
  return new EngineManager({ spawn: () => spawnNodeEngine(enginePath, { env: options.env, log }), log })
}

/**
 * Wires the web shell: an HTTP server for the built renderer, the WebSocket bridge and a
 * HostCore driving the engine. Resolves once the port is bound and the engine has started.
 */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const log: Log = options.log ?? (() => {})
  const now = options.now ?? Date.now
  const token = randomBytes(24).toString('base64url')

  let bridge: BridgeServer | undefined
  const emit = <K extends HostEventName>(event: K, payload: EventPayload<K>): void => bridge?.broadcast(event, payload)

  const server = createServer()
  // A stalled or half-open browser connection must not pin the process.
  server.headersTimeout = 20_000
  server.requestTimeout = 30_000

  const port = await listen(server, options.port, options.host)
  const guard = createRequestGuard(options.host, port)
  const serveStatic = createStaticHandler({ rendererDir: options.rendererDir, guard })
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    serveStatic(req, res).catch((error: unknown) => {
      log('error', `Serving ${req.url ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`)
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS)
      res.end()
    })
  })

  let core: HostCore | undefined
  try {
    const stores = openHostStores(confBackend(options.dataDir), {
      now,
      // The stores already write every notice to `log`, and HostCore shows them to pages.
      onNotice: () => {},
      log
    })
    // Notices from opening the key file arrive before the host exists; they are shown once it does.
    const early: [Notice['level'], string][] = []
    let noticeTarget: HostCore | null = null
    const secrets = new FileSecretStore({
      dataDir: options.dataDir,
      now,
      notify: (level, message) => (noticeTarget ? noticeTarget.showNotice(level, message) : early.push([level, message]))
    })
    const host = new HostCore({
      engine: createEngine(options, log),
      stores,
      emit,
      now,
      log,
      secrets,
      refreshDirectory: true,
      overrides: {
        ...(options.provider ? { provider: options.provider } : {}),
        ...(options.refreshIntervalSec ? { refreshIntervalSec: options.refreshIntervalSec } : {}),
        ...(options.allHours ? { allHours: true } : {})
      }
    })
    core = host
    noticeTarget = host
    for (const [level, message] of early) host.showNotice(level, message)
    bridge = createBridgeServer({
      server,
      guard,
      token,
      impl: core.impl,
      onClientClosed: (clientId) => host.dropClient(clientId),
      log
    })
    await host.start()
  } catch (error) {
    await bridge?.close()
    await closeServer(server)
    await core?.dispose().catch(() => {})
    throw error
  }

  const displayHost = isWildcardHost(options.host) ? '127.0.0.1' : urlHost(options.host)
  const url = `http://${displayHost}:${port}/?${BRIDGE_TOKEN_PARAM}=${token}`

  let closing: Promise<void> | undefined
  const activeBridge = bridge
  const activeCore = core
  return {
    url,
    token,
    port,
    close: () =>
      (closing ??= (async () => {
        await activeBridge.close()
        await closeServer(server)
        await activeCore.dispose()
      })())
  }
}
