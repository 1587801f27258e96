import type { HostEventName, RendererApi } from '@shared/ipc/contract'
import { createRendererApi, type RendererTransport } from '@shared/ipc/helpers'
import { bridgeUrl, takeBridgeToken } from './bridge-token'
import { ALWAYS_CONNECTED, type HostConnection } from './connection'
import { WsTransport } from './ws-transport'

export type { ConnectionState, HostConnection } from './connection'

export const MISSING_TOKEN_MESSAGE =
  'This page was opened without its access key. Open the full address the TickerDesk web shell printed when it started.'

interface ApiHandle {
  api: RendererApi
  connection: HostConnection
}

let handle: ApiHandle | null = null

function reportInvalidEvent(name: HostEventName): void {
  console.warn(`TickerDesk: ignored a malformed "${name}" event from the host.`)
}

/** A transport for a page that cannot connect at all: every call says why, plainly. */
function unreachableTransport(message: string): RendererTransport {
  return { invoke: () => Promise.reject(new Error(message)), listen: () => () => {} }
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage
  } catch {
    return null
  }
}

function createHandle(): ApiHandle {
  if (window.tickerdesk) return { api: window.tickerdesk, connection: ALWAYS_CONNECTED }
  const token = takeBridgeToken({
    href: location.href,
    storage: sessionStorageOrNull(),
    replaceUrl: (url) => history.replaceState(history.state, '', url)
  })
  if (!token) {
    const connection: HostConnection = { state: 'disconnected', problem: MISSING_TOKEN_MESSAGE, onChange: () => () => {} }
    return { api: createRendererApi(unreachableTransport(MISSING_TOKEN_MESSAGE), reportInvalidEvent), connection }
  }
  const transport = new WsTransport({ url: bridgeUrl(location.href, token) })
  return { api: createRendererApi(transport, reportInvalidEvent), connection: transport }
}

/** The host API: Electron's preload when present, else the web shell's WebSocket bridge. */
export function getApi(): RendererApi {
  handle ??= createHandle()
  return handle.api
}

/** Connection state of whatever getApi() talks through. */
export function getConnection(): HostConnection {
  handle ??= createHandle()
  return handle.connection
}
