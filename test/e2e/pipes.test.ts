/**
 * bootdiag in scripts and pipes, as az, gh and kubectl users expect: the built CLI in a child process whose
 * stdin and stdout the test sets up itself — a pipe, /dev/null, a shell loop, a reader that goes away, a
 * named pipe with no writer — and the first-run helpers of bin/run.js (-h, -v, did-you-mean, an older
 * Node, an unbuilt checkout). No Azure: commands that would sign in point at a closed loopback port.
 */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {cp, mkdir, readdir, readlink, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import type {AnalysisReport} from '../../src/analysis/types.js'
import {cliEnv, expectOneLineError, repoRoot} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import {HEALTHY_LOG, PANIC_LOG} from '../helpers/sample-logs.js'

const RUN_JS = join(repoRoot, 'bin', 'run.js')
/** Azure that is not there: sign-in fails at once (a closed loopback port, no retries). */
const NO_AZURE = {
  AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
  AZURE_CLIENT_SECRET: 'not-a-secret-at-all',
  AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000002',
  BOOTDIAG_ARM_ENDPOINT: 'https://127.0.0.1:1',
  BOOTDIAG_MAX_RETRIES: '0',
}

interface Finished {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Wait for a child started by hand; its output as text. */
function finished(child: ChildProcess): Promise<Finished> {
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk))
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode, signal) => {
      const stderr = Buffer.concat(err).toString('utf8')
      resolve({
        exitCode,
        signal,
        stderr,
        stdout: Buffer.concat(out).toString('utf8'),
      })
    })
  })
}

