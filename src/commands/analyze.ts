/**
 * `bootdiag analyze`: read a serial console log (a file or stdin), a screenshot (BMP or PNG), or a snapshot
 * made by `bootdiag fetch` (both: its log and its screenshot), and say where the last boot or shutdown
 * stopped and why — from both witnesses when there are two.
 *
 * Thin on purpose: parse, call services/analyze, present. Imports stay light (no Azure SDK, no prompts)
 * so that analysing a small log starts fast; test/unit/commands/analyze.test.ts checks it.
 * `analyze -n VM -g RG` fetches a snapshot first, then analyses its directory exactly as one given on the
 * command line.
 */
import {Args, Flags} from '@oclif/core'

import {AzureCommand} from '../cli/azure-command.js'
import {archiveFlag, pickVmTargetFlags, vmTargetFlags} from '../cli/flags.js'
import type {VmTargetFlags} from '../cli/resolve-vm-targets.js'
import {readSettings} from '../context/settings.js'
import {ExitCode, UsageError} from '../errors.js'
import {renderAnalysisText, screenColumns, sessionColumns} from '../output/analysis-text.js'
import {renderAnalysisHtml} from '../output/analysis-html.js'
import {type AnalyzeOutput, analyzeTarget} from '../services/analyze/analyze-target.js'
import {checkOutputFile, writeOutputFile} from '../util/output-file.js'
import {printable} from '../util/printable.js'
import {stdinIsPiped} from '../util/terminal.js'

export interface AnalyzeCommandOptions {
  /** FILE (a log or a screenshot), - (stdin) or SNAPSHOT_DIR; undefined: snapshot the VM named (or picked) first */
  log?: string
  vm: VmTargetFlags
  /** --html FILE */
  html?: string
}

export default class Analyze extends AzureCommand<typeof Analyze> {
  static override args = {
    log: Args.string({
      description:
        "A serial console log file, - to read the log from stdin, a screenshot (BMP or PNG, told by its bytes), or a snapshot directory made by 'bootdiag fetch' (its serial log and its screenshot are both read). Omit it and name a VM (-n/-g, --ids, --vmss/--instance-id) to take a snapshot first and analyse that. Omit both: with stdin a pipe or a file the log is read from it (as with -), on a terminal the VM is picked from a list. A LOG and a VM together are a usage error.",
      // never read from stdin by the parser: `cat log | bootdiag analyze` reads the log itself (options())
      ignoreStdin: true,
      name: 'LOG',
      required: false,
    }),
  }

  static override description = `Splits the log into boot sessions (one per kernel start; a log can hold many boots), follows each through its stages (firmware, bootloader, kernel, initramfs, switch-root, systemd-services, login-prompt, agent-provisioned, shutdown) and names how it ended: booted, kernel-panic, initramfs-failure, emergency-mode, fsck-failure, boot-stuck, shutdown-hung, and so on. The verdict is the outcome of the last session, since that is the state the VM is in now; failures of earlier sessions are reported too, each with the log lines that prove it and advice on what to do next.

Works on any Linux serial console log (Azure, other clouds, QEMU, libvirt) and streams it, so a log of a gigabyte is fine.

The screenshot is the second witness: for a Windows VM the only one (Windows writes no serial log), for Linux the one that shows a GRUB rescue prompt or a panic on a kernel that prints only to the screen. Given a screenshot, or a snapshot that has one, analyze reads it (text consoles by their own font, graphical screens by OCR, offline) and says what kind of screen it is and what state the VM is in; with a log too, one verdict comes from both: a failure on either side wins, and every piece of evidence names its witness.

Output: on a terminal, a report for people (verdict, the screen, then one block per session); when piped, JSON (the same as -o json: source, bytes, lines, sessions[], verdict, and screen when a screenshot was read). -o tsv prints one line per session: index, outcome, last stage, first line, last line, kernel, partial, number of findings; the last line is the verdict's session (for a screenshot alone: one line with its kind, state, outcome, codes, percent). --html FILE also writes a self-contained web page with a timeline chart of the stages and the screenshot with the text read from it.

Exit status: 0 when the verdict is booted, shutdown-complete or reboot (a screen: up and usable); 3 for any other outcome (the report is still printed) — a failure on the log or the screen, a boot that has not finished (a screen still in progress, e.g. installing updates: boot-stuck) or nothing to go by (a blank or unknown screen and no log: no-output); 1 when the input cannot be read; 2 for a usage error.`

