export interface PrioritySymbolsDeps {
  /** Symbols of alert rules that could fire now. */
  armedAlertSymbols: () => readonly string[]
  /** False while the engine cannot take commands; engineRestarted() follows once it can. */
  engineReady: () => boolean
  send: (symbols: string[]) => void
}

/**
 * What the engine should favour when a quota is tight: the rows some client has on screen plus
 * the symbols armed alerts watch. A client that never said what is on screen counts its whole
 * interest. The engine hears the set only when it changed (and in full after a restart).
 */
export class PrioritySymbols {
  private readonly byClient = new Map<string, readonly string[]>()
  private sentKey: string | null = null

  constructor(private readonly deps: PrioritySymbolsDeps) {}

  /** From a client's setInterest: `visible` when it says which rows are on screen. */
  setClient(clientId: string, interest: readonly string[], visible: readonly string[] | undefined): void {
    this.byClient.set(clientId, [...new Set(visible ?? interest)])
    this.sync()
  }

  /** A client that disconnected no longer has anything on screen. */
  dropClient(clientId: string): void {
    if (this.byClient.delete(clientId)) this.sync()
  }

  /** The current set, sorted so that equal sets compare equal. */
  symbols(): string[] {
    const all = new Set<string>(this.deps.armedAlertSymbols())
    for (const symbols of this.byClient.values()) for (const symbol of symbols) all.add(symbol)
    return [...all].sort()
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
