/**
 * The one "can we prompt?" gate: a person is at a terminal (stdin and stdout are TTYs), this is not CI,
 * and no machine-readable output was asked for. Without it, a missing value is a usage error naming the
 * flag to pass.
 */
import {isCI} from '../util/terminal.js'

export interface PromptContext {
  stdinIsTTY: boolean
  stdoutIsTTY: boolean
  ci: boolean
  /** --json or -o json/yaml/tsv/none: a script is reading stdout */
  machineOutput: boolean
}

export function currentPromptContext(machineOutput: boolean): PromptContext {
  return {
    ci: isCI(),
    machineOutput,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
  }
}

export function canPrompt(context: PromptContext): boolean {
  return context.stdinIsTTY && context.stdoutIsTTY && !context.ci && !context.machineOutput
}

/** Why no prompt was shown, for the error message. */
export function whyNoPrompt(context: PromptContext): string {
  if (!context.stdinIsTTY || !context.stdoutIsTTY) return 'no terminal is attached'
  if (context.ci) return 'running in CI'
  return 'machine-readable output was requested'
}
