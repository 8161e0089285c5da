/** The analyser's one-line verdict on a snapshot's serial log, as recorded in snapshot.json. */
import {createReadStream} from 'node:fs'

import type {SnapshotManifest} from '../../store/manifest.js'

export async function verdictOfLog(serialLogPath: string): Promise<NonNullable<SnapshotManifest['analysis']>> {
  const {analyze} = await import('../../analysis/index.js')
  const {verdict} = await analyze(createReadStream(serialLogPath), {source: serialLogPath})
  return {lastStage: verdict.lastStage, outcome: verdict.outcome, summary: verdict.summary}
}
