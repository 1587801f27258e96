import { AVAILABLE_PROVIDERS, DEFAULT_PROVIDER } from '../shared/providers'
import { DEFAULT_TIMEOUT_SEC, DEFAULT_WATCH_INTERVAL_SEC } from './cli-args'

const providers = `${AVAILABLE_PROVIDERS.join(', ')} (default ${DEFAULT_PROVIDER})`

export const QUOTE_USAGE = `tickerdesk quote SYMBOL... [--json] [--provider <id>] [--timeout <seconds>]
  Fetches each symbol once and prints a table, or a JSON array with --json (one object per
  symbol, in the order given). Exit status: 0 when every symbol has a price, 1 otherwise.
  --provider <id>      ${providers}
  --timeout <seconds>  give up on symbols without an answer after this long (default ${DEFAULT_TIMEOUT_SEC})`

export const WATCH_USAGE = `tickerdesk watch SYMBOL... [--json] [--provider <id>] [--interval <seconds>]
  Prints a line for every quote update until Ctrl+C; --json prints one JSON object per line.
  --provider <id>       ${providers}
  --interval <seconds>  how often to refresh, 1 to 3600 (default ${DEFAULT_WATCH_INTERVAL_SEC})`

export const SEARCH_USAGE = `tickerdesk search TEXT [--json] [--provider <id>] [--limit N]
  Looks symbols up by ticker or name with the provider's search and the local symbol directory
  (which works offline). --json prints [{"symbol","name","exchange","type"}]. Exit status: 0 when
  the provider answered (even with no matches), 1 when it failed (directory matches still print).
  --provider <id>  ${providers}
  --limit N        at most N matches, 1 to 50 (default 10)`

export const CLI_USAGE = `Usage: npm run --silent cli -- <command> [options]

Commands:
${QUOTE_USAGE}

${WATCH_USAGE}

${SEARCH_USAGE}

tickerdesk help [quote|watch|search]
  Shows this help.

Symbols look like AAPL, BRK-B, ^GSPC, EURUSD=X, BTC-USD or VOD.L.
Exit status 2 means the command line itself was wrong.`
