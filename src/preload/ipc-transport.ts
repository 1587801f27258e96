import type { IpcRenderer, IpcRendererEvent } from 'electron'
import { HOST_CALL_NAMES, HOST_EVENT_NAMES, callChannel, eventChannel } from '../shared/ipc/contract'
import type { RendererTransport } from '../shared/ipc/helpers'

const CALL_CHANNELS: ReadonlySet<string> = new Set(HOST_CALL_NAMES.map(callChannel))
const EVENT_CHANNELS: ReadonlySet<string> = new Set(HOST_EVENT_NAMES.map(eventChannel))

/**
 * The only door from the page to ipcRenderer: contract channels only, and listeners never see
 * the IpcRendererEvent (whose `sender` would hand the page raw IPC; checklist item 20).
 */
export function createIpcTransport(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): RendererTransport {
  return {
    invoke(channel, payload) {
      if (!CALL_CHANNELS.has(channel)) return Promise.reject(new Error(`"${channel}" is not a TickerDesk call.`))
      return ipc.invoke(channel, payload)
    },
    listen(channel, listener) {
      if (!EVENT_CHANNELS.has(channel)) throw new Error(`"${channel}" is not a TickerDesk event.`)
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
      ipc.on(channel, forward)
      return () => {
        ipc.removeListener(channel, forward)
      }
    }
  }
}
