/**
 * bootdiag's serial-log analyser: reads any Linux serial console log (Azure boot diagnostics, AWS,
 * GCP, QEMU, libvirt) as a stream and says where each boot or shutdown got to and why it stopped,
 * with the lines that prove it. Imports nothing of oclif or Azure.
 *
 *   const report = await analyze(fs.createReadStream(path), {source: path})
 */
import {Analyzer} from './analyzer.js'
import type {CompiledAdvice} from './advice.js'
import {builtinCatalogue, type CompiledMarker, type CompiledRule} from './catalogue.js'
import type {AnalysisReport} from './types.js'

export {Analyzer} from './analyzer.js'
export type {AdviceRecord, RuleRecord, StageMarkerRecord} from './rules/schema.js'
export type {CompiledAdvice} from './advice.js'
export * from './types.js'

export interface AnalyzeOptions {
  /** the file path, '-' for stdin, or the snapshot's serial.log path */
  source: string
}

/** Analyse a log read as a stream of chunks (a Node Readable is an AsyncIterable<Buffer>). */
export async function analyze(
  input: AsyncIterable<Uint8Array | string>,
  options: AnalyzeOptions,
): Promise<AnalysisReport> {
  const analyzer = new Analyzer()
  for await (const chunk of input) analyzer.push(chunk)
  return analyzer.finish(options.source)
}

/** The compiled failure-signature catalogue, read-only (for docs and tests). */
export const RULES: readonly CompiledRule[] = Object.freeze([...builtinCatalogue().rules])

/** The compiled stage-marker table, read-only. */
export const STAGE_MARKERS: readonly CompiledMarker[] = Object.freeze([...builtinCatalogue().markers])

/** The advice catalogue, compiled, read-only. */
export const ADVICE: readonly CompiledAdvice[] = Object.freeze([...builtinCatalogue().advice])
