/**
 * `bootdiag analyze` in-process (oclif's runCommand loads src/ through tsx): FILE, SNAPSHOT_DIR, the
 * output formats, --html, exit codes and one-line errors. Reading stdin and the start-up cost of the
 * built CLI are covered by test/e2e/analyze-cli.test.ts.
 */
import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import {createReadStream} from 'node:fs'
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {PNG} from 'pngjs'
import YAML from 'yaml'

import {analyze} from '../../../src/analysis/index.js'
import type {AnalysisReport} from '../../../src/analysis/types.js'
import {HEALTHY_LOG, PANIC_LOG} from '../../helpers/sample-logs.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

interface Run {
  stdout: string
  stderr: string
  exitCode: number
}

/** Run `bootdiag <args>` in-process; the exit code is oclif's for errors, else process.exitCode. */
async function bootdiag(args: string[]): Promise<Run> {
  const before = process.exitCode
  try {
    const {error, stderr, stdout} = await runCommand(args, {root})
    const exitCode = error ? (error.oclif?.exit ?? 1) : Number(process.exitCode ?? 0)
    return {exitCode, stderr, stdout}
  } finally {
    process.exitCode = before
  }
}

function tinyPng(): Buffer {
  const png = new PNG({height: 4, width: 4})
  png.data.fill(128)
  return PNG.sync.write(png)
}

