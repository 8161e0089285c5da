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
  /**
   * BOOTDIAG_SCREEN_READER=off: snapshots keep their screenshots but do not read them (the verdict is then
   * the serial log's alone). For measuring what the reader costs (bench/archive.bench.ts); default on.
   */
  screenReader?: boolean
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
    screenReader: onOff(env, 'BOOTDIAG_SCREEN_READER'),
  }
}

function onOff(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name]?.trim().toLowerCase()
  if (value === undefined || value === '') return undefined
  if (value === 'on' || value === '1') return true
  if (value === 'off' || value === '0') return false
  throw new UsageError(`${name} must be on or off (got '${env[name]}').`)
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, max: number, what: string): number | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`${name} must be ${what} (got '${value}').`)
  return n
}
