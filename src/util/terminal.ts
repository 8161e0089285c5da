/** Facts about the terminal bootdiag runs in, read in one place. */
import {fstatSync} from 'node:fs'

/** True when running under a CI system (the CI variable set to anything but false/0). */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

/** Colour is used only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}

/**
 * True when stdin is a pipe or a file (`cat log | bootdiag analyze`, `bootdiag analyze < log`): a script
 * meant it as input. A terminal, /dev/null (cron, a service) or a closed stdin is not.
 */
export function stdinIsPiped(fd = 0): boolean {
  try {
    const info = fstatSync(fd)
    return info.isFIFO() || info.isFile() || info.isSocket()
  } catch {
    return false
  }
}
