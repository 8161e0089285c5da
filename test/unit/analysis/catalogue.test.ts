import {createReadStream, existsSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {compileCatalogue, deriveAnchor} from '../../../src/analysis/catalogue.js'
import {analyze, FINDING_CATEGORIES, RULES, STAGE_MARKERS, STAGES} from '../../../src/analysis/index.js'
import type {RuleRecord, StageMarkerRecord} from '../../../src/analysis/index.js'

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'rules')

const GOOD_RULE: RuleRecord = {
  id: 'test-rule',
  category: 'panic',
  stage: 'kernel',
  severity: 'critical',
  pattern: 'Kernel panic - not syncing: (?<subject>.{0,100})',
  title: 'Test',
  advice: 'Do something.',
}
const GOOD_MARKER: StageMarkerRecord = {id: 'test-marker', stage: 'kernel', pattern: 'Linux version \\S{1,40}'}

describe('analysis: failure-signature catalogue', () => {
  it('holds at least 40 rules over the fixed categories, each with title, advice and a unique id', () => {
    expect(RULES.length).to.be.at.least(40)
    expect(new Set(RULES.map((rule) => rule.id)).size).to.equal(RULES.length)
    for (const rule of RULES) expect(FINDING_CATEGORIES).to.include(rule.category)
  })

  it('covers the kernel, initramfs, systemd, fsck, SELinux, full disk, GRUB and provisioning', () => {
    const categories = new Set(RULES.map((rule) => rule.category))
    for (const category of [
      'panic',
      'oops',
      'hung-task',
      'soft-lockup',
      'rcu-stall',
      'oom',
      'io-error',
      'fs-error',
      'initramfs',
      'unit-failure',
      'dependency-failure',
      'start-job-timeout',
      'emergency',
      'fsck',
      'selinux',
      'disk-full',
      'bootloader',
      'provisioning',
    ] as const) {
      expect(categories, category).to.include(category)
    }
  })

  it('marks every stage with at least one stage marker', () => {
    for (const stage of STAGES)
      expect(
        STAGE_MARKERS.some((marker) => marker.stage === stage),
        stage,
      ).to.equal(true)
  })

  describe('every rule has a fixture log that produces it', () => {
    for (const rule of RULES) {
      it(rule.id, async () => {
        const path = join(FIXTURES, `${rule.id}.log`)
        expect(existsSync(path), `missing fixture ${path}`).to.equal(true)
        const report = await analyze(createReadStream(path), {source: path})
        const found = report.sessions
          .flatMap((session) => session.findings)
          .filter((finding) => finding.rule === rule.id)
        expect(found.length, `${rule.id} not found in its fixture`).to.be.above(0)
        expect(found[0]).to.include({category: rule.category, severity: rule.severity, title: rule.title})
        // the rule's own advice, or the advice catalogue's entry for what the finding names
        if (found[0].adviceId === undefined) expect(found[0].advice).to.equal(rule.advice)
        else expect(rule.adviceEntries.map((entry) => entry.id)).to.include(found[0].adviceId)
        const outcome = rule.outcome ?? rule.outcomeInInitramfs
        if (outcome) expect(report.verdict.outcome, report.verdict.summary).to.equal(outcome)
      })
    }
  })

  describe('checking records', () => {
    it('compiles good records', () => {
      const catalogue = compileCatalogue([GOOD_RULE], [GOOD_MARKER])
      expect(catalogue.rules[0].anchors).to.deep.equal(['Kernel panic - not syncing: '])
      expect(catalogue.markers[0].anchors).to.deep.equal(['Linux version '])
    })

    const bad: Array<[string, RuleRecord]> = [
      ['a pattern that does not compile', {...GOOD_RULE, pattern: 'Kernel (panic'}],
      ['an unknown category', {...GOOD_RULE, category: 'weird' as never}],
      ['an unknown stage', {...GOOD_RULE, stage: 'bios' as never}],
      ['an id that is not kebab-case', {...GOOD_RULE, id: 'Test_Rule'}],
      ['a docs link outside the Microsoft troubleshooting articles', {...GOOD_RULE, docs: 'https://example.com/panic'}],
      ['a healthy outcome', {...GOOD_RULE, outcome: 'booted'}],
      ['an anchor shorter than three characters', {...GOOD_RULE, anchors: ['Ke']}],
      ['an anchor with a control character', {...GOOD_RULE, anchors: ['\x1b[0m']}],
      ['a superseded rule that does not exist', {...GOOD_RULE, supersedes: ['no-such-rule']}],
      ['an alternation without anchors', {...GOOD_RULE, pattern: 'Kernel panic|Oops'}],
      ['missing advice', {...GOOD_RULE, advice: ' '}],
    ]
    for (const [what, record] of bad) {
      it(`rejects ${what}, naming the record`, () => {
        expect(() => compileCatalogue([record], [])).to.throw(
          /analysis catalogue: record 'test[-_]rule'|record 'Test_Rule'/i,
        )
      })
    }

    it('rejects a duplicate id across rules and markers', () => {
      expect(() => compileCatalogue([GOOD_RULE], [{...GOOD_MARKER, id: GOOD_RULE.id}])).to.throw(/duplicate id/)
    })
  })

  describe('deriving an anchor from a pattern', () => {
    const cases: Array<[string, string]> = [
      ['Failed to start (?<subject>.{1,300}?)\\.?$', 'Failed to start '],
      ['XFS \\((?<subject>[^)]{1,64})\\): Unmount and run xfs_repair', '): Unmount and run xfs_repair'],
      ['INFO: rcu_\\w{1,20} detected stall', ' detected stall'],
      ['^Loading, please wait\\.\\.\\.', 'Loading, please wait...'],
      ['Reached targets? now', 'Reached target'],
    ]
    for (const [pattern, anchor] of cases) {
      it(`/${pattern}/ -> '${anchor}'`, () => {
        expect(deriveAnchor('x', pattern)).to.equal(anchor)
      })
    }
  })

  describe('no pattern backtracks catastrophically on a long adversarial line', () => {
    const SIZE = 100 * 1024
    /** 100 KB lines built from a pattern's own literal pieces, the ways that make regexes work hardest */
    function adversarialLines(anchors: readonly string[], pattern: string): string[] {
      const pieces = [...anchors, ...pattern.split(/[\\()[\]{}|?*+^$.]+/).filter((piece) => piece.length > 1)]
      const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / Math.max(unit.length, 1))).slice(0, SIZE)
      return [
        fill(pieces.join('')),
        fill(pieces.join(' ')),
        ...anchors.map((anchor) => anchor + fill('a')),
        ...anchors.map((anchor) => anchor + fill(' ')),
        ...anchors.map((anchor) => fill(anchor)),
        ...anchors.map((anchor) => fill(`${anchor}(`)),
        ...anchors.map((anchor) => fill(`${anchor}"x'`)),
      ]
    }

    for (const record of [...RULES, ...STAGE_MARKERS]) {
      it(record.id, function () {
        // linear matching of these lines takes a few milliseconds; catastrophic backtracking takes
        // seconds to forever, so this bound only tells the two apart
        this.timeout(10_000)
        const started = process.hrtime.bigint()
        for (const line of adversarialLines(record.anchors, record.pattern)) record.regex.exec(line)
        const milliseconds = Number(process.hrtime.bigint() - started) / 1e6
        expect(milliseconds, `${record.id} took ${milliseconds} ms`).to.be.below(2000)
      })
    }
  })
})
