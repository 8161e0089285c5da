/**
 * Reading codes off a screen through OCR noise: stop code names, status codes, update errors, GRUB.
 */
import {expect} from 'chai'

import {bugCheckName, grubError, readPercent, statusCodes, updateError} from '../../../src/screen/codes.js'
import {approximateFind, editDistance} from '../../../src/screen/fuzzy.js'

describe('screen codes', () => {
  it('snaps stop code names without underscores, with OCR slips, to Windows’ spelling', () => {
    expect(bugCheckName('Stop code: SYSTEM THREAD EXCEPTION NOT HANDLED')).to.equal(
      'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED',
    )
    expect(bugCheckName('a 3 Stop code SYSTEM THREAD EXCEPTION NOT HANDLED')).to.equal(
      'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED',
    )
    expect(bugCheckName('Ao 3 top code: BAD SYSTEM CONRIG INF')).to.equal('BAD_SYSTEM_CONFIG_INFO')
    expect(
      bugCheckName("If you'd like to know more, you can search online later for this error: CRITICAL_PROCESS_DIED"),
    ).to.equal('CRITICAL_PROCESS_DIED')
    expect(bugCheckName('MEMORY_MANAGEMENT')).to.equal('MEMORY_MANAGEMENT')
  })

  it('reads no stop code where there is none', () => {
    expect(
      bugCheckName('For more information about this issue and possible fixes, visit http://windows.com/stopcode'),
    ).to.equal(null)
    expect(bugCheckName('Stop code: ')).to.equal(null)
    expect(bugCheckName('Windows Server 2012 R2')).to.equal(null)
    expect(bugCheckName('Stop code: QWERTY ZXCVB PLOKIJ')).to.equal(null)
  })

  it('repairs and lower-cases status codes', () => {
    expect(statusCodes('Status: 0xc0000225')).to.deep.equal(['0xc0000225'])
    expect(statusCodes('Error code: Oxc000021A')).to.deep.equal(['0xc000021a'])
    expect(statusCodes('this error: (xc 000021a')).to.deep.equal(['0xc000021a'])
    expect(statusCodes('Status: 0xcOOOO0l02')).to.deep.equal(['0xc0000102'])
    expect(statusCodes('*** STOP: 0x0000007B (0xFFFFF880009A97E8,0xFFFFFFFFC0000034)')).to.deep.equal(['0x0000007b'])
    expect(statusCodes('Windows Server 2012 R2, box 0x12')).to.deep.equal([])
  })

  it('reads Windows Update errors as written and GRUB errors in GRUB’s words', () => {
    expect(updateError('Error C01A001D applying update operations 12345 of 67890')).to.equal('C01A001D')
    expect(updateError('Error code: 0xc0000225')).to.equal(null)
    expect(grubError('error: no such partition.')).to.equal('no such partition')
    expect(grubError('error: unknovn filesystem.')).to.equal('unknown filesystem')
    expect(grubError("error: file '/boot/grub/i386-pc/normal.mod' not found.")).to.equal(
      "file '/boot/grub/i386-pc/normal.mod' not found",
    )
  })

  it('reads a percentage between 0 and 100', () => {
    expect(readPercent(["collecting some error info, and then we'll restart for you. (5%", 'complete)'])).to.equal(5)
    expect(readPercent(['Working on features', '80% complete'])).to.equal(80)
    expect(readPercent(['150% zoom', 'nothing'])).to.equal(null)
  })

  it('finds a string in text within a few edits, and says where', () => {
    const found = approximateFind('please wait for the', 'applying please wat for the local session manager')
    expect(found.distance).to.equal(1)
    expect(found.start).to.equal(9)
    expect(editDistance('kitten', 'sitting')).to.equal(3)
  })
})
