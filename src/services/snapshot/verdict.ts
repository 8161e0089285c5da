/** The analyser's one-line verdict on a snapshot's serial log, as recorded in snapshot.json. */
import {createReadStream} from 'node:fs'

import type {SnapshotManifest} from '../../store/manifest.js'

export async function verdictOfLog(serialLogPath: string): Promise<NonNullable<SnapshotManifest['analysis']>> {
  const [{analyze}, {failureSignature}] = await Promise.all([
    import('../../analysis/index.js'),
    import('../../analysis/signature.js'),
  ])
  const {verdict} = await analyze(createReadStream(serialLogPath), {source: serialLogPath})
  return {
    lastStage: verdict.lastStage,
    outcome: verdict.outcome,
    signature: failureSignature(verdict),
    summary: verdict.summary,
  }
}
