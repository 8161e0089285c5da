/**
 * oclif hook for words that name no command. With topics separated by spaces, `bootdiag fetch extra`
 * reads as the command `fetch:extra`: when a prefix of the words is a command, run it with the rest as
 * its arguments, so it reports the unexpected argument itself (usage error, exit 2). Otherwise: one line
 * naming the unknown command, exit 2.
 */
import type {Hook} from '@oclif/core'

import {colorEnabled} from '../util/terminal.js'
import {ExitCode} from '../errors.js'

const hook: Hook.CommandNotFound = async function (options) {
  const words = options.id.split(':')
  for (let length = words.length - 1; length > 0; length--) {
    const id = words.slice(0, length).join(':')
    if (this.config.findCommand(id))
      return this.config.runCommand(id, [...words.slice(length), ...(options.argv ?? [])])
  }

  const prefix = colorEnabled(process.stderr) ? '\u001B[31mError:\u001B[39m' : 'Error:'
  process.stderr.write(
    `${prefix} Unknown command '${this.config.bin} ${words.join(' ')}'. Run '${this.config.bin} --help' to see the commands.\n`,
  )
  this.exit(ExitCode.usage)
}

export default hook
