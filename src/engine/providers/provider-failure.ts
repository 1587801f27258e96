import { ProviderError, type ProviderDeps } from './provider'

/**
 * Keeps the engine safe from surprises: whatever goes wrong leaves an adapter as a ProviderError.
 * A foreign error is a bug or a reply nobody foresaw, so it is logged with its stack and told to
 * the user as unreadable data.
 */
export function asProviderError(error: unknown, label: string, log: ProviderDeps['log']): ProviderError {
  if (error instanceof ProviderError) return error
  const reason = error instanceof Error ? (error.stack ?? error.message) : String(error)
  log('error', `${label}: unexpected failure: ${reason}`)
  return new ProviderError('bad-payload', `${label} sent data TickerDesk could not read.`)
}

/** Runs `work`, turning anything thrown into a ProviderError so callers see one error type. */
export async function guarded<T>(label: string, log: ProviderDeps['log'], work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw asProviderError(error, label, log)
  }
}
