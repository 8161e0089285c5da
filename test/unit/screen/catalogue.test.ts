/**
 * The screen catalogue as data: every kind DESIGN.md names is either a record or decided by the reader
 * itself, records compile, and a bad record fails at start-up naming itself.
 */
import {expect} from 'chai'

import {
  BUG_CHECKS,
  compileScreenCatalogue,
  SCREEN_RECORDS,
  screenCatalogue,
} from '../../../src/screen/catalogue/index.js'
import {approximateFind, normalizeText} from '../../../src/screen/fuzzy.js'
import {SCREEN_KINDS} from '../../../src/screen/types.js'

describe('screen catalogue', () => {
  it('has one record for every kind but those the reader decides (blank, unknown, linux-console)', () => {
    const recorded = screenCatalogue().map((record) => record.kind)
    expect([...recorded, 'blank', 'unknown', 'linux-console'].sort()).to.deep.equal([...SCREEN_KINDS].sort())
  })

  it('gives every failure kind an outcome and every kind advice and a Microsoft article', () => {
    for (const record of screenCatalogue()) {
      if (record.state === 'failed') expect(record.outcome, record.kind).to.be.a('string')
      expect(record.advice, record.kind).to.not.equal('')
      expect(record.docs, record.kind).to.match(/^https:\/\/learn\.microsoft\.com\//)
    }
  })

  it('refuses a bad record, naming it', () => {
    const good = SCREEN_RECORDS[0]
    expect(() => compileScreenCatalogue([{...good, strings: ['stop']}])).to.throw(
      "record 'win-stop-error': string 'stop' is shorter than 8 characters: use a pattern",
    )
    expect(() => compileScreenCatalogue([good, good])).to.throw("record 'win-stop-error': duplicate kind")
    expect(() => compileScreenCatalogue([{...good, docs: 'https://example.com/x'}])).to.throw(/docs must be/)
    expect(() => compileScreenCatalogue([{...good, patterns: ['(']}])).to.throw(/pattern does not compile/)
  })

  it('no string of one kind is found in a string of another kind, unless that kind takes priority', () => {
    const records = screenCatalogue()
    for (const record of records) {
      for (const other of records) {
        if (other === record || (other.priority ?? 0) > (record.priority ?? 0)) continue
        for (const string of record.compiledStrings) {
          for (const text of other.compiledStrings) {
            const found = approximateFind(string.normalized, text.normalized)
            expect(
              found.similarity >= record.minSimilarity,
              `${record.kind} '${string.text}' in ${other.kind} '${text.text}'`,
            ).to.equal(false)
          }
        }
      }
    }
  })

  it('lists the bug checks by code with Windows’ names', () => {
    const byCode = new Map(BUG_CHECKS.map((check) => [check.code, check.name]))
    expect(byCode.get(0xef)).to.equal('CRITICAL_PROCESS_DIED')
    expect(byCode.get(0x7e)).to.equal('SYSTEM_THREAD_EXCEPTION_NOT_HANDLED')
    expect(byCode.get(0xd1)).to.equal('DRIVER_IRQL_NOT_LESS_OR_EQUAL')
    expect(BUG_CHECKS.every((check) => /^[A-Z0-9_]+$/.test(check.name))).to.equal(true)
    expect(new Set(BUG_CHECKS.map((check) => check.name)).size).to.equal(BUG_CHECKS.length)
  })

  it('normalises text the way strings are compared', () => {
    expect(normalizeText('Don’t turn off  your computer.')).to.equal('don t turn off your computer')
  })
})
