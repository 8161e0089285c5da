/**
 * Hand-made AnalysisReport objects for the report renderers' tests: a log with a clean reboot followed
 * by a boot into emergency mode, a healthy boot without kernel timestamps, an empty log, and a report
 * whose every string is hostile (HTML, escape sequences, bidi overrides, a SAS URL, a javascript: link).
 */
import type {AnalysisReport, Session} from '../../src/analysis/types.js'

export function rebootSession(): Session {
  return {
    durations: {
      initramfs: 1.2,
      kernel: 1.5,
      'login-prompt': 40,
      shutdown: 3.25,
      'switch-root': 0.3,
      'systemd-services': 4.1,
    },
    endLine: 640,
    evidence: [
      {line: 612, text: 'bootlab login: '},
      {line: 639, text: '[   52.100000] reboot: Restarting system'},
    ],
    findings: [],
    index: 0,
    kernel: '6.1.0-50-amd64',
    lastStage: 'shutdown',
    outcome: 'reboot',
    partial: false,
    stages: [
      {line: 12, stage: 'kernel', time: 0},
      {line: 301, stage: 'initramfs', time: 1.5},
      {line: 350, stage: 'switch-root', time: 2.7},
      {line: 360, stage: 'systemd-services', time: 3},
      {line: 612, stage: 'login-prompt', time: 7.1},
      {line: 620, stage: 'shutdown', time: 48.85},
    ],
    startLine: 1,
  }
}

export function emergencySession(index = 1): Session {
  return {
    durations: {initramfs: 1.4, kernel: 1.6, 'switch-root': 0.4, 'systemd-services': 92.6},
    endLine: 1428,
    evidence: [
      {line: 1390, text: '[ TIME ] Timed out waiting for device /dev/disk/by-uuid/0a1b2c3d.'},
      {line: 1391, text: '[DEPEND] Dependency failed for /data.'},
      {line: 1402, text: 'You are in emergency mode. After logging in, type "journalctl -xb" to view'},
    ],
    findings: [
      {
        advice:
          'Add nofail to the /data line of /etc/fstab, or remove the line, from the serial console or a repair VM.',
        category: 'dependency-failure',
        docs: 'https://learn.microsoft.com/en-us/troubleshoot/azure/virtual-machines/linux/linux-virtual-machine-cannot-start-fstab-errors',
        line: 1391,
        rule: 'systemd-dependency-failed-mount',
        severity: 'error',
        text: '[DEPEND] Dependency failed for /data.',
        title: 'A mount in /etc/fstab failed: /data',
      },
      {
        advice: 'Check that the disk is attached to the VM and that its UUID matches /etc/fstab.',
        category: 'start-job-timeout',
        line: 1390,
        rule: 'systemd-device-timeout',
        severity: 'warning',
        text: '[ TIME ] Timed out waiting for device /dev/disk/by-uuid/0a1b2c3d.',
        title: 'A disk did not appear within 90 s',
      },
    ],
    index,
    kernel: '6.1.0-50-amd64',
    lastStage: 'systemd-services',
    outcome: 'emergency-mode',
    partial: false,
    stages: [
      {line: 641, stage: 'firmware', time: null},
      {line: 652, stage: 'kernel', time: 0},
      {line: 940, stage: 'initramfs', time: 1.6},
      {line: 1000, stage: 'switch-root', time: 3},
      {line: 1010, stage: 'systemd-services', time: 3.4},
    ],
    startLine: 641,
  }
}

/** Two sessions: a clean reboot, then a boot that stops in emergency mode (the verdict). */
export function emergencyReport(): AnalysisReport {
  return {
    bytes: 91_234,
    lines: 1428,
    sessions: [rebootSession(), emergencySession(1)],
    source: '/var/tmp/vm1/serial.log',
    verdict: {
      lastStage: 'systemd-services',
      outcome: 'emergency-mode',
      session: 1,
      summary: 'boot stopped in emergency-mode: Dependency failed for /data (line 1391)',
    },
  }
}

/** One healthy boot from a console without kernel timestamps (printk.time=0). */
export function untimedBootReport(): AnalysisReport {
  return {
    bytes: 2048,
    lines: 80,
    sessions: [
      {
        durations: {},
        endLine: 80,
        evidence: [{line: 79, text: 'web-01 login: '}],
        findings: [],
        index: 0,
        kernel: null,
        lastStage: 'login-prompt',
        outcome: 'booted',
        partial: true,
        stages: [
          {line: 3, stage: 'systemd-services', time: null},
          {line: 79, stage: 'login-prompt', time: null},
        ],
        startLine: 1,
      },
    ],
    source: 'console.log',
    verdict: {
      lastStage: 'login-prompt',
      outcome: 'booted',
      session: 0,
      summary: 'booted: reached the login prompt (line 79)',
    },
  }
}

/** An empty log. */
export function emptyReport(source = 'empty.log'): AnalysisReport {
  return {
    bytes: 0,
    lines: 0,
    sessions: [],
    source,
    verdict: {lastStage: null, outcome: 'no-output', session: null, summary: 'the log holds no boot output'},
  }
}

export const HOSTILE_SCRIPT = '<script>document.title="pwned"</script>'
export const SAS_SECRET = 'sv=2024-01-01&sr=b&sig=SuPeRsEcReTsIgNaTuRe0123456789abcdef%3D'

/** Every string an attacker who writes to the serial console (or crafts a log) could control. */
export function hostileReport(): AnalysisReport {
  const session = emergencySession(0)
  session.kernel = '6.1.0<img src=x onerror="document.title=1">'
  session.evidence = [
    {line: 1390, text: `${HOSTILE_SCRIPT} </pre></svg></textarea><!-- & "quotes" 'single'`},
    {line: 1391, text: '\u001B[2J\u001B]0;owned\u0007clear screen and set title\r\u0000nul \u202Egnp.exe'},
    {line: 1392, text: `waagent: downloading https://acct.blob.core.windows.net/c/ext.zip?${SAS_SECRET}`},
  ]
  session.findings = [
    {
      advice: 'Click <a href="http://evil.example/">here</a> & relax',
      category: 'other',
      docs: 'javascript:alert(1)',
      line: 1390,
      rule: 'x<y>',
      severity: 'critical',
      text: HOSTILE_SCRIPT,
      title: '<b>bold</b> title with <iframe src="http://evil.example/">',
    },
  ]
  return {
    bytes: 1000,
    lines: 1428,
    sessions: [session],
    source: '/tmp/<script>x</script>/serial.log',
    verdict: {
      lastStage: 'systemd-services',
      outcome: 'emergency-mode',
      session: 0,
      summary: `stopped: ${HOSTILE_SCRIPT}`,
    },
  }
}
