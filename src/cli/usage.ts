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

export const CLI_USAGE = `Usage: npm run --silent cli -- <command> [options]

Commands:
${QUOTE_USAGE}

${WATCH_USAGE}

tickerdesk help [quote|watch]
  Shows this help.

Symbols look like AAPL, BRK-B, ^GSPC, EURUSD=X, BTC-USD or VOD.L.
Exit status 2 means the command line itself was wrong.`
