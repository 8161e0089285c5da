import {expect} from 'chai'

import {checkRunning} from '../../../../src/services/watch/log-reader.js'

describe('watch: a VM that is not running', () => {
  it('deallocated or stopped: refused at once (exit 1), saying how to start it and watch that boot', () => {
    for (const powerState of ['deallocated', 'stopped']) {
      expect(() => checkRunning({name: 'web-01', powerState, resourceGroup: 'rg-web'}))
        .to.throw(
          `VM 'web-01' is ${powerState}: it is not running, so no boot will show in its serial log. Start it and watch the boot with 'bootdiag vm start -n web-01 -g rg-web --watch'; 'bootdiag fetch -n web-01 -g rg-web' keeps the log it has.`,
        )
        .with.property('exitCode', 1)
    }
  })

  it('a scale-set instance is named by its set and instance id', () => {
    expect(() =>
      checkRunning({instanceId: '0', name: 'web-ss_0', powerState: 'deallocated', resourceGroup: 'rg', vmss: 'web-ss'}),
    ).to.throw(/'bootdiag vm start --vmss web-ss --instance-id 0 -g rg --watch'/)
  })

  it('running, starting, stopping or unknown: watched', () => {
    for (const powerState of ['running', 'starting', 'stopping', 'deallocating', 'unknown'])
      expect(() => checkRunning({name: 'web-01', powerState, resourceGroup: 'rg-web'})).not.to.throw()
  })
})
