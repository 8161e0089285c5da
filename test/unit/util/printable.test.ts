import {expect} from 'chai'

import {printable, printableLines, printableOutput} from '../../../src/util/printable.js'

describe('util: printable text (no control character reaches the terminal)', () => {
  it('a name with ESC, BEL, CR, a newline, a C1 control and a bidi override is shown escaped, on one line', () => {
    expect(printable('vm\u001B]0;owned\u0007\r\nFAKE\u009B\u202Eok')).to.equal(
      'vm\\x1b]0;owned\\x07\\r\\nFAKE\\x9b\\u202eok',
    )
  })

  it('plain names, spaces and non-Latin letters are left alone', () => {
    expect(printable('web-01 (rg-web) — Ümlaut 数据')).to.equal('web-01 (rg-web) — Ümlaut 数据')
  })

  it('several lines keep their newlines; every other control is escaped', () => {
    expect(printableLines('a\u001B[31m\nb\tc')).to.equal('a\\x1b[31m\nb\\tc')
  })

  it("composed output keeps bootdiag's own colours and erase-line, and escapes any other sequence", () => {
    expect(printableOutput('\u001B[1mName\u001B[22m\nweb\u001B[2J\u0007')).to.equal(
      '\u001B[1mName\u001B[22m\nweb\\x1b[2J\\x07',
    )
    expect(printableOutput('nothing to escape')).to.equal('nothing to escape')
  })
})
