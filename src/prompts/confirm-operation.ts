/**
 * "Restart web-01? …" — the yes/no question before an operation that interrupts a running VM, on
 * @inquirer/prompts, drawn on stderr (stdout stays the result). The default answer is no. Callers pass
 * the gate (prompts/gate.ts) first: without a terminal the question is never asked and `--yes` is needed.
 */
import type {confirm as confirmPrompt} from '@inquirer/prompts'

import {InterruptedError} from '../errors.js'

/** Where the prompt reads keys and draws (tests hand in their own streams). */
export type ConfirmIo = NonNullable<Parameters<typeof confirmPrompt>[1]>

export async function confirmOperation(question: string, io: ConfirmIo = {output: process.stderr}): Promise<boolean> {
  const {confirm} = await import('@inquirer/prompts')
  try {
    return await confirm({default: false, message: question}, io)
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError'))
      throw new InterruptedError('SIGINT', 'Cancelled; nothing was done.')
    throw error
  }
}
