/**
 * --debug: route the Azure SDKs' logger (HTTP requests, responses, retries) to stderr, with every line
 * passed through the secret scrubber first. Loaded only when --debug is given.
 *
 * Every line starts with `[debug] ` — the continuation lines of a request or response dump too — so the
 * debug output can be told from bootdiag's own messages (`2>&1 | grep -v '^\[debug\] '`).
 */
import {format} from 'node:util'

import {printableLines} from '../util/printable.js'
import {redact} from '../util/redact.js'

export async function enableDebugLog(
  write: (line: string) => void = (line) => process.stderr.write(line),
): Promise<void> {
  const {AzureLogger, setLogLevel} = await import('@azure/logger')
  setLogLevel('info')
  AzureLogger.log = (...args: unknown[]) => {
    // (names and bodies come from Azure: shown, never obeyed — no control character reaches the terminal)
    write(debugLines(printableLines(redact(format(...args)))))
  }
}

/** `text` with `[debug] ` before each of its lines, ending in a newline. */
export function debugLines(text: string): string {
  return `${text
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => `[debug] ${line}`)
    .join('\n')}\n`
}
