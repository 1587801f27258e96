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
  /** Builds the engine; defaults to the in-process engine with the real providers. */
  createEngine?: (options: { env: Record<string, string | undefined>; log: EngineLog; streams: boolean }) => EngineHandle
}
