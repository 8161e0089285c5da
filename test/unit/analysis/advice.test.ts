/**
 * The advice catalogue (src/analysis/rules/advice.ts): every entry has a fixture log that shows it and a
 * near miss that must not get it (test/fixtures/advice/<id>.log and <id>.not.log); the advice names
 * what the evidence names, links its article, and gives the exact repair commands where an Azure Linux
 * Auto Repair action fits.
 */
import {createReadStream, existsSync, readdirSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {repairFor} from '../../../src/analysis/advice.js'
import {compileCatalogue} from '../../../src/analysis/catalogue.js'
import {ADVICE, analyze, RULES, STAGE_MARKERS, type AnalysisReport, type Repair} from '../../../src/analysis/index.js'
import type {AdviceRecord, RuleRecord} from '../../../src/analysis/index.js'
import {expectSaneReport} from './support.js'

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'advice')

interface Advised {
  where: string
  adviceId?: string
  advice?: string
  docs?: string
  repair?: Repair
  subject?: string
}

/** Every place of a report that carries advice: findings, sessions and the verdict. */
function advised(report: AnalysisReport): Advised[] {
  return [
    ...report.sessions.flatMap((session) => [
      ...session.findings.map((finding) => ({...finding, where: `finding ${finding.rule} (line ${finding.line})`})),
      {...session, where: `session ${session.index}`},
    ]),
    {...report.verdict, where: 'verdict'},
  ]
}

async function analyzeFixture(name: string): Promise<AnalysisReport> {
  const path = join(FIXTURES, `${name}.log`)
  expect(existsSync(path), `missing fixture ${path}`).to.equal(true)
  const report = await analyze(createReadStream(path), {source: path})
  expectSaneReport(report)
  return report
}

describe('analysis: advice catalogue', () => {
  it('holds entries for findings and for outcomes, each with a unique id, and no fixture without an entry', () => {
    const ids = ADVICE.map((entry) => entry.id)
    expect(new Set(ids).size).to.equal(ids.length)
    expect(ADVICE.some((entry) => entry.rules)).to.equal(true)
    expect(ADVICE.some((entry) => entry.outcomes)).to.equal(true)
    for (const file of readdirSync(FIXTURES)) expect(ids, file).to.include(file.replace(/(\.not)?\.log$/, ''))
  })

  for (const entry of ADVICE) {
    describe(`${entry.id} (${entry.rules ? `rules ${entry.rules.join(', ')}` : `outcome ${entry.outcomes!.join(', ')}`})`, () => {
      it('Given its fixture, Then the advice is given, names what the evidence names, with its article and repair', async () => {
        const given = advised(await analyzeFixture(entry.id)).filter((item) => item.adviceId === entry.id)
        expect(given.length, `${entry.id} not given in its fixture`).to.be.above(0)
        for (const item of given) {
          expect(item.docs, item.where).to.equal(entry.docs)
          if (entry.text.includes('{subject}') && item.subject !== undefined)
            expect(item.advice, item.where).to.include(item.subject.replace(/\.$/, '').slice(0, 60))
          expect(item.advice, item.where).to.not.include('{subject}')
          if (entry.repair === undefined) {
            expect(item.repair, item.where).to.equal(undefined)
            expect(item.advice, item.where).to.not.include('az vm repair')
          } else {
            expect(item.repair, item.where).to.deep.equal(repairFor(entry.repair))
            expect(item.advice, item.where).to.include(
              `az vm repair run --verbose --resource-group <resource-group> --name <vm-name> --run-id linux-alar2 --parameters ${entry.repair} --run-on-repair`,
            )
          }
        }
      })

      it('Given its near miss, Then the advice is not given', async () => {
        const given = advised(await analyzeFixture(`${entry.id}.not`)).filter((item) => item.adviceId === entry.id)
        expect(given.map((item) => item.where)).to.deep.equal([])
      })
    })
  }

  it('gives the ALAR commands of the vm-repair extension: create, run linux-alar2 with the action, restore', () => {
    expect(repairFor('fstab')).to.deep.equal({
      action: 'fstab',
      commands: [
        'az vm repair create --verbose --resource-group <resource-group> --name <vm-name>',
        'az vm repair run --verbose --resource-group <resource-group> --name <vm-name> --run-id linux-alar2 --parameters fstab --run-on-repair',
        'az vm repair restore --verbose --resource-group <resource-group> --name <vm-name>',
      ],
    })
  })

  it('advises no fstab repair for a slow service, and names the service', async () => {
    const report = await analyzeFixture('start-job-service')
    const finding = report.sessions[0].findings.find((item) => item.rule === 'start-job-running')!
    expect(finding.subject).to.equal('Wait for Network to be Configured')
    expect(finding.advice)
      .to.include('Wait for Network to be Configured')
      .and.not.match(/\/etc\/fstab|nofail/)
    expect(finding.docs).to.equal(undefined)
  })

  describe('checking records', () => {
    const rule: RuleRecord = {
      id: 'test-rule',
      category: 'unit-failure',
      stage: 'systemd-services',
      severity: 'error',
      pattern: 'Failed to start (?<subject>.{1,100})',
      title: 'Test',
      advice: 'Do something.',
    }
    const good: AdviceRecord = {id: 'test-advice', rules: ['test-rule'], text: '{subject} failed.'}

    it('compiles a good record and attaches it to its rule', () => {
      const catalogue = compileCatalogue([rule], [], [good])
      expect(catalogue.rules[0].adviceEntries.map((entry) => entry.id)).to.deep.equal(['test-advice'])
    })

    const bad: Array<[string, AdviceRecord]> = [
      ['an unknown rule', {...good, rules: ['no-such-rule']}],
      ['both rules and outcomes', {...good, outcomes: ['emergency-mode']}],
      ['neither rules nor outcomes', {id: 'test-advice', text: 'x'}],
      ['an unknown outcome', {id: 'test-advice', outcomes: ['exploded' as never], text: 'x'}],
      ['a docs link outside the Microsoft troubleshooting articles', {...good, docs: 'https://example.com/x'}],
      ['an unknown repair action', {...good, repair: 'reinstall' as never}],
      ['a subject pattern that does not compile', {...good, subject: 'dev-(?'}],
      ['cause conditions on a rule entry', {...good, causeCategories: ['mount-failure']}],
      ['an id that is not kebab-case', {...good, id: 'Test_Advice'}],
    ]
    for (const [what, record] of bad) {
      it(`rejects ${what}, naming the record`, () => {
        expect(() => compileCatalogue([rule], [], [record])).to.throw(
          /analysis catalogue: advice '(test-advice|Test_Advice)'/,
        )
      })
    }

    it('every rule named by the built-in catalogue exists', () => {
      expect(() => compileCatalogue(RULES, STAGE_MARKERS, ADVICE)).to.not.throw()
    })
  })
})
