/**
 * The most symbols the engine is asked to favour. Favouring is a share of a limited quota: past
 * a few hundred symbols every one's share is too thin to matter, and a client claiming thousands
 * of "visible" rows must not push out the rows everybody else really has on screen.
 */
export const PRIORITY_LIMIT = 500

export interface PrioritySymbolsDeps {
  /** Symbols of alert rules that could fire now. */
  armedAlertSymbols: () => readonly string[]
  /** False while the engine cannot take commands; engineRestarted() follows once it can. */
  engineReady: () => boolean
  send: (symbols: string[]) => void
  /** Defaults to PRIORITY_LIMIT. */
  limit?: number
}

interface ClientRows {
  symbols: readonly string[]
  /** False when the client never said what is on screen and its whole interest stands in. */
  saidVisible: boolean
}

/**
 * What the engine should favour when a quota is tight: the symbols armed alerts watch, then the
 * rows some client has on screen, up to a limit. A client that never said what is on screen
 * counts its whole interest, after the clients that did. The engine hears the set only when it
 * changed (and in full after a restart).
 */
export class PrioritySymbols {
  private readonly byClient = new Map<string, ClientRows>()
  private sentKey: string | null = null

  constructor(private readonly deps: PrioritySymbolsDeps) {}

  /**
   * From a client's setInterest: `visible` when it says which rows are on screen. Only rows of
   * its own interest count: a client cannot favour symbols it does not even watch.
   */
  setClient(clientId: string, interest: readonly string[], visible: readonly string[] | undefined): void {
    if (visible === undefined) {
      this.byClient.set(clientId, { symbols: [...new Set(interest)], saidVisible: false })
    } else {
      const watched = new Set(interest)
      this.byClient.set(clientId, { symbols: [...new Set(visible.filter((s) => watched.has(s)))], saidVisible: true })
    }
    this.sync()
  }

  /** A client that disconnected no longer has anything on screen. */
  dropClient(clientId: string): void {
    if (this.byClient.delete(clientId)) this.sync()
  }

  /** The current set, sorted so that equal sets compare equal. */
  symbols(): string[] {
    const limit = this.deps.limit ?? PRIORITY_LIMIT
    const chosen = new Set<string>()
    const take = (symbol: string): void => {
      if (chosen.size < limit) chosen.add(symbol)
    }
    for (const symbol of this.deps.armedAlertSymbols()) take(symbol)
    const clients = [...this.byClient.values()]
    for (const saidVisible of [true, false]) {
      // Taken in turns, so one client's long list cannot crowd out another's few rows.
      const lists = clients.filter((c) => c.saidVisible === saidVisible).map((c) => c.symbols)
      const longest = Math.max(0, ...lists.map((l) => l.length))
      for (let i = 0; i < longest && chosen.size < limit; i++) {
        for (const list of lists) if (i < list.length) take(list[i]!)
      }
    }
    return [...chosen].sort()
  }

  /** Sends the set if it changed since the engine last heard it. */
  sync(): void {
    if (!this.deps.engineReady()) return
    const symbols = this.symbols()
    const key = symbols.join('\n')
    if (key === this.sentKey) return
    this.sentKey = key
    this.deps.send(symbols)
  }

  /** A fresh engine knows no priorities: the next sync sends the set whatever it is. */
  engineRestarted(): void {
    this.sentKey = null
    this.sync()
  }
}
