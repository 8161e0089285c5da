import {Args, Flags} from '@oclif/core'

import {AzureCommand} from '../cli/azure-command.js'
import {archiveFlag} from '../cli/flags.js'
import {formatMatch, searchColumns, searchStatsLine} from '../output/search.js'
import type {SearchMatch, SearchOptions} from '../services/search/search.js'
import {redact} from '../util/redact.js'
import {parseSince} from '../util/since.js'
import {colorEnabled} from '../util/terminal.js'

export default class Search extends AzureCommand<typeof Search> {
  static override args = {
    pattern: Args.string({
      description: 'What to look for: a plain string, or with -E a regular expression (JavaScript syntax).',
      name: 'PATTERN',
      required: true,
    }),
  }

  static override description = `Searches the serial logs kept in the archive, like grep: each matching line with its VM, snapshot and line number, printed as it is found. Content carried over unchanged between snapshots is searched once: a log identical to one already searched is skipped, and a log that grew is searched from where the log it grew from ended, its line numbers going on. Streams: memory stays small whatever the archive.

-o json prints an array of {name, resourceGroup, subscriptionId, snapshot, takenAt, line, text, path}, also streamed (--query, yaml and jsonc gather the matches first).`

  static override examples = [
    {
      command: '<%= config.bin %> search "Kernel panic" --since 30d',
      description: 'Where did a kernel panic appear in the last month',
    },
    {
      command: "<%= config.bin %> search -E 'ALERT! (UUID|LABEL)=\\S+ does not exist' -g web-rg",
      description: 'A regular expression, one resource group',
    },
    {
      command: '<%= config.bin %> search -i "out of memory" -n db-01 -g data-rg -o json',
      description: 'One VM, any case, as JSON',
    },
  ]

  static override flags = {
    archive: archiveFlag,
    'extended-regexp': Flags.boolean({char: 'E', summary: 'PATTERN is a regular expression (JavaScript syntax).'}),
    'ignore-case': Flags.boolean({char: 'i', summary: 'Ignore case.'}),
    'max-count': Flags.integer({min: 1, summary: 'Stop after this many matching lines.'}),
    name: Flags.string({char: 'n', summary: 'Only this VM.'}),
    'resource-group': Flags.string({char: 'g', summary: 'Only this resource group.'}),
    since: Flags.string({helpValue: 'AGE|DATE', summary: 'Only snapshots taken since then: 30d, 12h, 2026-11-01, ...'}),
    subscription: Flags.string({
      delimiter: ',',
      helpGroup: 'AZURE',
      multiple: true,
      summary: 'Only this subscription (ID); repeat for several.',
    }),
  }

  static override summary = 'Search the archived serial logs: VM, snapshot, line number, line.'

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(now: Date = new Date()): SearchOptions {
    const {since, subscription} = this.flags
    return {
      ignoreCase: this.flags['ignore-case'] === true,
      maxMatches: this.flags['max-count'],
      name: this.flags.name,
      pattern: this.args.pattern,
      regex: this.flags['extended-regexp'] === true,
      resourceGroup: this.flags['resource-group'],
      since: since === undefined ? undefined : parseSince(since, now),
      subscriptions: subscription,
    }
  }

  async run(): Promise<SearchMatch[] | undefined> {
    const options = this.options()
    const [{compileMatcher, searchArchive}, context] = await Promise.all([
      import('../services/search/search.js'),
      this.context(),
    ])
    compileMatcher(options)
    const format = this.outputFormat
    const gather = Boolean(this.flags.query) || !['json', 'table', 'tsv', 'none'].includes(format)
    const color = colorEnabled(process.stdout)
    const found: SearchMatch[] = []
    let first = true
    const started = Date.now()
    const write = (text: string) => process.stdout.write(redact(text))
    const stats = await searchArchive(context, {...options, between: () => drained(process.stdout)}, (match) => {
      if (gather) found.push(match)
      else if (format === 'json')
        write(`${first ? '[\n  ' : ',\n  '}${JSON.stringify(match, null, 2).replaceAll('\n', '\n  ')}`)
      else if (format === 'tsv') write(`${searchColumns.map((c) => String(c.value(match))).join('\t')}\n`)
      else if (format === 'table') write(`${formatMatch(match, color)}\n`)
      first = false
    })
    if (gather) {
      this.present(found)
      return this.jsonEnabled() ? found : undefined
    }

    if (format === 'json') process.stdout.write(first ? '[]\n' : '\n]\n')
    if (!this.machineOutput) this.note(searchStatsLine(stats, (Date.now() - started) / 1000))
    return undefined
  }
}

/** Wait while stdout's buffer is full (a slow pipe), so matches never pile up in memory. */
async function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (!stream.writableNeedDrain) return
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('error', done)
      stream.off('close', done)
      resolve()
    }

    stream.once('drain', done)
    stream.once('error', done)
    stream.once('close', done)
  })
}
