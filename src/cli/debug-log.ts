/**
 * --debug: route the Azure SDKs' logger (HTTP requests, responses, retries) to stderr, with every line
 * passed through the secret scrubber first. Loaded only when --debug is given.
 */
import {format} from 'node:util'

import {redact} from '../util/redact.js'

export async function enableDebugLog(write: (line: string) => void = (line) => process.stderr.write(line)): Promise<void> {
  const {AzureLogger, setLogLevel} = await import('@azure/logger')
  setLogLevel('info')
  AzureLogger.log = (...args: unknown[]) => {
    write(`[debug] ${redact(format(...args))}\n`)
  }
}
