import type { CliIo } from './cli-io'

/**
 * A CliIo that records output, for specs. Keeps no quota usage unless the test names a data
 * directory (TICKERDESK_DATA_DIR or `dataDir`), so specs never touch the user's real files.
 */
export function captureIo(env: Record<string, string | undefined> = {}, extra: Partial<CliIo> = {}) {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: { TICKERDESK_SIM_SEED: '7', ...env },
    dataDir: env.TICKERDESK_DATA_DIR === undefined ? null : undefined,
    ...extra
  }
  return { io, stdout: () => out.join(''), stderr: () => err.join('') }
}
