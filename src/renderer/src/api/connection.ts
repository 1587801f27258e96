/** How the renderer is attached to its host; Electron's preload is always "connected". */
export type ConnectionState = 'connected' | 'connecting' | 'disconnected'

export interface HostConnection {
  readonly state: ConnectionState
  /** A plain-words reason when the connection cannot be made at all (e.g. missing token). */
  readonly problem: string | null
  /** Fires on every state change, including the first successful connect. */
  onChange(listener: (state: ConnectionState) => void): () => void
}

export const ALWAYS_CONNECTED: HostConnection = {
  state: 'connected',
  problem: null,
  onChange: () => () => {}
}