describe('bootdiag analyze', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bootdiag-analyze-'))
  })

  afterEach(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  describe('given a log of a healthy boot', () => {
    let log: string
    beforeEach(async () => {
      log = join(dir, 'console.log')
      await writeFile(log, HEALTHY_LOG)
    })

    it('when analysed with the human format, then the verdict comes first and the exit code is 0', async () => {
      const {exitCode, stderr, stdout} = await bootdiag(['analyze', log, '-o', 'table'])
      expect(stdout.split('\n')[0]).to.match(/^✓ booted — /)
      expect(stdout).to.include('Session 1 of 1')
      expect(stdout).to.include('kernel 6.1.0-50-amd64')
      expect(stdout).to.match(/login-prompt +21 /)
      expect(stderr).to.equal('')
      expect(exitCode).to.equal(0)
    })

    it("when analysed with -o json, then stdout is exactly the analyser's AnalysisReport", async () => {
      const {exitCode, stdout} = await bootdiag(['analyze', log, '-o', 'json'])
      const report = JSON.parse(stdout) as AnalysisReport
      expect(report).to.deep.equal(JSON.parse(JSON.stringify(await analyze(createReadStream(log), {source: log}))))
      expect(report.source).to.equal(log)
      expect(report.bytes).to.equal(Buffer.byteLength(HEALTHY_LOG))
      expect(report.verdict).to.include({outcome: 'booted', session: 0})
      expect(report.sessions).to.have.length(1)
      expect(exitCode).to.equal(0)
    })

    it('when analysed with --json, then stdout is the same report', async () => {
      const asJson = JSON.parse((await bootdiag(['analyze', log, '--json'])).stdout) as AnalysisReport
      const asOutput = JSON.parse((await bootdiag(['analyze', log, '-o', 'json'])).stdout) as AnalysisReport
      expect(asJson).to.deep.equal(asOutput)
    })

    it('when analysed with -o yaml, then stdout is the report as YAML', async () => {
      const report = YAML.parse((await bootdiag(['analyze', log, '-o', 'yaml'])).stdout) as AnalysisReport
      expect(report.verdict.outcome).to.equal('booted')
    })

    it('when asked for --query verdict.outcome -o tsv, then only the outcome is printed', async () => {
      const {stdout} = await bootdiag(['analyze', log, '--query', 'verdict.outcome', '-o', 'tsv'])
      expect(stdout.trim()).to.equal('booted')
    })

    it('when analysed with -o tsv, then there is one line per session', async () => {
      const {stdout} = await bootdiag(['analyze', log, '-o', 'tsv'])
      const fields = stdout.trim().split('\t')
      expect(stdout.trim().split('\n')).to.have.length(1)
      expect(fields[0]).to.equal('0')
      expect(fields[1]).to.equal('booted')
      expect(fields[5]).to.equal('6.1.0-50-amd64')
      expect(fields[6]).to.equal('false')
    })

    it('when analysed with --html, then a self-contained page is written and named on stderr', async () => {
      const html = join(dir, 'report.html')
      const {exitCode, stderr, stdout} = await bootdiag(['analyze', log, '--html', html, '-o', 'none'])
      const page = await readFile(html, 'utf8')
      expect(page).to.match(/^<!DOCTYPE html>/)
      expect(page).to.include('<span class="outcome">booted</span>')
      expect(page).to.include('<svg ')
      expect(stderr.trim()).to.equal(`HTML report written to ${html}`)
      expect(stdout).to.equal('')
      expect(exitCode).to.equal(0)
      expect((await readdir(dir)).sort()).to.deep.equal(['console.log', 'report.html'])
    })
  })

  describe('given a log whose kernel panics', () => {
    it('when analysed, then the report is printed and the exit code is 3', async () => {
      const log = join(dir, 'panic.log')
      await writeFile(log, PANIC_LOG)
      const {exitCode, stdout} = await bootdiag(['analyze', log, '-o', 'table'])
      expect(stdout.split('\n')[0]).to.match(/^✗ kernel-panic — /)
      expect(stdout).to.include('Kernel panic - not syncing')
      expect(exitCode).to.equal(3)
    })
  })

  describe('given an empty file', () => {
    it('when analysed, then the verdict is no-output and the exit code is 3', async () => {
      const log = join(dir, 'empty.log')
      await writeFile(log, '')
      const {exitCode, stdout} = await bootdiag(['analyze', log, '-o', 'json'])
      const report = JSON.parse(stdout) as AnalysisReport
      expect(report.verdict).to.include({outcome: 'no-output', session: null})
      expect(report.sessions).to.deep.equal([])
      expect(exitCode).to.equal(3)
    })
  })

  describe('given a snapshot directory made by fetch', () => {
    let snapshot: string
    beforeEach(async () => {
      snapshot = join(dir, 'snapshots', 'web-01', '2026-05-04T10-22-31Z')
      await mkdir(snapshot, {recursive: true})
      await writeFile(join(snapshot, 'serial.log'), PANIC_LOG)
      await writeFile(join(snapshot, 'screenshot.png'), tinyPng())
      await writeFile(join(snapshot, 'screenshot.bmp'), Buffer.from('BM'))
      await writeFile(join(snapshot, 'snapshot.json'), JSON.stringify({vm: 'web-01'}))
    })

    it('when analysed, then its serial.log is read and its screenshot named', async () => {
      const {exitCode, stdout} = await bootdiag(['analyze', snapshot, '-o', 'table'])
      expect(stdout.split('\n')[0]).to.match(/^✗ kernel-panic/)
      expect(stdout).to.include(`  ${join(snapshot, 'serial.log')} · `)
      expect(stdout).to.include(`  screenshot: ${join(snapshot, 'screenshot.png')}`)
      expect(exitCode).to.equal(3)
    })

    it("when analysed with -o json, then the source is the snapshot's serial.log", async () => {
      const report = JSON.parse((await bootdiag(['analyze', snapshot, '-o', 'json'])).stdout) as AnalysisReport
      expect(report.source).to.equal(join(snapshot, 'serial.log'))
    })

    it('when its serial.log is named directly, then the screenshot is still linked', async () => {
      const {stdout} = await bootdiag(['analyze', join(snapshot, 'serial.log'), '-o', 'table'])
      expect(stdout).to.include(`  screenshot: ${join(snapshot, 'screenshot.png')}`)
    })

    it('when analysed with --html, then the screenshot is embedded in the page', async () => {
      const html = join(dir, 'report.html')
      await bootdiag(['analyze', snapshot, '--html', html, '-o', 'none'])
      expect(await readFile(html, 'utf8')).to.include(`data:image/png;base64,${tinyPng().toString('base64')}`)
    })
  })

  describe('given a path that does not exist', () => {
    it('when analysed, then one line says what to do and the exit code is 1', async () => {
      const missing = join(dir, 'nope.log')
      const {exitCode, stderr, stdout} = await bootdiag(['analyze', missing])
      expect(stderr).to.equal(
        `Error: No such file or directory: ${missing}. Pass the path of a serial log, a snapshot directory made by 'bootdiag fetch', or - to read stdin.\n`,
      )
      expect(stdout).to.equal('')
      expect(exitCode).to.equal(1)
    })
  })

  describe('given a file the user may not read', () => {
    it('when analysed, then one line says so and the exit code is 1', async function () {
      if (process.getuid?.() === 0) this.skip() // root reads any file
      const log = join(dir, 'secret.log')
      await writeFile(log, HEALTHY_LOG, {mode: 0o000})
      const {exitCode, stderr} = await bootdiag(['analyze', log])
      expect(stderr).to.equal(
        `Error: Cannot read ${log} (EACCES: permission denied). Check the path and its permissions.\n`,
      )
      expect(exitCode).to.equal(1)
    })
  })

  describe('given a directory without a serial.log or a screenshot', () => {
    it('when analysed, then one line says it is not a snapshot and the exit code is 1', async () => {
      const {exitCode, stderr} = await bootdiag(['analyze', dir])
      expect(stderr.trimEnd().split('\n')).to.have.length(1)
      expect(stderr).to.match(
        /^Error: .* is a directory without a serial\.log or a screenshot, so it is not a snapshot\./,
      )
      expect(exitCode).to.equal(1)
    })
  })

  describe('given an --html path whose folder does not exist', () => {
    it('when analysed, then it fails before reading the log, in one line, with exit code 1', async () => {
      const log = join(dir, 'console.log')
      await writeFile(log, HEALTHY_LOG)
      const {exitCode, stderr, stdout} = await bootdiag([
        'analyze',
        log,
        '--html',
        join(dir, 'no', 'such', 'report.html'),
      ])
      expect(stderr.trimEnd().split('\n')).to.have.length(1)
      expect(stderr).to.include('(ENOENT): its folder does not exist. Choose a writable path for --html.')
      expect(stdout).to.equal('')
      expect(exitCode).to.equal(1)
    })
  })

  // No log and no VM depends on what stdin is (a pipe is read as the log): test/e2e/pipes.test.ts runs it
  // with stdin a pipe and with stdin /dev/null, which an in-process run cannot choose.
})
