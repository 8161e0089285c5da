import {expect} from 'chai'

import {failureSignature} from '../../../src/analysis/signature.js'

describe('analysis: failure signatures (one name for one failure, on any VM)', () => {
  it('healthy verdicts have none', () => {
    for (const outcome of ['booted', 'shutdown-complete', 'reboot'])
      expect(failureSignature({lastStage: 'login-prompt', outcome, summary: 'booted to the login prompt'})).to.equal(
        null,
      )
  })

  it('the same failure on two VMs (other UUID, line, pid, timing) has one signature', () => {
    const a = failureSignature({
      lastStage: 'initramfs',
      outcome: 'initramfs-failure',
      summary:
        'boot stopped in initramfs-failure: ALERT!  UUID=2f1c9a54-1b2e-4c7d-9a1e-3b6f2d0c8e11 does not exist.  Dropping to a shell! (line 812)',
    })
    const b = failureSignature({
      lastStage: 'initramfs',
      outcome: 'initramfs-failure',
      summary:
        'boot stopped in initramfs-failure: ALERT! UUID=9d0e7f11-aaaa-4bbb-8ccc-0123456789ab does not exist. Dropping to a shell! (line 77)',
    })
    expect(a).to.equal('initramfs-failure: ALERT! UUID=… does not exist. Dropping to a shell!')
    expect(b).to.equal(a)
    const hung1 = failureSignature({
      lastStage: 'login-prompt',
      outcome: 'kernel-hang',
      summary: 'kernel-hang: INFO: task jbd2/sda1-8:231 blocked for more than 120 seconds. (line 901)',
    })
    const hung2 = failureSignature({
      lastStage: 'login-prompt',
      outcome: 'kernel-hang',
      summary: 'kernel-hang: INFO: task jbd2/sda1-8:4410 blocked for more than 245 seconds. (line 3)',
    })
    expect(hung1).to.equal(hung2)
    expect(hung1).to.include('jbd2/sda1')
  })

  it('addresses and long hex go; device names stay; different failures stay apart', () => {
    const panic = failureSignature({
      lastStage: 'kernel',
      outcome: 'kernel-panic',
      summary: 'kernel-panic: Kernel panic - not syncing: Fatal exception at ffffffffa03c1d2e RIP 0x10:0x4fe2 (line 5)',
    })
    expect(panic).to.equal('kernel-panic: Kernel panic - not syncing: Fatal exception at … RIP 0x…:0x…')
    const emergencyData = failureSignature({
      lastStage: 'systemd-services',
      outcome: 'emergency-mode',
      summary: 'boot stopped in emergency-mode: Dependency failed for /data (line 812)',
    })
    const emergencyLogs = failureSignature({
      lastStage: 'systemd-services',
      outcome: 'emergency-mode',
      summary: 'boot stopped in emergency-mode: Dependency failed for /logs (line 812)',
    })
    expect(emergencyData).not.to.equal(emergencyLogs)
  })

  it('a failure without a quoted line is named by its outcome and stage', () => {
    expect(failureSignature({lastStage: 'kernel', outcome: 'boot-stuck', summary: 'boot-stuck'})).to.equal(
      'boot-stuck in kernel',
    )
  })
})
