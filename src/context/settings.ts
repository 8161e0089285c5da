/**
 * The environment variables bootdiag reads itself, read and checked once per run (a flag's own binding,
 * such as BOOTDIAG_AUTH for --auth, is oclif's). A bad value is a usage error (exit 2) that names it.
 */
import {UsageError} from '../errors.js'

export interface Settings {
  /** BOOTDIAG_MAX_RETRIES: retries per Azure request after the first try (default: the SDKs' own, 3) */
  maxRetries?: number
  /** BOOTDIAG_POLL_INTERVAL_MS: between polls of a long-running operation (default: Retry-After, else 2 s) */
  pollIntervalMs?: number
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    maxRetries: wholeNumber(env, 'BOOTDIAG_MAX_RETRIES', 20, 'a whole number from 0 to 20'),
    pollIntervalMs: wholeNumber(
      env,
      'BOOTDIAG_POLL_INTERVAL_MS',
      600_000,
      'a whole number of milliseconds from 0 to 600000',
    ),
  }
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, max: number, what: string): number | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`${name} must be ${what} (got '${value}').`)
  return n
}
