import { createWriteStream } from 'node:fs'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFn = (level: LogLevel, message: string) => void

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RANK, value)
}

export interface LoggerOptions {
  /** Receives one finished line, without a trailing newline. */
  write: (line: string) => void
  minLevel?: LogLevel
  now?: () => number
}

/** One-line, timestamped log records; a failing sink never throws into the caller. */
export function createLogger(options: LoggerOptions): LogFn {
  const min = RANK[options.minLevel ?? 'info']
  const now = options.now ?? Date.now
  return (level, message) => {
    if (RANK[level] < min) return
    // Multi-line messages (stack traces) are indented so each record stays one visual block.
    const text = message.replace(/\r?\n/g, '\n    ')
    try {
      options.write(`${new Date(now()).toISOString()} ${level.toUpperCase().padEnd(5)} ${text}`)
    } catch {
      // Logging must not take the host down (a closed pipe, a full disk).
    }
  }
}

/** Appends lines to a file in order without blocking; write errors are dropped rather than thrown. */
export function fileLogSink(path: string): (line: string) => void {
  const stream = createWriteStream(path, { flags: 'a' })
  let broken = false
  stream.on('error', () => {
    broken = true
  })
  return (line) => {
    if (!broken) stream.write(`${line}\n`)
  }
}

/** Writes to stderr, keeping stdout free for a program's real output (the CLI prints JSON there). */
export function stderrLogSink(line: string): void {
  process.stderr.write(`${line}\n`)
}

/** Sends each record to every logger given. */
export function teeLogger(...loggers: LogFn[]): LogFn {
  return (level, message) => {
    for (const log of loggers) log(level, message)
  }
}

/** Reads TICKERDESK_LOG_LEVEL, defaulting to info. */
export function logLevelFromEnv(env: Record<string, string | undefined>): LogLevel {
  const raw = env.TICKERDESK_LOG_LEVEL?.trim().toLowerCase()
  return isLogLevel(raw) ? raw : 'info'
}
