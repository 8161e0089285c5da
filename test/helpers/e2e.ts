/**
 * The end-to-end suites' one fixture: what every file under test/e2e used to set up by hand.
 *
 *   describe('e2e: ...', function () {
 *     const suite = e2eSuite({fakeAzure: {settings: {pageSize: 2}}, setup: async (fake) => { await fake.addVm(...) }})
 *     it('...', async () => {
 *       const run = await suite.run(['vm', 'list'])
 *       expect(run.exitCode, run.stderr).to.equal(0)
 *     })
 *   })
 *
 * Called inside a `describe`, it registers that suite's hooks: before all — dist/ built (`ensureBuilt`), the
 * loopback fake of Azure started (optional) and `setup` run on it; before each test — a fresh scratch folder
 * with an `archive` path in it (not created) and an empty `AZURE_CONFIG_DIR`, and a tmux terminal when asked
 * for; after each — the terminal closed and the scratch folder removed; after all — the fake stopped.
 *
 * Every run gets the standard environment (`suite.env()`): the fake's (service principal, endpoints, the test
 * CA, the dead proxy), AZURE_CONFIG_DIR, BOOTDIAG_ARCHIVE, NODE_OPTIONS that silence Node's experimental
 * proxy-agent warning, the suite's own `env`, then the run's. Runs go through test/helpers/cli.ts, so each is
 * checked for leaked secrets (stdout, stderr, the archive it wrote). Debug mode is on by default for suites
 * with the fake Azure: every run has --debug (BOOTDIAG_DEBUG=1), its raw stderr and archive are checked, and
 * the assertions see stderr as a user without --debug does. Suites whose exact screens the debug lines would
 * disturb, or that never reach Azure, pass `debug: false`; one run can opt out with `{debug: false}`.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type FakeAzure, type FakeAzureOptions, startFakeAzure} from '../fake-azure/index.js'
import {type CliResult, type CliRunOptions, type RunningCli, ensureBuilt, runBootdiag, startBootdiag} from './cli.js'
import {TmuxTerminal, hasTmux} from './tmux.js'

export interface E2eSuiteOptions {
  /** start the loopback fake of Azure for the suite, with these options (`true`: the defaults); left out: no fake */
  fakeAzure?: FakeAzureOptions | true
  /** once the fake has started: add the VMs, principals, … that every test of the suite uses */
  setup?: (fake: FakeAzure) => Promise<void>
  /** environment every run of the suite gets on top of the standard one (e.g. BOOTDIAG_MAX_RETRIES) */
  env?: NodeJS.ProcessEnv
  /** every run with --debug (default: true with the fake Azure, false without) */
  debug?: boolean
  /** kill a run after this long (default: cli.ts's 60 s) */
  runTimeoutMs?: number
  /** a tmux terminal per test (`suite.terminal`), on a server named after this; the suite skips, with a notice, without tmux */
  terminal?: string
}

/** One run's options on top of the suite's (its environment is the second argument of run/start). */
export type E2eRunOptions = Omit<CliRunOptions, 'env'>

export interface E2eSuite {
  /** the loopback fake of Azure (only with `fakeAzure`) */
  readonly fake: FakeAzure
  /** this test's scratch folder (removed after it) */
  readonly scratch: string
  /** `<scratch>/archive`: BOOTDIAG_ARCHIVE of every run (not created) */
  readonly archive: string
  /** this test's tmux terminal (only with `terminal`) */
  readonly terminal: TmuxTerminal
  /** The standard environment of a run, with `extra` on top. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv
  /** Run the built CLI to its end. */
  run(args: string[], extraEnv?: NodeJS.ProcessEnv, options?: E2eRunOptions): Promise<CliResult>
  /** Start the built CLI (to signal it, or watch it while it runs). */
  start(args: string[], extraEnv?: NodeJS.ProcessEnv, options?: E2eRunOptions): RunningCli
  /** Start `bootdiag <args>` in a new session of this test's terminal, with the standard environment. */
  inTerminal(
    session: string,
    args: string[],
    options?: {env?: NodeJS.ProcessEnv; size?: {columns: number; rows: number}},
  ): Promise<void>
}

/** Register the hooks of an end-to-end suite in the current `describe` and return its handle (see the module comment). */
export function e2eSuite(options: E2eSuiteOptions = {}): E2eSuite {
  const debug = options.debug ?? Boolean(options.fakeAzure)
  let fake: FakeAzure | undefined
  let scratch: string | undefined
  let terminal: TmuxTerminal | undefined

  before(async function () {
    // compiling src/ (when dist/ is stale) and starting Azurite may take a while on a busy machine
    this.timeout(Math.max(this.timeout(), 180_000))
    if (options.terminal && !hasTmux) {
      console.log('    (skipped: tmux is not installed; .ci/run installs it)')
      this.skip()
    }

    ensureBuilt()
    if (options.fakeAzure) {
      fake = await startFakeAzure(options.fakeAzure === true ? {} : options.fakeAzure)
      await options.setup?.(fake)
    }
  })

  after(async () => {
    await fake?.stop()
    fake = undefined
  })

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-e2e-'))
    if (options.terminal) terminal = new TmuxTerminal(options.terminal, scratch)
  })

  afterEach(async () => {
    terminal?.close()
    terminal = undefined
    if (scratch) await rm(scratch, {force: true, recursive: true})
    scratch = undefined
  })

  const suite: E2eSuite = {
    get fake() {
      if (!fake) throw new Error('e2eSuite: no fake Azure (pass fakeAzure, and use it inside a test or hook)')
      return fake
    },
    get scratch() {
      if (!scratch) throw new Error('e2eSuite: the scratch folder exists only while a test runs')
      return scratch
    },
    get archive() {
      return join(suite.scratch, 'archive')
    },
    get terminal() {
      if (!terminal) throw new Error('e2eSuite: no terminal (pass terminal, and use it inside a test)')
      return terminal
    },
    env(extra = {}) {
      return {
        ...(fake ? fake.env() : {}),
        AZURE_CONFIG_DIR: join(suite.scratch, 'az'),
        BOOTDIAG_ARCHIVE: suite.archive,
        NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
        ...options.env,
        ...extra,
      }
    },
    run(args, extraEnv = {}, runOptions = {}) {
      return runBootdiag(args, runOptionsOf(extraEnv, runOptions))
    },
    start(args, extraEnv = {}, runOptions = {}) {
      return startBootdiag(args, runOptionsOf(extraEnv, runOptions))
    },
    inTerminal(session, args, terminalOptions = {}) {
      const env = Object.fromEntries(
        Object.entries(suite.env(terminalOptions.env)).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      )
      return suite.terminal.startBootdiag(session, args, env, terminalOptions.size)
    },
  }

  function runOptionsOf(extraEnv: NodeJS.ProcessEnv, runOptions: E2eRunOptions): CliRunOptions {
    return {debug, timeoutMs: options.runTimeoutMs, ...runOptions, env: suite.env(extraEnv)}
  }

  return suite
}
