/**
 * The CLI's contract: oclif.manifest.json is committed (fast start-up, and every flag change shows in
 * review). This fails when it is stale: regenerate it with `npm run build` and commit it.
 */
import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {promisify} from 'node:util'

import {expect} from 'chai'

const run = promisify(execFile)

/** The manifest oclif would write now, computed from the compiled commands in dist/ (built by `pretest`). */
async function freshManifest(): Promise<{commands: Record<string, unknown>}> {
  const script = `
    import {Plugin} from '@oclif/core'
    const plugin = new Plugin({errorOnManifestCreate: true, ignoreManifest: true, respectNoCacheDefault: true, root: process.cwd(), type: 'core'})
    await plugin.load()
    process.stdout.write(JSON.stringify(plugin.manifest))`
  const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script], {maxBuffer: 16 * 1024 * 1024})
  return JSON.parse(stdout)
}

describe('CLI contract: oclif.manifest.json', () => {
  it('is committed and matches the commands and flags as built', async () => {
    const committed = JSON.parse(await readFile('oclif.manifest.json', 'utf8')) as {commands: Record<string, unknown>}
    const fresh = await freshManifest()
    expect(
      Object.keys(committed.commands).sort(),
      'commands (run `npm run build` and commit oclif.manifest.json)',
    ).to.deep.equal(Object.keys(fresh.commands).sort())
    for (const id of Object.keys(fresh.commands)) {
      expect(
        committed.commands[id],
        `command '${id}' (run \`npm run build\` and commit oclif.manifest.json)`,
      ).to.deep.equal(fresh.commands[id])
    }
  })
})