/** Resolve once `condition` holds, looking again on each turn of the event loop (no fixed sleeps). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve))
}

describe('e2e: scripts and pipes', function () {
  this.timeout(120_000)
  // (no fake Azure and no --debug: these runs never reach Azure)
  const suite = e2eSuite()
  /** The whole environment of a child started by hand: the loopback-only one of cli.ts with the suite's on top. */
  const childEnv = (extra: NodeJS.ProcessEnv = {}) => cliEnv(suite.env(extra))

  describe('stdin', () => {
    it('cat log | bootdiag analyze (no LOG, no VM): the piped log is analysed, as with -', async () => {
      const run = await suite.run(['analyze'], {}, {input: PANIC_LOG})
      const report = JSON.parse(run.stdout) as AnalysisReport
      expect(report).to.deep.include({bytes: Buffer.byteLength(PANIC_LOG), source: '-'})
      expect(report.verdict.outcome).to.equal('kernel-panic')
      expect(run.stderr).to.equal('')
      expect(run.exitCode).to.equal(3)
    })

    it('echo FILE | bootdiag analyze: the piped text is the log; it never becomes the LOG argument', async () => {
      const log = join(suite.scratch, 'healthy.log')
      await writeFile(log, HEALTHY_LOG)
      const run = await suite.run(['analyze'], {}, {input: `${log}\n`})
      const report = JSON.parse(run.stdout) as AnalysisReport
      expect(report.source).to.equal('-')
      expect(report.bytes).to.equal(Buffer.byteLength(`${log}\n`))
      expect(report.verdict.outcome).not.to.equal('booted')
    })

    it('a whole log piped in (46 KB) is a log, never a 46 KB error line', async () => {
      const big = `${HEALTHY_LOG}\n`.repeat(Math.ceil(46_000 / HEALTHY_LOG.length))
      const run = await suite.run(['analyze', '-o', 'tsv'], {}, {input: big})
      expect(run.stderr).to.equal('')
      expect(run.exitCode).to.equal(0)
    })

    it('while read vm; do bootdiag analyze -n $vm -g RG; done: every line of the loop reaches its own turn', async () => {
      // Given a loop over three names, whose bootdiag runs fail fast (no Azure there)
      const script = `printf 'web-01\\nweb-02\\nweb-03\\n' | while read vm; do "$NODE" "$RUN" analyze -n "$vm" -g rg-web >/dev/null 2>&1; echo "turn $vm"; done`
      const run = spawnSync('sh', ['-c', script], {
        encoding: 'utf8',
        // (oclif's parser waits 10 ms for stdin by default; a slow pipe is given time, as on a busy machine)
        env: childEnv({...NO_AZURE, NODE: process.execPath, OCLIF_STDIN_TIMEOUT_MS: '2000', RUN: RUN_JS}),
        timeout: 90_000,
      })
      // Then bootdiag read none of the loop's input: each name had its turn
      expect(run.stdout.trim().split('\n'), run.stderr).to.deep.equal(['turn web-01', 'turn web-02', 'turn web-03'])
    })

    it('commands that do not read stdin leave it alone: the next command of the script reads all of it', async () => {
      const script = `{ "$NODE" "$RUN" vm list -g rg-web >/dev/null 2>&1; "$NODE" "$RUN" analyze --help >/dev/null; cat; }`
      const run = spawnSync('sh', ['-c', script], {
        encoding: 'utf8',
        env: childEnv({...NO_AZURE, NODE: process.execPath, RUN: RUN_JS}),
        input: 'first line\nsecond line\n',
        timeout: 90_000,
      })
      expect(run.stdout).to.equal('first line\nsecond line\n')
    })

    it('no LOG, no VM and stdin /dev/null (cron): a usage error naming what to pass, exit 2', async () => {
      const child = spawn(process.execPath, [RUN_JS, 'analyze'], {
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const run = await finished(child)
      expect(run.exitCode, run.stderr).to.equal(2)
      expect(run.stderr).to.equal(
        'Error: No VM given, and no picker because no terminal is attached: pass -n NAME -g RESOURCE_GROUP, --ids RESOURCE_ID, or --vmss NAME --instance-id N.\n',
      )
      expect(run.stdout).to.equal('')
    })

    it('a LOG and a VM at once: one usage line, exit 2, nothing analysed', async () => {
      const log = join(suite.scratch, 'healthy.log')
      await writeFile(log, HEALTHY_LOG)
      const run = await suite.run(['analyze', log, '-n', 'web-01', '-g', 'rg-web'], NO_AZURE)
      expectOneLineError(run, 2, /^Error: analyze reads one log: '.*healthy\.log' or the VM named by -n -g, not both\./)
    })
  })

  describe('a reader that goes away', () => {
    /** Run bootdiag with a stdout whose reader is closed before anything is written. */
    async function withClosedStdout(args: string[]): Promise<Finished> {
      const child = spawn(process.execPath, [RUN_JS, ...args], {env: childEnv(), stdio: ['ignore', 'pipe', 'pipe']})
      child.stdout!.destroy()
      return finished(child)
    }

    it('bootdiag analyze log | head: the run ends quietly, with its exit code (3: a failure outcome)', async () => {
      const log = join(suite.scratch, 'panic.log')
      await writeFile(log, PANIC_LOG.repeat(200))
      for (const format of ['json', 'table', 'tsv', 'yaml']) {
        const run = await withClosedStdout(['analyze', log, '-o', format])
        expect(run.stderr, format).to.equal('')
        expect(run.exitCode, format).to.equal(3)
      }
    })

    it('a healthy log, and --help, end with 0', async () => {
      const log = join(suite.scratch, 'healthy.log')
      await writeFile(log, HEALTHY_LOG)
      for (const args of [['analyze', log, '-o', 'json'], ['--help'], ['analyze', '--help']]) {
        const run = await withClosedStdout(args)
        expect(run.stderr, args.join(' ')).to.equal('')
        expect(run.exitCode, args.join(' ')).to.equal(0)
      }
    })
  })

  describe('a named pipe', () => {
    it('with no writer: the wait is stopped by SIGTERM (exit 143, one line) and by Ctrl-C (130)', async function () {
      if (spawnSync('mkfifo', ['--version']).status !== 0) this.skip()
      for (const [signal, code] of [
        ['SIGTERM', 143],
        ['SIGINT', 130],
      ] as const) {
        // Given a FIFO nobody writes to
        const fifo = join(suite.scratch, `console-${signal}.fifo`)
        spawnSync('mkfifo', [fifo])
        const child = spawn(process.execPath, [RUN_JS, 'analyze', fifo, '-o', 'json'], {
          env: childEnv(),
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        const done = finished(child)
        // When bootdiag holds it open, waiting for a writer, and the signal comes
        await until(async () => {
          const fds = await readdir(`/proc/${child.pid}/fd`).catch(() => [] as string[])
          const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${child.pid}/fd/${fd}`).catch(() => '')))
          return targets.includes(fifo)
        })
        child.kill(signal)
        const run = await done
        // Then it stops at once with the interrupted exit code and one line
        expect(run.exitCode, run.stderr).to.equal(code)
        expect(run.stderr).to.equal(`Error: Interrupted by ${signal}; nothing partial was kept.\n`)
      }
    })

    it('with a writer (bash <(command), mkfifo): the log that comes through is analysed', async function () {
      if (spawnSync('mkfifo', ['--version']).status !== 0) this.skip()
      const fifo = join(suite.scratch, 'console.fifo')
      spawnSync('mkfifo', [fifo])
      const run = spawnSync('sh', ['-c', `printf '%s' "$LOG" > "$FIFO" & "$NODE" "$RUN" analyze "$FIFO" -o json`], {
        encoding: 'utf8',
        env: childEnv({FIFO: fifo, LOG: PANIC_LOG, NODE: process.execPath, RUN: RUN_JS}),
        timeout: 60_000,
      })
      expect((JSON.parse(run.stdout) as AnalysisReport).verdict.outcome).to.equal('kernel-panic')
      expect(run.status).to.equal(3)
    })

    it('a device (/dev/zero, a terminal) is refused in one line, exit 1, and named', async () => {
      const run = await suite.run(['analyze', '/dev/zero'])
      expectOneLineError(
        run,
        1,
        /^Error: \/dev\/zero is a character device, not a log file\. .*bootdiag analyze - < \/dev\/zero$/,
      )
    })
  })

  describe('help, version and typos', () => {
    it('-h and --help, at the top and on a command, print the help and exit 0', async () => {
      for (const args of [['-h'], ['--help'], ['analyze', '-h'], ['vm', 'list', '-h'], ['archive', '--help']]) {
        const run = await suite.run(args)
        expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).to.equal(0)
        expect(run.stdout, args.join(' ')).to.match(/USAGE/)
        expect(run.stderr, args.join(' ')).to.equal('')
      }
    })

    it('-v and --version print the version and exit 0', async () => {
      for (const flag of ['-v', '--version']) {
        const run = await suite.run([flag])
        expect(run.exitCode, run.stderr).to.equal(0)
        expect(run.stdout).to.match(/^bootdiag\/\d+\.\d+\.\d+ /)
      }
    })

    it('a misspelt command names the command meant (exit 2)', async () => {
      expectOneLineError(
        await suite.run(['anlyze', 'x']),
        2,
        /^Error: Unknown command 'bootdiag anlyze x'\. Did you mean 'bootdiag analyze'\?$/,
      )
      expectOneLineError(
        await suite.run(['vm', 'lst']),
        2,
        /^Error: Unknown command 'bootdiag vm lst'\. Did you mean 'bootdiag vm list'\?$/,
      )
    })

    it('a misspelt flag names the flag meant (exit 2)', async () => {
      expectOneLineError(
        await suite.run(['vm', 'list', '--resource-grop', 'rg']),
        2,
        /^Error: Nonexistent flag: --resource-grop\. Did you mean '--resource-group'\? Run 'bootdiag vm list --help' for usage\.$/,
      )
    })
  })

  describe('first runs', () => {
    it('on a Node older than 22: one clear line, said once per user; no warning on every command', async function () {
      const older = ['/usr/bin/node', '/usr/local/bin/node'].find(
        (node) =>
          Number(spawnSync(node, ['-p', 'process.versions.node.split(".")[0]'], {encoding: 'utf8'}).stdout) < 22,
      )
      if (!older) {
        process.stderr.write(
          '      (notice: no Node older than 22 on this machine; the older-Node notice is not tested)\n',
        )
        this.skip()
      }

      const env = childEnv({XDG_STATE_HOME: join(suite.scratch, 'state')})
      const first = spawnSync(older!, [RUN_JS, '--version'], {encoding: 'utf8', env})
      const second = spawnSync(older!, [RUN_JS, '--version'], {encoding: 'utf8', env})
      expect(first.status, first.stderr).to.equal(0)
      expect(first.stderr.trimEnd().split('\n')).to.have.length(1)
      expect(first.stderr).to.match(
        /^bootdiag: this is Node\.js 2\d\.\S+; bootdiag is built and tested on Node\.js 22 or later\./,
      )
      expect(second.stderr).to.equal('')
      expect(second.stdout).to.match(/^bootdiag\//)
    })

    it('npm ci on an older Node: postinstall says in one line what is needed (npm itself is kept quiet by .npmrc)', () => {
      const notice = (agent: string) =>
        spawnSync(process.execPath, [join(repoRoot, 'scripts', 'node-notice.js')], {
          encoding: 'utf8',
          env: {...process.env, npm_config_user_agent: agent},
        })
      const older = notice('npm/11.19.1 node/v20.20.2 linux x64 workspaces/false')
      expect(older.status).to.equal(0)
      expect(older.stderr.trimEnd().split('\n')).to.have.length(1)
      expect(older.stderr).to.match(
        /^bootdiag: npm ran on Node 20\.20\.2; bootdiag needs Node 22, which npm ci just installed into node_modules\/\.bin/,
      )
      expect(notice('npm/11.19.1 node/v22.23.3 linux x64 workspaces/false').stderr).to.equal('')
      expect(readFileSync(join(repoRoot, '.npmrc'), 'utf8')).to.match(/^loglevel=error$/m)
    })

    it('the test fake started by hand on an older Node says how to start it (npm run fake-azure), in one line', function () {
      const older = ['/usr/bin/node', '/usr/local/bin/node'].find(
        (node) =>
          Number(spawnSync(node, ['-p', 'process.versions.node.split(".")[0]'], {encoding: 'utf8'}).stdout) < 22,
      )
      if (!older) this.skip()
      const run = spawnSync(older!, ['--import', 'tsx', join(repoRoot, 'test', 'fake-azure', 'serve.ts')], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
      })
      expect(run.status).to.equal(1)
      expect(run.stderr).to.match(
        /^The fake Azure needs Node 22 \(this is 2\d\.\S+\): start it with 'npm run fake-azure'/,
      )
    })

    it('npx bootdiag in a checkout that was never built: it builds itself once, then runs', async () => {
      // Given a copy of the checkout without dist/ (node_modules shared)
      const checkout = join(suite.scratch, 'checkout')
      await mkdir(checkout)
      for (const entry of ['bin', 'src', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'oclif.manifest.json'])
        await cp(join(repoRoot, entry), join(checkout, entry), {recursive: true})
      await symlink(join(repoRoot, 'node_modules'), join(checkout, 'node_modules'))
      const log = join(suite.scratch, 'healthy.log')
      await writeFile(log, HEALTHY_LOG)

      // When bootdiag runs there
      const run = spawnSync(process.execPath, [join(checkout, 'bin', 'run.js'), 'analyze', log, '-o', 'tsv'], {
        encoding: 'utf8',
        env: childEnv(),
        timeout: 110_000,
      })

      // Then it says it builds, builds, and analyses
      expect(run.stderr).to.match(/^bootdiag is not built yet: compiling it once \(npm run build\)/)
      expect(run.stdout).to.match(/^0\tbooted\t/)
      expect(run.status).to.equal(0)
    })

    it('a checkout without its packages: one line that says how to build, exit 1', async () => {
      const checkout = join(suite.scratch, 'bare')
      await mkdir(checkout)
      await cp(join(repoRoot, 'bin'), join(checkout, 'bin'), {recursive: true})
      await cp(join(repoRoot, 'package.json'), join(checkout, 'package.json'))
      const run = spawnSync(process.execPath, [join(checkout, 'bin', 'run.js'), 'vm', 'list'], {
        encoding: 'utf8',
        env: childEnv(),
      })
      expect(run.status).to.equal(1)
      expect(run.stderr).to.match(
        /^Error: bootdiag is not built: .* is missing\. Run 'npm ci && npm run build' in .*\.\n$/,
      )
    })
  })
})
