import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron'
import {
  HOST_CALL_NAMES,
  callChannel,
  eventChannel,
  type EventPayload,
  type HostEventName,
  type HostImpl
} from '../shared/ipc/contract'
import { dispatchCall } from '../shared/ipc/helpers'
import type { Result } from '../shared/ipc/result'
import { isAppUrl } from './window-security'

export type IpcLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void

/** The slice of HostCore the bridge needs. */
export interface IpcHost {
  readonly impl: HostImpl
  dropClient(clientId: string): void
}

export interface IpcBridgeOptions {
  host: IpcHost
  /** The URL the app window loads (dev server or packaged file); only that page may call in. */
  appUrl: string
  log?: IpcLog
}

export const UNTRUSTED_SENDER_MESSAGE = 'This page is not allowed to talk to TickerDesk.'

/**
 * Only the app's own top-level page may call the host (security checklist item 17, modelled on
 * VS Code's validatedIpcMain): a missing frame means it navigated or was destroyed mid-call,
 * and a subframe or another origin is never trusted, whatever it claims to be.
 */
export function isTrustedSender(frame: WebFrameMain | null | undefined, appUrl: string): boolean {
  if (!frame) return false
  if (frame.parent !== null) return false
  return isAppUrl(frame.url, appUrl)
}

export function clientIdFor(contents: Pick<WebContents, 'id'>): string {
  return `window:${contents.id}`
}

/**
 * Registers one ipcMain handler per contract call, each validating the sender before anything
 * else. Returns a disposer that removes the handlers.
 */
export function registerIpc({ host, appUrl, log = () => {} }: IpcBridgeOptions): () => void {
  const clients = new Map<number, { contents: WebContents; onDestroyed: () => void }>()

  function track(contents: WebContents): string {
    const clientId = clientIdFor(contents)
    if (!clients.has(contents.id)) {
      // The window's subscriptions must not outlive it, or the engine keeps fetching for nobody.
      const onDestroyed = () => {
        clients.delete(contents.id)
        host.dropClient(clientId)
      }
      contents.once('destroyed', onDestroyed)
      clients.set(contents.id, { contents, onDestroyed })
    }
    return clientId
  }

  for (const name of HOST_CALL_NAMES) {
    ipcMain.handle(callChannel(name), async (event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event.senderFrame, appUrl)) {
        log('warn', `Rejected ${name} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`)
        return { ok: false, error: { code: 'invalid-request', message: UNTRUSTED_SENDER_MESSAGE } }
      }
      const clientId = track(event.sender)
      return dispatchCall(host.impl, name, payload, { clientId }, (call, error) =>
        log('error', `${call} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      )
    })
  }

  return () => {
    for (const name of HOST_CALL_NAMES) ipcMain.removeHandler(callChannel(name))
    for (const { contents, onDestroyed } of clients.values()) contents.removeListener('destroyed', onDestroyed)
    clients.clear()
  }
}

/** Pushes one contract event to every live window; HostCore's `emit`. */
export function broadcast<K extends HostEventName>(event: K, payload: EventPayload<K>): void {
  const channel = eventChannel(event)
  for (const win of BrowserWindow.getAllWindows()) {
    const contents = win.webContents
    if (win.isDestroyed() || contents.isDestroyed()) continue
    contents.send(channel, payload)
  }
}
