/**
 * Root hook for the tiers that need the compiled CLI in dist/ — unit (oclif's runCommand finds the commands
 * through oclif.manifest.json, in dist/), integration (the manifest check) and end-to-end (bin/run.js):
 * compile src/ first when dist/ is missing or older than src/, so that a tier run on its own never tests
 * stale code. (`npm test` compiles once, in `pretest`; then this finds dist/ fresh and does nothing.)
 */
import {ensureBuilt} from './cli.js'

export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    this.timeout(300_000)
    ensureBuilt()
  },
}
