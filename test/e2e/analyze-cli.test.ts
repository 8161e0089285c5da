/**
 * `bootdiag analyze` as a user runs it: the built CLI in a child process. Reading stdin, exit codes,
 * one-line errors on stderr, and start-up: analysing a log must not load the Azure SDKs.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import type {AnalysisReport} from '../../src/analysis/types.js'
import {builtCommand, repoRoot} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import {HEALTHY_LOG, PANIC_LOG} from '../helpers/sample-logs.js'

const recorder = pathToFileURL(join(repoRoot, 'test', 'helpers', 'record-modules.mjs')).href

describe('bootdiag analyze (built CLI)', () => {
  // (no Azure, so no --debug)
  const suite = e2eSuite()

  describe('given a healthy log on stdin', () => {
    it('when analysed with -, then the JSON report (the default when piped) has source - and the exit code is 0', async () => {
      const {exitCode, stderr, stdout} = await suite.run(['analyze', '-'], {}, {input: HEALTHY_LOG})
      const report = JSON.parse(stdout) as AnalysisReport
      expect(report.source).to.equal('-')
      expect(report.verdict.outcome).to.equal('booted')
      expect(report.bytes).to.equal(Buffer.byteLength(HEALTHY_LOG))
      expect(stderr).to.equal('')
      expect(exitCode).to.equal(0)
    })

    it('when analysed with -o table, then the human report calls the source stdin', async () => {
      const {stdout} = await suite.run(['analyze', '-', '-o', 'table'], {}, {input: HEALTHY_LOG})
      expect(stdout.split('\n')[1]).to.match(/^ {2}stdin · 21 lines · /)
    })
  })

  describe('given a failing log on stdin', () => {
    it('when analysed, then the report is printed and the exit code is 3', async () => {
      const {exitCode, stdout} = await suite.run(['analyze', '-', '-o', 'table'], {}, {input: PANIC_LOG})
      expect(stdout).to.match(/^✗ kernel-panic — /)
      expect(exitCode).to.equal(3)
    })
  })

  describe('given empty stdin', () => {
    it('when analysed, then the verdict is no-output and the exit code is 3', async () => {
      const {exitCode, stdout} = await suite.run(['analyze', '-', '--json'], {}, {input: ''})
      expect((JSON.parse(stdout) as AnalysisReport).verdict.outcome).to.equal('no-output')
      expect(exitCode).to.equal(3)
    })
  })

  describe('given a missing file', () => {
    it('when analysed, then stderr is one line without a stack trace and the exit code is 1', async () => {
      const missing = join(suite.scratch, 'missing.log')
      const {exitCode, stderr, stdout} = await suite.run(['analyze', missing])
      expect(stderr).to.equal(
        `Error: No such file or directory: ${missing}. Pass the path of a serial log, a snapshot directory made by 'bootdiag fetch', or - to read stdin.\n`,
      )
      expect(stdout).to.equal('')
      expect(exitCode).to.equal(1)
    })
  })

  describe('given an unknown flag', () => {
    it('when run, then it is a usage error with exit code 2', async () => {
      const {exitCode, stderr} = await suite.run(['analyze', 'x.log', '--frobnicate'])
      expect(stderr.trimEnd().split('\n')).to.have.length(1)
      expect(exitCode).to.equal(2)
    })
  })

  describe('start-up', () => {
    it('given a small log, when the CLI analyses it, then no Azure SDK module is loaded', async () => {
      const log = join(suite.scratch, 'console.log')
      const modules = join(suite.scratch, 'modules.txt')
      await writeFile(log, HEALTHY_LOG)
      const {exitCode} = await suite.run(['analyze', log, '-o', 'none'], {
        BOOTDIAG_RECORD_MODULES: modules,
        NODE_OPTIONS: `--import=${recorder}`,
      })
      const loaded = (await readFile(modules, 'utf8')).split('\n').filter(Boolean)
      expect(exitCode).to.equal(0)
      // The recorder saw the CLI start and the command run...
      expect(loaded.some((url) => url.includes('/node_modules/@oclif/core/'))).to.equal(true)
      expect(loaded).to.include(pathToFileURL(builtCommand).href)
      // ...and nothing of the Azure SDKs
      expect(loaded.filter((url) => url.includes('/@azure/'))).to.deep.equal([])
    })

    it('given the analyze command module, when it is imported, then neither Azure SDKs nor prompts come with it', async () => {
      const modules = join(suite.scratch, 'modules.txt')
      const script = join(suite.scratch, 'import-analyze.mjs')
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
