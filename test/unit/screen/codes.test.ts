/**
 * Reading codes off a screen through OCR noise: stop code names, status codes, update errors, GRUB.
 */
import {expect} from 'chai'

import {bugCheckName, grubError, readCodes, readPercent, statusCodes, updateError} from '../../../src/screen/codes.js'
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

  it('finds a stop code name on a line whose "Stop code:" is too garbled to read', () => {
    expect(bugCheckName('Sop eo    ode: DRIVER IRQL NOT LESS OR EQUAL')).to.equal('DRIVER_IRQL_NOT_LESS_OR_EQUAL')
    expect(bugCheckName('YOu CHI 8 WP PENN: KMODE EXCEPTION NOT HANDLED')).to.equal('KMODE_EXCEPTION_NOT_HANDLED')
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

  it('reads NTSTATUS codes through the ways OCR garbles them: 0 read twice, x as n, zeros as 6/8/e/c, Q for 0', () => {
    expect(statusCodes('Status: O0xc0000225')).to.deep.equal(['0xc0000225'])
    expect(statusCodes('Error code: 0nc0000225')).to.deep.equal(['0xc0000225'])
    expect(statusCodes('Status: 0xc6000428')).to.deep.equal(['0xc0000428'])
    expect(statusCodes('Status: 0XC00O0O9A')).to.deep.equal(['0xc000009a'])
    expect(statusCodes('Status: 0xcQ0e0185')).to.deep.equal(['0xc0000185'])
    expect(statusCodes('Status: 0xC0000l42')).to.deep.equal(['0xc0000142'])
    // a font's dotted zeros, all read as e
    expect(statusCodes('Status: Oxceoeceef')).to.deep.equal(['0xc000000f'])
  })

  it('keeps a status code it does not know as read, and never turns a bug check number into an NTSTATUS', () => {
    // not in the known list: kept (other screens show other codes), its c000 prefix repaired only
    expect(statusCodes('Status: 0xc0000bad')).to.deep.equal(['0xc0000bad'])
    expect(statusCodes('Status: 0xce8e0bad')).to.deep.equal(['0xc0000bad'])
    expect(statusCodes('Status: 0xC00D36B4')).to.deep.equal(['0xc00d36b4'])
    expect(statusCodes('*** STOP: 0x0000007B')).to.deep.equal(['0x0000007b'])
    // two known codes equally close: no guess
    expect(statusCodes('Status: 0xc0000000')).to.deep.equal(['0xc0000000'])
  })

  it('on a Windows 7 stop screen, takes the STOP line’s bug check (not its parameters) and makes it agree with the name', () => {
    const lines = [
      'INACCESSIBLE BOOT DEVICE',
      '*** STOP: 0x00000078 (OxFFFFF880009AI7ES, OxFFFFFFFF(0000034,0x0000000000000000,',
    ]
    expect(readCodes(lines, ['bug-check', 'status'])).to.deep.equal(['INACCESSIBLE_BOOT_DEVICE', '0x0000007b'])
    // a number that is not the name's, and not close to it, is kept
    expect(readCodes(['INACCESSIBLE BOOT DEVICE', '*** STOP: 0x000000ef'], ['bug-check', 'status'])).to.deep.equal([
      'INACCESSIBLE_BOOT_DEVICE',
      '0x000000ef',
    ])
  })

  it('reads Windows Update errors as written and GRUB errors in GRUB’s words', () => {
    expect(updateError('Error C01A001D applying update operations 12345 of 67890')).to.equal('C01A001D')
    expect(updateError('Error code: 0xc0000225')).to.equal(null)
    expect(grubError('error: no such partition.')).to.equal('no such partition')
    expect(grubError('error: unknovn filesystem.')).to.equal('unknown filesystem')
    expect(grubError('errar: no such partition,')).to.equal('no such partition')
    expect(grubError('enter: something GRUB never says')).to.equal(null)
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
