import type { EngineHandle } from '../host/engine-handle'

export interface CliWriter {
  write(text: string): unknown
}

export type EngineLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void

export interface CliIo {
  stdout: CliWriter
  stderr: CliWriter
  env: Record<string, string | undefined>
  /** Ends `watch`; without it `watch` stops on SIGINT or SIGTERM of this process. */
  signal?: AbortSignal
  /**
   * Where the providers' quota usage is kept between runs, shared with the app; by default the
   * app's data directory (TICKERDESK_DATA_DIR or the platform's). Null keeps none.
   */
  dataDir?: string | null
  /** Builds the engine; defaults to the in-process engine with the real providers. */
  createEngine?: (options: { env: Record<string, string | undefined>; log: EngineLog; streams: boolean }) => EngineHandle
}
