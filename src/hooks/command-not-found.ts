/**
 * oclif hook for words that name no command. With topics separated by spaces, `bootdiag fetch extra`
 * reads as the command `fetch:extra`: when a prefix of the words is a command, run it with the rest as
 * its arguments, so it reports the unexpected argument itself (usage error, exit 2). Otherwise: one line
 * naming the unknown command and, when one is near, the command meant (`bootdiag anlyze` → analyze), exit 2.
 */
import type {Hook} from '@oclif/core'

import {ExitCode} from '../errors.js'
import {editDistance} from '../util/nearest.js'
import {printable} from '../util/printable.js'
import {colorEnabled} from '../util/terminal.js'

const hook: Hook.CommandNotFound = async function (options) {
  const words = options.id.split(':')
  for (let length = words.length - 1; length > 0; length--) {
    const id = words.slice(0, length).join(':')
    if (this.config.findCommand(id))
      return this.config.runCommand(id, [...words.slice(length), ...(options.argv ?? [])])
  }

  const commands = [...this.config.commands.filter((command) => !command.hidden).map((command) => command.id), 'help']
  const meant = suggestCommand(words, commands)
  const prefix = colorEnabled(process.stderr) ? '\u001B[31mError:\u001B[39m' : 'Error:'
  const typed = printable(`${this.config.bin} ${words.join(' ')}`)
  const hint = meant
    ? ` Did you mean '${this.config.bin} ${meant}'?`
    : ` Run '${this.config.bin} --help' to see the commands.`
  process.stderr.write(`${prefix} Unknown command '${typed}'.${hint}\n`)
  this.exit(ExitCode.usage)
}

/** The command (or --help/--version) the words were probably meant to be, spelled with spaces; undefined if none is near. */
export function suggestCommand(words: readonly string[], commandIds: readonly string[]): string | undefined {
  const candidates = words[0]?.startsWith('-')
    ? ['--help', '--version']
    : commandIds.map((id) => id.split(':').join(' '))
  let best: {candidate: string; distance: number} | undefined
  for (const candidate of candidates) {
    const length = candidate.split(' ').length
    if (words.length < length) continue
    const typed = words.slice(0, length).join(' ').toLowerCase()
    const distance = editDistance(typed, candidate)
    const limit = Math.min(3, Math.max(1, Math.floor(candidate.length / 3)))
    if (distance <= limit && (!best || distance < best.distance)) best = {candidate, distance}
  }

  return best?.candidate
}

export default hook
