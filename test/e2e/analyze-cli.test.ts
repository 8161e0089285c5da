/**
 * `bootdiag analyze` as a user runs it: the built CLI in a child process. Reading stdin, exit codes,
 * one-line errors on stderr, and start-up: analysing a log must not load the Azure SDKs.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {AnalysisReport} from '../../src/analysis/types.js'
import {builtCommand, DEBUG_MODE, ensureBuilt, repoRoot, runBootdiag} from '../helpers/cli.js'
import {HEALTHY_LOG, PANIC_LOG} from '../helpers/sample-logs.js'

const recorder = pathToFileURL(join(repoRoot, 'test', 'helpers', 'record-modules.mjs')).href

describe('bootdiag analyze (built CLI)', () => {
  let dir: string

  before(() => {
    ensureBuilt()
  })

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bootdiag-analyze-e2e-'))
  })

  afterEach(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  describe('given a healthy log on stdin', () => {
    it('when analysed with -, then the JSON report (the default when piped) has source - and the exit code is 0', async () => {
      const {exitCode, stderr, stdout} = await runBootdiag(['analyze', '-'], {input: HEALTHY_LOG})
      const report = JSON.parse(stdout) as AnalysisReport
      expect(report.source).to.equal('-')
      expect(report.verdict.outcome).to.equal('booted')
      expect(report.bytes).to.equal(Buffer.byteLength(HEALTHY_LOG))
      expect(stderr).to.equal('')
      expect(exitCode).to.equal(0)
    })

    it('when analysed with -o table, then the human report calls the source stdin', async () => {
      const {stdout} = await runBootdiag(['analyze', '-', '-o', 'table'], {input: HEALTHY_LOG})
      expect(stdout.split('\n')[1]).to.match(/^ {2}stdin · 21 lines · /)
    })
  })

  describe('given a failing log on stdin', () => {
    it('when analysed, then the report is printed and the exit code is 3', async () => {
      const {exitCode, stdout} = await runBootdiag(['analyze', '-', '-o', 'table'], {input: PANIC_LOG})
      expect(stdout).to.match(/^✗ kernel-panic — /)
      expect(exitCode).to.equal(3)
    })
  })

  describe('given empty stdin', () => {
    it('when analysed, then the verdict is no-output and the exit code is 3', async () => {
      const {exitCode, stdout} = await runBootdiag(['analyze', '-', '--json'], {input: ''})
      expect((JSON.parse(stdout) as AnalysisReport).verdict.outcome).to.equal('no-output')
      expect(exitCode).to.equal(3)
    })
  })

  describe('given a missing file', () => {
    it('when analysed, then stderr is one line without a stack trace and the exit code is 1', async () => {
      const missing = join(dir, 'missing.log')
      const {exitCode, stderr, stdout} = await runBootdiag(['analyze', missing])
      expect(stderr).to.equal(
        `Error: No such file or directory: ${missing}. Pass the path of a serial log, a snapshot directory made by 'bootdiag fetch', or - to read stdin.\n`,
      )
      expect(stdout).to.equal('')
      expect(exitCode).to.equal(1)
    })
  })

  describe('given an unknown flag', () => {
    it('when run, then it is a usage error with exit code 2', async () => {
      const {exitCode, stderr} = await runBootdiag(['analyze', 'x.log', '--frobnicate'])
      expect(stderr.trimEnd().split('\n')).to.have.length(1)
      expect(exitCode).to.equal(2)
    })
  })

  describe('start-up', () => {
    it('given a small log, when the CLI analyses it, then no Azure SDK module is loaded', async () => {
      const log = join(dir, 'console.log')
      const modules = join(dir, 'modules.txt')
      await writeFile(log, HEALTHY_LOG)
      const {exitCode} = await runBootdiag(['analyze', log, '-o', 'none'], {
        env: {BOOTDIAG_RECORD_MODULES: modules, NODE_OPTIONS: `--import=${recorder}`},
      })
      const loaded = (await readFile(modules, 'utf8')).split('\n').filter(Boolean)
      expect(exitCode).to.equal(0)
      // The recorder saw the CLI start and the command run...
      expect(loaded.some((url) => url.includes('/node_modules/@oclif/core/'))).to.equal(true)
      expect(loaded).to.include(pathToFileURL(builtCommand).href)
      // ...and nothing of the Azure SDKs (but their logger, which --debug turns on: debug mode runs with it)
      expect(
        loaded.filter((url) => url.includes('/@azure/') && !(DEBUG_MODE && url.includes('/@azure/logger/'))),
      ).to.deep.equal([])
    })

    it('given the analyze command module, when it is imported, then neither Azure SDKs nor prompts come with it', async () => {
      const modules = join(dir, 'modules.txt')
      const script = join(dir, 'import-analyze.mjs')
      await writeFile(script, `await import(${JSON.stringify(pathToFileURL(builtCommand).href)})\n`)
      const result = spawnSync(process.execPath, [`--import=${recorder}`, script], {
        env: {...process.env, BOOTDIAG_RECORD_MODULES: modules},
        encoding: 'utf8',
      })
      expect(result.status, result.stderr).to.equal(0)
      const loaded = (await readFile(modules, 'utf8')).split('\n').filter(Boolean)
      expect(loaded).to.include(pathToFileURL(builtCommand).href)
      expect(loaded.filter((url) => /\/@azure\/|\/@inquirer\//.test(url))).to.deep.equal([])
    })
  })
})
