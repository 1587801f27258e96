import type { CliIo } from './cli-io'

/** A CliIo that records output, for specs. */
export function captureIo(env: Record<string, string | undefined> = {}, extra: Partial<CliIo> = {}) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: { TICKERDESK_SIM_SEED: '7', ...env },
    ...extra
  }
  return { io, stdout: () => out.join(''), stderr: () => err.join('') }
}
