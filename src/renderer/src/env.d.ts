/// <reference types="vite/client" />
import type { RendererApi } from '@shared/ipc/contract'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the web shell. */
    tickerdesk?: RendererApi
  }
}
