/**
 * classifyScreenText: from the lines on a screen to its kind, state, outcome, codes and percent. The
 * lines here are what a screen of each kind shows (as Microsoft's articles and the consoles print it),
 * some with the noise OCR adds. The pixels are tested elsewhere (shared-screens, rendered-screens).
 */
import {expect} from 'chai'

import {classifyScreenText, type ScreenLine, type ScreenReading} from '../../../src/screen/index.js'

const read = (...texts: string[]): ScreenLine[] => texts.map((text) => ({confidence: 0.9, text}))
const classify = (...texts: string[]): ScreenReading => classifyScreenText(read(...texts))

describe('screen text: Windows screens', () => {
  it('a Windows 10 stop screen: the stop code snapped to its canonical name, the dump percent read', () => {
    const screen = classify(
      'Your PC ran into a problem and needs to restart. We’re just collecting',
      'some error info, and then we’ll restart for you.',
      '20% complete',
      'Stop code: CRITICAL PROCESS DIED',
    )
    expect(screen).to.include({
      kind: 'win-stop-error',
      os: 'windows',
      outcome: 'kernel-panic',
      percent: 20,
      state: 'failed',
    })
    expect(screen.codes).to.deep.equal(['CRITICAL_PROCESS_DIED'])
    expect(screen.summary).to.equal('Windows stop error (blue screen): CRITICAL_PROCESS_DIED (20%)')
    expect(screen.docs).to.match(/^https:\/\/learn\.microsoft\.com\/troubleshoot\/azure\/virtual-machines\/windows\//)
  })

  it('a stop code blurred by OCR still snaps to the longest name it matches', () => {
    const screen = classify(
      'Your PC ran into a problem and needs to restart.',
      'Stop code: DRIVER IROL NOT LESS OR EOUAL',
    )
    expect(screen.codes).to.deep.equal(['DRIVER_IRQL_NOT_LESS_OR_EQUAL'])
  })

  it('a Windows 7 blue screen: the name alone on its line and the STOP number', () => {
    const screen = classify(
      'A problem has been detected and Windows has been shut down to prevent damage',
      'to your computer.',
      'INACCESSIBLE_BOOT_DEVICE',
      '*** STOP: 0x0000007B (0xFFFFF880009A97E8,0xFFFFFFFFC0000034,0x0000000000000000)',
    )
    expect(screen.kind).to.equal('win-stop-error')
    expect(screen.codes).to.deep.equal(['INACCESSIBLE_BOOT_DEVICE', '0x0000007b'])
  })

  it('Boot Manager error: the status code repaired (O for 0) and lower-cased', () => {
    const screen = classify(
      'Windows Boot Manager',
      'Windows failed to start. A recent hardware or software change might be the',
      'File: \\Boot\\BCD',
      'Status: OxC000000F',
      'ENTER=Continue    ESC=Exit',
    )
    expect(screen).to.include({
      kind: 'win-boot-manager-error',
      outcome: 'bootloader-failure',
      stage: 'bootloader',
      state: 'failed',
    })
    expect(screen.codes).to.deep.equal(['0xc000000f'])
  })

  it('a status code read with a digit too many is repaired when one known code is that close', () => {
    const screen = classify('Windows Boot Manager', 'Windows failed to start.', 'Status: 0xc06000428')
    expect(screen.codes).to.deep.equal(['0xc0000428'])
  })

  for (const [kind, lines, stage] of [
    ['win-bootmgr-missing', ['BOOTMGR is missing', 'Press Ctrl+Alt+Del to restart'], 'bootloader'],
    ['win-disk-read-error', ['A disk read error occurred', 'Press Ctrl+Alt+Del to restart'], 'bootloader'],
    [
      'win-not-bootable-disk',
      ['This is not a bootable disk. Please insert a bootable floppy and', 'press any key to try again ...'],
      'firmware',
    ],
    [
      'win-boot-device-missing',
      ['Boot failure. Reboot and Select proper Boot device', 'or Insert Boot Media in selected Boot device'],
      'firmware',
    ],
    ['win-bitlocker-recovery', ['BitLocker recovery', 'Enter the recovery key for this drive'], 'bootloader'],
    [
      'win-recovery-screen',
      ['Recovery', 'Your PC/Device needs to be repaired', 'Error code: 0xc0000225'],
      'bootloader',
    ],
  ] as const) {
    it(`${kind}: a failed boot (${lines[0]})`, () => {
      const screen = classify(...lines)
      expect(screen).to.include({kind, os: 'windows', stage, state: 'failed'})
    })
  }

  it('a setup (OOBE) error is a failed provisioning', () => {
    const screen = classify(
      'Install Windows',
      'The computer restarted unexpectedly or encountered an unexpected',
      'error. Windows installation cannot proceed.',
    )
    expect(screen).to.include({kind: 'win-setup-error', outcome: 'provisioning-failed', state: 'failed'})
  })

  for (const [kind, lines] of [
    ['win-getting-ready', ['Getting Windows ready', "Don't turn off your computer"]],
    ['win-updating', ['Working on updates 30% complete', "Don't turn off your computer"]],
    ['win-update-rollback', ["We couldn't complete the updates", 'Undoing changes', "Don't turn off your computer"]],
    ['win-policy-wait', ['Please wait for the Group Policy Client']],
    ['win-chkdsk', ['Scanning and repairing drive (C:): 12% complete']],
    ['win-shutting-down', ['Shutting down']],
    ['win-boot-menu', ['Windows Boot Manager', 'Choose an operating system to start, or press TAB to select a tool:']],
  ] as const) {
    it(`${kind}: a transient screen, in progress (${lines[0]})`, () => {
      const screen = classify(...lines)
      expect(screen).to.include({kind, os: 'windows', state: 'in-progress'})
    })
  }

  it('an update screen that shows an error code has failed', () => {
    const screen = classify('Error C01A001D applying update operations 1234 of 56789', "Don't turn off your computer")
    expect(screen).to.include({kind: 'win-updating', state: 'failed'})
    expect(screen.codes).to.deep.equal(['C01A001D'])
  })

  it('the lock screen is healthy, by its prompt or by its date alone', () => {
    expect(classify('Press Ctrl+Alt+Delete to sign in.', '8:49', 'Tuesday, January 19')).to.include({
      kind: 'win-login-healthy',
      outcome: 'booted',
      state: 'healthy',
    })
    expect(classify('Tuesday, January 19').kind).to.equal('win-login-healthy')
  })

  it('the Windows logo with nothing written is Windows booting', () => {
    const screen = classifyScreenText([], {features: ['windows-logo']})
    expect(screen).to.include({kind: 'win-booting', state: 'in-progress'})
  })
})

describe('screen text: the same kinds in other Windows versions’ words', () => {
  for (const [kind, codes, lines] of [
    // stop errors: Windows 8, 10, 11, Insider builds, Windows 7 and Server 2008
    ['win-stop-error', [], ['Your device ran into a problem and needs to restart.', '100% complete']],
    ['win-stop-error', [], ['Your Windows Insider Build ran into a problem and needs to restart.']],
    ['win-stop-error', [], ['Your PC needs to restart.', 'Please hold down the power button.']],
    [
      'win-stop-error',
      ['KMODE_EXCEPTION_NOT_HANDLED'],
      ['A problem has been detected and Windows has been shut down to prevent damage', 'KMODE_EXCEPTION_NOT_HANDLED'],
    ],
    ['win-stop-error', ['CRITICAL_PROCESS_DIED'], ['Stop code: CRITICAL PROCESS DIED', 'What failed: ntfs.sys']],
    // Boot Manager: any file, any status, with or without the title bar read
    [
      'win-boot-manager-error',
      ['0xc000007b'],
      ['Windows failed to start.', 'File: \\Windows\\system32\\winload.exe', 'Status: 0xc000007b'],
    ],
    ['win-boot-manager-error', ['0xc0000bad'], ['File: \\Windows\\System32\\drivers\\foo.sys', 'Status: 0xC0000BAD']],
    // recovery screens of Windows 8 to 11, automatic repair, Windows 7's error recovery
    [
      'win-recovery-screen',
      ['0xc000000e'],
      [
        'Recovery',
        'Your PC/Device needs to be repaired',
        "The operating system couldn't be loaded because a required device is inaccessible.",
        'File: \\Windows\\system32\\winload.exe',
        'Error code: 0xc000000e',
        'Press Enter to try again',
      ],
    ],
    ['win-recovery-screen', [], ['Preparing Automatic Repair']],
    ['win-recovery-screen', [], ['Diagnosing your PC']],
    ['win-recovery-screen', [], ["Your PC couldn't start properly", 'Press F1 to enter Recovery Environment']],
    ['win-recovery-screen', [], ['Windows Error Recovery', 'Launch Startup Repair (recommended)']],
    ['win-recovery-screen', [], ['Startup Repair is checking your system for problems...']],
    ['win-bitlocker-recovery', [], ['Enter the recovery key to get going again (Keyboard Layout: US)']],
    ['win-bitlocker-recovery', [], ['BitLocker needs your recovery key to unlock your drive']],
    ['win-setup-error', [], ['Windows could not finish configuring the system. To attempt to resume configuration,']],
  ] as const) {
    it(`${kind}: ${lines.join(' / ')}`, () => {
      const screen = classify(...lines)
      expect(screen).to.include({kind, state: 'failed'})
      expect(screen.codes).to.deep.equal(codes)
    })
  }

  for (const [kind, percent, lines] of [
    ['win-getting-ready', null, ['Getting devices ready', '74%']],
    ['win-getting-ready', null, ['Preparing Windows', "Don't turn off your computer"]],
    ['win-updating', 35, ['Configuring Windows updates', '35% complete', "Don't turn off your computer"]],
    ['win-updating', 2, ['Installing updates 2%', "Don't turn off your PC. This will take a while."]],
    ['win-updating', 100, ['Updates are underway', 'Your PC will restart several times', '100% complete']],
    ['win-update-rollback', null, ['Undoing changes made to your computer', "Don't turn off your computer"]],
    ['win-policy-wait', null, ['Please wait for the Windows Modules Installer']],
    ['win-policy-wait', null, ['Please wait for the System Event Notification Service']],
    ['win-policy-wait', null, ['Applying computer settings']],
    ['win-chkdsk', 14, ['Scanning and repairing drive (D:): 14% complete']],
    ['win-chkdsk', 7, ['Repairing drive (C:): 7% complete']],
    ['win-chkdsk', 30, ['Stage 1: Examining basic file system structure ...', '30 percent complete. 30%']],
  ] as const) {
    it(`${kind}: ${lines.join(' / ')}`, () => {
      const screen = classify(...lines)
      expect(screen).to.include({kind, percent, state: 'in-progress'})
    })
  }

  it('a boot menu whose entry says "recovered" is a boot menu, not a recovery screen', () => {
    const screen = classify(
      'Windows Boot Manager',
      'Choose an operating system to start, or press TAB to select a tool:',
      'Windows Server',
      'Windows Server (recovered)',
    )
    expect(screen).to.include({kind: 'win-boot-menu', state: 'in-progress'})
  })

  it('the lock screen of every version is healthy', () => {
    for (const prompt of ['Press CTRL + ALT + DELETE to log on', 'Press Ctrl+Alt+Del to unlock.'])
      expect(classify(prompt), prompt).to.include({kind: 'win-login-healthy', state: 'healthy'})
  })
})

describe('screen text: safety', () => {
  it('a screen that matches a failure kind is never healthy, whatever else it shows', () => {
    const screen = classify('Press Ctrl+Alt+Delete to sign in.', 'Your PC ran into a problem and needs to restart.')
    expect(screen.state).to.equal('failed')
    expect(screen.kind).to.equal('win-stop-error')
  })

  it('a healthy-looking screen that comes close to a failure string is unknown, not healthy', () => {
    const screen = classify('Press Ctrl+Alt+Delete to sign in.', 'Your PC ran into a prblem and nds to rstrt')
    expect(screen.state).to.not.equal('healthy')
  })

  it('one fuzzy word does not make a screen healthy', () => {
    expect(classify('Press Ctrl to continue').state).to.equal('unknown')
    expect(classify('Tuesday').state).to.equal('unknown')
  })

  it('text that names nothing is unknown, with what was read in the summary', () => {
    const screen = classify('Lorem ipsum dolor sit amet')
    expect(screen).to.include({kind: 'unknown', os: 'unknown', state: 'unknown'})
    expect(screen.summary).to.equal('Unknown screen: Lorem ipsum dolor sit amet')
  })
})

describe('screen text: Linux consoles and GRUB', () => {
  it('GRUB rescue: the error after `error:` is the code, snapped to GRUB’s wording', () => {
    const screen = classify('error: mo such partition.', 'Entering rescue mode...', 'grub rescue>')
    expect(screen).to.include({kind: 'linux-grub-rescue', os: 'linux', outcome: 'bootloader-failure', state: 'failed'})
    expect(screen.codes).to.deep.equal(['no such partition'])
  })

  it('GRUB rescue cropped through `error:`: GRUB’s own message is still the code, anything else is not', () => {
    const screen = classify('ror: no such partition.', 'tering rescue mode...', 'ub rescue>')
    expect(screen).to.include({kind: 'linux-grub-rescue', state: 'failed'})
    expect(screen.codes).to.deep.equal(['no such partition'])
    expect(classify('or: something else.', 'grub rescue>').codes).to.deep.equal([])
  })

  it('GRUB legacy Error 15 and the GRUB shell', () => {
    const legacy = classify(
      "Booting 'CentOS (2.6.32-754.el6.x86_64)'",
      'root (hd0,0)',
      'Error 15: File not found',
      'Press any key to continue...',
    )
    expect(legacy.kind).to.equal('linux-grub-error')
    expect(legacy.codes).to.deep.equal(['Error 15'])
    expect(classify('Minimal BASH-like line editing is supported.', 'grub>').kind).to.equal('linux-grub-shell')
  })

  it('the GRUB menu is in progress', () => {
    const screen = classify(
      'GNU GRUB  version 2.06',
      '*Ubuntu',
      'Advanced options for Ubuntu',
      'The highlighted entry will be executed automatically in 5s.',
    )
    expect(screen).to.include({kind: 'linux-grub-menu', stage: 'bootloader', state: 'in-progress'})
  })

  it('a login prompt is healthy', () => {
    const screen = classify('Ubuntu 22.04.3 LTS web-01 tty1', '', 'web-01 login: ')
    expect(screen).to.include({kind: 'linux-login-prompt', outcome: 'booted', stage: 'login-prompt', state: 'healthy'})
    expect(classify('Debian GNU/Linux 12 web-01 tty1', 'web-01 logis: ').kind).to.equal('linux-login-prompt')
  })

  it('a kernel panic on screen after a login prompt is a failure, with the log catalogue’s finding as evidence', () => {
    const screen = classify(
      'web-01 login: [  812.345678] sysrq: Trigger a crash',
      '[  812.346001] Kernel panic - not syncing: sysrq triggered crash',
      '[  812.347000] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---',
    )
    expect(screen).to.include({kind: 'linux-kernel-panic', outcome: 'kernel-panic', state: 'failed'})
    expect(screen.evidence?.map((item) => item.match)).to.include('kernel-panic')
  })

  it('emergency mode and the initramfs shell', () => {
    expect(
      classify(
        'You are in emergency mode. After logging in, type "journalctl -xb" to view',
        'Give root password for maintenance',
      ).kind,
    ).to.equal('linux-emergency')
    expect(classify('ALERT!  UUID=1234 does not exist.  Dropping to a shell!', '(initramfs) ').kind).to.equal(
      'linux-initramfs-shell',
    )
  })

  it('console text no record names goes through the log analyser: a hung task is a failure', () => {
    const screen = classifyScreenText(
      read(
        '[  240.100000] INFO: task jbd2/sda1-8:312 blocked for more than 120 seconds.',
        '[  240.100100]       Not tainted 5.10.0-21-amd64 #1 Debian 5.10.162-1',
        '[  240.100200] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
      ),
      {console: true},
    )
    expect(screen.kind).to.equal('linux-console')
    expect(screen.os).to.equal('linux')
    expect(screen.evidence?.[0]).to.include({line: 0})
  })

  it('console text with no known failure is linux-console in an unknown state', () => {
    const screen = classifyScreenText(read('Verifying Image', 'Image Verification Done'), {console: true})
    expect(screen).to.include({kind: 'linux-console', os: 'linux', state: 'unknown'})
  })
})

describe('screen text: firmware', () => {
  it('the Generation 2 boot summary and PXE boot are bootloader failures of the firmware', () => {
    const summary = classify(
      'Virtual Machine Boot Summary',
      '1. SCSI Disk (0,0)   The boot loader did not load an operating system.',
      'No Operating System was Loaded.',
    )
    expect(summary).to.include({
      kind: 'uefi-boot-summary',
      os: 'firmware',
      outcome: 'bootloader-failure',
      stage: 'firmware',
      state: 'failed',
    })
    expect(classify('>>Start PXE over IPv4.').kind).to.equal('uefi-pxe-boot')
  })
})