  static override examples = [
    {command: '<%= config.bin %> <%= command.id %> serial.log', description: 'Analyse a saved serial log'},
    {
      command:
        '<%= config.bin %> <%= command.id %> ~/.local/share/bootdiag/archive/<subscriptionId>/web-rg/web-01/20260504T102231Z --html report.html',
      description: "Analyse a snapshot made by 'bootdiag fetch' and also write an HTML report with its screenshot",
    },
    {
      command: '<%= config.bin %> <%= command.id %> screenshot.bmp',
      description: 'Read a boot diagnostics screenshot: the kind of screen, its state, codes and text',
    },
    {
      command: 'az vm boot-diagnostics get-boot-log -n web-01 -g web-rg | <%= config.bin %> <%= command.id %> -',
      description: 'Analyse a log read from stdin',
    },
    {
      command: '<%= config.bin %> <%= command.id %> -n web-01 -g web-rg',
      description: 'Snapshot a VM now (kept in the archive, as with fetch) and analyse its log and screenshot',
    },
    {
      command: '<%= config.bin %> <%= command.id %> serial.log --query verdict.outcome -o tsv',
      description: 'Print only the outcome of the last boot',
    },
    {
      command: '<%= config.bin %> <%= command.id %> serial.log -o none; echo $?',
      description: 'Use only the exit status: 0 healthy, 3 a failure outcome, 1 the log could not be read',
    },
  ]

  static override flags = {
    ...vmTargetFlags,
    archive: archiveFlag,
    html: Flags.string({
      helpValue: 'FILE',
      summary: 'Also write the report to FILE as one self-contained HTML page (timeline chart, evidence, screenshot).',
    }),
  }

  static override summary = 'Analyse a serial log, a screenshot, or both: where did the boot or shutdown stop, and why.'

  /**
   * What the flags ask for (tested in-process: test/unit/commands/options.test.ts). One log: LOG, or a VM,
   * or — neither given and stdin a pipe or a file — stdin, as `-`. LOG and a VM together are a usage error.
   */
  options(stdinPiped: boolean = stdinIsPiped()): AnalyzeCommandOptions {
    const {archive: _archive, html, ...rest} = this.flags
    const vm = pickVmTargetFlags(rest)
    const vmFlags = Object.keys(vm)
    const log = this.args.log
    if (log !== undefined && vmFlags.length > 0) {
      const given = vmFlags.map((name) => (name === 'name' ? '-n' : name === 'resource-group' ? '-g' : `--${name}`))
      throw new UsageError(
        `analyze reads one log: ${log === '-' ? 'stdin (-)' : `'${printable(log)}'`} or the VM named by ${given.join(' ')}, not both. Drop one of them.`,
      )
    }

    return {html, log: log ?? (vmFlags.length === 0 && stdinPiped ? '-' : undefined), vm}
  }

  async run(): Promise<AnalyzeOutput> {
    const {html, log, vm} = this.options()
    if (html !== undefined) await checkOutputFile(html, '--html', 'the HTML report')
    if (log === '-' && process.stdin.isTTY) this.note('Reading the serial log from stdin; end it with Ctrl-D.')

    const target = log ?? (await this.snapshotOfNamedVm(vm))
    const result = await analyzeTarget({
      settings: readSettings(),
      signal: this.signal,
      target,
      withScreenshot: html !== undefined,
    })
    this.throwIfInterrupted()
    const {output} = result

    if (html !== undefined) {
      const page = renderAnalysisHtml(output, {
        generatedAt: new Date(),
        screenshotPng: result.screenshotPng,
        version: this.config.version,
      })
      await writeOutputFile(html, page, '--html', 'the HTML report')
      this.note(`HTML report written to ${html}`)
    }

    this.exitCodeOnSuccess = result.healthy ? ExitCode.ok : ExitCode.failureOutcome
    this.presentReport(output, result.screenshot)
    return output
  }

  /** analyze -n VM -g RG: take a snapshot (as fetch does) and analyse the snapshot. */
  private async snapshotOfNamedVm(vm: VmTargetFlags): Promise<string> {
    const targets = await this.resolveTargets(vm)
    if (targets.length !== 1) throw new UsageError('analyze takes one VM; pass a single --ids.')
    const [{fetchSnapshot}, context] = await Promise.all([
      import('../services/snapshot/fetch-snapshot.js'),
      this.context(),
    ])
    // The report below is the analysis; snapshot.json need not carry a second one.
    const result = await fetchSnapshot(context, {reason: 'analyze', recordVerdict: false, ref: targets[0].ref})
    this.note(`Snapshot of ${result.vm.name} saved to ${result.snapshot}`)
    // A Blob-container archive's snapshot is read from its local copy.
    return result.localFolder
  }

  /**
   * table: the report for people; tsv: one line per session (a screenshot alone: one line for the screen);
   * everything else: the report as data.
   */
  private presentReport(output: AnalyzeOutput, screenshot: string | undefined): void {
    if (this.outputFormat === 'tsv' && !this.flags.query) {
      if (output.sessions) this.present(output.sessions, {columns: sessionColumns})
      else this.present(output.screen ? [output.screen] : [], {columns: screenColumns})
      return
    }

    this.present(output, {
      human: (color) => renderAnalysisText(output, {color, screenshot, width: process.stdout.columns || undefined}),
    })
  }
}
