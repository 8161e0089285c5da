/**
 * The verdict a snapshot records in its snapshot.json: its serial log analysed, its screenshot read (or
 * the reading of an earlier snapshot with the same screenshot carried over), both reconciled
 * (./verdict.ts). The snapshot matters more than its verdict: an analyser or reader failure never fails
 * the snapshot — the failing witness is left out, and a screenshot that was not read says why.
 */
import {createReadStream} from 'node:fs'

import type {AnalysisReport} from '../../analysis/types.js'
import type {SnapshotAnalysis, SnapshotScreen} from '../../store/manifest.js'
import type {ScreenReader} from './screen-reader.js'
import {type ScreenWitness, witnessVerdict} from './verdict.js'

export interface SnapshotWitnesses {
  /** the snapshot's serial.log, when it has one */
  logPath?: string
  /** its screenshot (the BMP as served, or the PNG), when it has one that must be read */
  screenshotPath?: string
  /** the reading of an earlier snapshot whose screenshot is the same bytes (read nothing then) */
  carriedScreen?: SnapshotScreen
  /** the VM's OS type (`Linux` / `Windows`), when Azure said */
  osType?: string | null
}

/** Both witnesses of a snapshot, reconciled; undefined when it has neither (or the log alone failed). */
export async function analyseSnapshot(
  files: SnapshotWitnesses,
  screens: ScreenReader,
): Promise<SnapshotAnalysis | undefined> {
  const [log, screen] = await Promise.all([
    files.logPath ? analyseLog(files.logPath) : Promise.resolve(null),
    screenWitness(files, screens),
  ])
  if (!log && !screen) return undefined
  return witnessVerdict({log, osType: files.osType, screen}).analysis
}

async function screenWitness(files: SnapshotWitnesses, screens: ScreenReader): Promise<ScreenWitness | null> {
  if (files.carriedScreen) return {carried: files.carriedScreen}
  return files.screenshotPath ? screens.readFile(files.screenshotPath) : null
}

/** The analyser's report on a kept log, or null when the analyser fails. */
async function analyseLog(path: string): Promise<AnalysisReport | null> {
  try {
    const {analyze} = await import('../../analysis/index.js')
    return await analyze(createReadStream(path), {source: path})
  } catch {
    return null
  }
}
