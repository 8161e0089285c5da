/** The flags of `watch` that `vm restart|redeploy|start --watch` share, and what they mean once parsed. */
import {Flags} from '@oclif/core'

import {STAGES, type Stage} from '../analysis/types.js'
import type {WatchSettings} from '../services/watch/settings.js'
import {parseDuration} from '../util/duration.js'

export const watchFlags = {
  interval: Flags.string({
    default: '5s',
    helpGroup: 'WATCH',
    summary: 'How often the serial log is read (e.g. 5s, 500ms).',
  }),
  timeout: Flags.string({
    default: '15m',
    helpGroup: 'WATCH',
    summary: 'Give up after this long (exit 5), e.g. 15m, 1h.',
  }),
  until: Flags.option({
    default: 'login-prompt' as const,
    helpGroup: 'WATCH',
    options: STAGES,
    summary:
      'Stop when the boot reaches this stage (exit 0). login-prompt also counts the agent’s provisioning and systemd’s final target.',
  })(),
}

export type {WatchSettings} from '../services/watch/settings.js'

/** --until, --timeout and --interval, checked (a bad duration is a usage error naming the flag). */
export function watchSettings(flags: {until: string; timeout: string; interval: string}): WatchSettings {
  return {
    intervalMs: parseDuration(flags.interval, {flag: '--interval', maxMs: 10 * 60_000, minMs: 100}),
    timeoutMs: parseDuration(flags.timeout, {flag: '--timeout', maxMs: 24 * 3_600_000, minMs: 1000}),
    until: flags.until as Stage,
  }
}
