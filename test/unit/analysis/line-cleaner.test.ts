import {expect} from 'chai'

import {
  cleanLine,
  foldDoubledCharacters,
  kernelTime,
  messageOf,
  mostlyCapturePrefixed,
  PIECE_SEPARATOR,
  withoutCapturePrefix,
} from '../../../src/analysis/line-cleaner.js'

const clean = (raw: string | Buffer, doubled = false) => {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw
  return cleanLine(bytes, 0, bytes.length, doubled)
}

describe('analysis: line cleaner', () => {
  it('removes systemd colours and keeps the text', () => {
    const raw = '[\x1b[0;32m  OK  \x1b[0m] Reached target \x1b[0;1;39mmulti-user.target\x1b[0m - Multi-User System.\r\r'
    expect(clean(raw)).to.equal('[  OK  ] Reached target multi-user.target - Multi-User System.')
  })

  it('removes cursor movement (ESC M, ESC [K) of a redrawn status line', () => {
    const raw = '\x1bM\r\x1b[K[\x1b[0;1;31m TIME \x1b[0m] Timed out waiting for device dev-vdb.device.\r\r'
    expect(clean(raw)).to.equal('[ TIME ] Timed out waiting for device dev-vdb.device.')
  })

  it("removes a CSI sequence cut short by systemd's ellipsis, and terminal resets (ESC c)", () => {
    const raw = Buffer.concat([
      Buffer.from('\x1bc\x1b[?7l\x1b[2J[    0.000000] Linux version 6.1 (x)', 'latin1'),
      Buffer.from(' \x1b[0;1;…e8a52', 'utf8'),
    ])
    expect(clean(raw)).to.equal('[    0.000000] Linux version 6.1 (x) …e8a52')
  })

  it('removes OSC sequences (window titles)', () => {
    expect(clean('\x1b]0;root@vm: ~\x07root@vm:~# ')).to.equal('root@vm:~#')
  })

  it('keeps each non-blank piece redrawn after a carriage return, separated for the caller', () => {
    const raw = '\rChecking in progress on 1 disk (8.8% complete)\r\r   \r[FAILED] Failed to start fsck.\r\r'
    expect(clean(raw).split(PIECE_SEPARATOR)).to.deep.equal([
      'Checking in progress on 1 disk (8.8% complete)',
      '[FAILED] Failed to start fsck.',
    ])
  })

  it('drops NUL padding and other control characters but keeps tabs', () => {
    expect(clean('\0\0\0[   12.5] text\twith tab\x07\x01\0')).to.equal('[   12.5] text\twith tab')
  })

  it('lets a backspace take back the character before it, as a terminal shows it (iPXE erasing its prompt)', () => {
    expect(clean('Press Ctrl-B...' + '\b \b'.repeat(15) + 'No bootable device.')).to.equal('No bootable device.')
    expect(clean(Buffer.from('caf\u00e9\b\be!', 'utf8'))).to.equal('cae!')
  })

  it('decodes UTF-8 and replaces invalid bytes instead of failing', () => {
    const raw = Buffer.concat([
      Buffer.from('Welcome to Débian ', 'utf8'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('!', 'latin1'),
    ])
    expect(clean(raw)).to.equal('Welcome to Débian \uFFFD\uFFFD\uFFFD!')
  })

  it("turns U+0085 (systemd's ellipsis after a cp1252 round trip) back into …", () => {
    expect(clean(Buffer.from('File Sys\u0085b701', 'utf8'))).to.equal('File Sys…b701')
  })

  it('folds characters doubled by two consoles on one port', () => {
    expect(clean('PPrroobbiinngg  EEDDDD  ((eedddd==ooffff  ttoo  ddiissaabbllee))......  ook', true)).to.equal(
      'Probing EDD (edd=off to disable)... ok',
    )
    expect(foldDoubledCharacters('aabbcc')).to.equal('abc')
  })

  it('reads the kernel timestamp, with or without a log level, and nothing else', () => {
    expect(kernelTime('[   12.345678] EXT4-fs (sda1): mounted')).to.equal(12.345678)
    expect(kernelTime('<6>[    0.000000] Linux version')).to.equal(0)
    expect(kernelTime('[    0.010915815,5] OPAL v6.4 starting...')).to.equal(null)
    expect(kernelTime('[  OK  ] Started Journal Service.')).to.equal(null)
  })

  it('takes the message out of a line for quoting', () => {
    expect(messageOf('[   22.884980] 000: mmcblk1: recovery failed!')).to.equal('mmcblk1: recovery failed!')
    expect(messageOf('[DEPEND] Dependency failed for /data.')).to.equal('Dependency failed for /data.')
    expect(messageOf('[    0.000000][    T0] Linux version 5.14')).to.equal('Linux version 5.14')
  })

  describe("a capture tool's prefix on every line", () => {
    it('strips the prefixes real capture tools write, and a capture of a capture', () => {
      const line = '[    1.234567] Run /init as init process'
      for (const prefix of [
        '[2024-01-02 03:04:05] ', // conserver, ipmitool SOL
        '2024-01-02T03:04:05.123456+00:00 ', // ts, rsyslog high precision
        '2024-01-02 03:04:05,123 ',
        '[12.345678 0.000123] ', // grabserial, minicom
        'Jan 02 03:04:05 bootlab kernel: ', // journald, syslog files
        '03:04:05.123456  ', // KernelCI / LAVA text logs
        '[03:04:05.123] ', // tio
        'Jan 02 03:04:05 ', // moreutils' ts
        '<13>Jan  2 03:04:05 bootlab console: ', // syslog forwarding (RFC 3164)
        '<13>1 2024-01-02T03:04:05.123456Z bootlab console - - - ', // RFC 5424
        '<13>1 2024-01-02T03:04:05Z bootlab conserver 812 - [origin ip="10.0.0.4"] ',
        '> > ', // a mail quote
        '<13>Jan  2 03:04:05 bootlab grabserial: [12.345678 0.000123] ',
      ])
        expect(withoutCapturePrefix(prefix + line), prefix).to.equal(line)
      expect(messageOf('03:04:05.123456  [    1.234567] Run /init as init process')).to.equal(
        'Run /init as init process',
      )
    })

    it("keeps what is the console's own: the kernel's <6> priority, a process's tag and pid, a time in a message", () => {
      for (const line of [
        '<6>[    1.234567] Run /init as init process',
        '[    1.234567] Run /init as init process',
        '[  OK  ] Started ssh.service - OpenBSD Secure Shell server.',
        '12:34 is when the job ran',
        'Welcome to Debian GNU/Linux 12 (bookworm)!',
        'U-Boot 2023.04 (Apr 04 2023 - 12:00:00 +0000)',
      ])
        expect(withoutCapturePrefix(line), line).to.equal(line)
      expect(withoutCapturePrefix('Jan 02 03:04:05 bootlab systemd[1]: Started ssh.service.')).to.equal(
        'systemd[1]: Started ssh.service.',
      )
      // ts's date alone: the console's text follows, a prompt or a sentence, not a host and a tag
      expect(withoutCapturePrefix('Jan 02 03:04:05 bootlab login: ')).to.equal('bootlab login: ')
      expect(withoutCapturePrefix('Jan 02 03:04:05 Welcome to Debian GNU/Linux 12!')).to.equal(
        'Welcome to Debian GNU/Linux 12!',
      )
    })

    it('tells a log whose first lines mostly carry a prefix from one where a few lines look like one', () => {
      const boot = [
        '[    0.000000] Linux version 6.1',
        'Loading, please wait...',
        'Welcome to Debian!',
        'bootlab login: ',
      ]
      expect(mostlyCapturePrefixed(boot.map((line) => `[2024-01-02 03:04:05] ${line}\r`))).to.equal(true)
      expect(mostlyCapturePrefixed(['\0\0', ...boot.map((line) => `03:04:05.123456  ${line}`)])).to.equal(true)
      expect(mostlyCapturePrefixed(boot)).to.equal(false)
      expect(mostlyCapturePrefixed(['> quoted', ...boot])).to.equal(false)
      expect(mostlyCapturePrefixed(['[2024-01-02 03:04:05] one', '', '[2024-01-02 03:04:05] two'])).to.equal(false)
    })
  })
})
