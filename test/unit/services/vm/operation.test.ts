/**
 * The guarded VM operations: the long-running operation through the SDK's poller (nock answers as
 * Compute does: 202 with Azure-AsyncOperation and Location, then the operation's status), and the
 * guard around it with stand-in dependencies (snapshot first, no operation without one unless forced,
 * the watch from the snapshot's log, the snapshot after).
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'
import nock from 'nock'

import type {VmRef} from '../../../../src/azure/resource-id.js'
import {AuthError, BootdiagError, InterruptedError} from '../../../../src/errors.js'
import type {FetchResult} from '../../../../src/services/snapshot/fetch-snapshot.js'
import {
  type GuardedOperationSteps,
  type OperationEvent,
  checkWatchable,
  guardedOperation,
  runVmOperation,
} from '../../../../src/services/vm/operation.js'
import type {LogBaseline, WatchResult} from '../../../../src/services/watch/watch-boot.js'
import {ARM, SUB, unitClients} from '../../../helpers/arm-fixtures.js'

const VM_PATH = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01`
const SS_VM_PATH = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-ss/virtualMachines/3`
const OPERATION = `/subscriptions/${SUB}/providers/Microsoft.Compute/locations/westeurope/operations/0f9d2c1e-aaaa-4bbb-8ccc-123456789abc`
const REF: VmRef = {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB}

/** Compute's answer to a power action: 202 with where to poll (azure-facts §1.4). */
function accepted(path: string) {
  return nock(ARM)
    .post(path)
    .query(true)
    .reply(202, '', {
      'azure-asyncoperation': `${ARM}${OPERATION}?api-version=2026-04-01`,
      location: `${ARM}${OPERATION}?monitor=true&api-version=2026-04-01`,
      'retry-after': '0',
    })
}

function operationStatus(...statuses: Array<Record<string, unknown>>) {
  const scope = nock(ARM)
  for (const status of statuses)
    scope
      .get(OPERATION)
      .query((q) => q.monitor === undefined)
      .reply(200, {name: '0f9d2c1e', startTime: '2026-11-25T21:00:00.0000000+00:00', ...status})
  return scope
}

describe('vm operations: the long-running operation', () => {
  afterEach(() => nock.cleanAll())

  it('restart: POST, then polls Azure-AsyncOperation until Succeeded, reporting each state', async () => {
    // Given Compute accepts the restart and reports it running once, then done
    const post = accepted(`${VM_PATH}/restart`)
    const polls = operationStatus(
      {status: 'InProgress'},
      {endTime: '2026-11-25T21:00:30.0000000+00:00', status: 'Succeeded'},
    )
    // then the result, from the Location URL (200, no body for a power action)
    const result = nock(ARM)
      .get(OPERATION)
      .query((q) => q.monitor === 'true')
      .reply(200)
    const seen: string[] = []

    // When it runs, polling without waiting between polls
    const status = await runVmOperation(await unitClients().compute(SUB), REF, 'restart', {
      onProgress: (state) => seen.push(state),
      pollIntervalMs: 0,
      wait: true,
    })

    // Then it is done after both polls
    expect(status).to.equal('succeeded')
    post.done()
    polls.done()
    result.done()
    expect(seen).to.include('running')
  })

  it('stop --skip-shutdown sends skipShutdown=true to powerOff; a scale-set instance goes through its scale set', async () => {
    const post = nock(ARM)
      .post(`${SS_VM_PATH}/powerOff`)
      .query((q) => q.skipShutdown === 'true')
      .reply(202, '', {'azure-asyncoperation': `${ARM}${OPERATION}?api-version=x`, 'retry-after': '0'})
    const polls = operationStatus({status: 'Succeeded'})
    const ref: VmRef = {...REF, name: 'web-ss_3', vmss: {instanceId: '3', name: 'web-ss'}}
    expect(
      await runVmOperation(await unitClients().compute(SUB), ref, 'stop', {
        pollIntervalMs: 0,
        skipShutdown: true,
        wait: true,
      }),
    ).to.equal('succeeded')
    post.done()
    polls.done()
  })

  it('--no-wait: returns "accepted" once Azure answered 202, without polling', async () => {
    const post = accepted(`${VM_PATH}/redeploy`)
    expect(
      await runVmOperation(await unitClients().compute(SUB), REF, 'redeploy', {pollIntervalMs: 0, wait: false}),
    ).to.equal('accepted')
    post.done()
    expect(nock.pendingMocks()).to.deep.equal([])
  })

  it("an operation that ends as Failed: one line with Azure's message and what to do", async () => {
    accepted(`${VM_PATH}/deallocate`)
    operationStatus({
      error: {code: 'AllocationFailed', message: 'Allocation failed. Please try again later.'},
      status: 'Failed',
    })
    const error = await runVmOperation(await unitClients().compute(SUB), REF, 'deallocate', {
      pollIntervalMs: 0,
      wait: true,
    }).catch((error_: unknown) => error_)
    expect(error).to.be.instanceOf(BootdiagError)
    expect((error as BootdiagError).message).to.match(
      /^The deallocate of VM 'web-01' failed in Azure: .*Allocation failed\. Please try again later.*\. Look at the VM's activity log in the portal, then try again\.$/,
    )
  })

  it('no permission for the action: names it and the role, exit 4', async () => {
    nock(ARM)
      .post(`${VM_PATH}/restart`)
      .query(true)
      .reply(403, {
        error: {
          code: 'AuthorizationFailed',
          message: `The client 'app' with object id 'oid' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/restart/action' over scope '${VM_PATH}' or the scope is invalid.`,
        },
      })
    const error = (await runVmOperation(await unitClients().compute(SUB), REF, 'restart', {
      pollIntervalMs: 0,
      wait: true,
    }).catch((error_: unknown) => error_)) as BootdiagError
    expect(error.exitCode).to.equal(4)
    expect(error.message).to.match(
      /may not perform Microsoft\.Compute\/virtualMachines\/restart\/action .*'Virtual Machine Contributor'/,
    )
  })

  it('Ctrl-C (the signal) stops the polling; the abort comes through unchanged', async () => {
    accepted(`${VM_PATH}/restart`)
    nock(ARM).get(OPERATION).query(true).times(1000).reply(200, {status: 'InProgress'})
    const controller = new AbortController()
    const running = runVmOperation(await unitClients().compute(SUB), REF, 'restart', {
      onProgress: () => controller.abort(),
      pollIntervalMs: 0,
      signal: controller.signal,
      wait: true,
    })
    const error = (await running.catch((error_: unknown) => error_)) as Error
    expect(error.name).to.equal('AbortError')
  })
})

describe('vm operations: the guard (snapshot first)', () => {
  let folder: string

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'bootdiag-guard-'))
  })

  afterEach(() => rm(folder, {force: true, recursive: true}))

  /** Stand-ins that record the order of what happened. */
  function stand(overrides: Partial<GuardedOperationSteps> = {}) {
    const steps: string[] = []
    const events: OperationEvent[] = []
    const baselines: LogBaseline[] = []
    const snapshot = async (_ref: VmRef, reason: string): Promise<FetchResult> => {
      steps.push(`snapshot ${reason}`)
      return {
        analysis: {lastStage: 'systemd-services', outcome: 'boot-stuck', summary: 'boot stuck in systemd-services'},
        files: {'serial.log': {bytes: 10, etag: '"0x1"', lastModified: null, sha256: 'x'}},
        localFolder: folder,
        missing: [],
        snapshot: folder,
        storage: 'managed',
        vm: {
          id: 'x',
          location: 'westeurope',
          name: 'web-01',
          powerState: 'running',
          resourceGroup: 'rg-web',
          subscriptionId: SUB,
          vmId: null,
        },
      }
    }

    const watched: WatchResult = {
      exitCode: 0,
      result: 'reached',
      seconds: 41,
      summary: 'boot reached login-prompt in 41 s',
      until: 'login-prompt',
      verdict: null,
    }
    const deps: GuardedOperationSteps = {
      async captureBaseline() {
        steps.push('capture baseline')
        return {bytes: 0, etag: null, newlines: 0, tail: Buffer.alloc(0)}
      },
      describeError: (error) => (error instanceof BootdiagError ? error : new BootdiagError(String(error))),
      notify: (event) => events.push(event),
      async operate() {
        steps.push('operate')
        return 'succeeded'
      },
      takeSnapshot: snapshot,
      async watch(_ref, baseline) {
        steps.push('watch')
        baselines.push(baseline)
        return watched
      },
      ...overrides,
    }
    return {baselines, deps, events, steps}
  }

  it("snapshot, operate, watch from the end of the snapshot's log, snapshot again", async () => {
    // Given a snapshot whose serial.log holds two lines and the start of a third
    await writeFile(join(folder, 'serial.log'), 'one\r\ntwo\r\nthr')
    const {baselines, deps, events, steps} = stand()

    // When a restart runs with --watch
    const {failure, report} = await guardedOperation(deps, {
      force: false,
      operation: 'restart',
      ref: REF,
      snapshotFirst: true,
      watch: true,
    })

    // Then each step came in order, and the watch starts after the old log's last byte (line 3)
    expect(failure).to.equal(undefined)
    expect(steps).to.deep.equal(['snapshot pre-restart', 'operate', 'watch', 'snapshot post-restart'])
    expect(baselines[0]).to.deep.include({bytes: 13, etag: '"0x1"', newlines: 2})
    expect(baselines[0].tail.toString()).to.equal('one\r\ntwo\r\nthr')
    expect(events.map((event) => event.kind)).to.deep.equal([
      'snapshot',
      'operation-started',
      'operation-done',
      'snapshot',
    ])
    expect(report).to.deep.include({error: null, operation: 'restart', status: 'succeeded'})
    expect(report.preSnapshot).to.deep.include({path: folder, reason: 'pre-restart'})
    expect(report.postSnapshot?.reason).to.equal('post-restart')
    expect(report.watch?.summary).to.equal('boot reached login-prompt in 41 s')
  })

  it("no snapshot, no operation: the failure says why and how to go on, with the cause's exit code", async () => {
    const {deps, steps} = stand({
      takeSnapshot: async () => {
        throw new AuthError(
          "The signed-in identity may not read blobs in the boot diagnostics storage account: it needs the 'Storage Blob Data Reader' role on that account.",
        )
      },
    })
    const {failure, report} = await guardedOperation(deps, {
      force: false,
      operation: 'redeploy',
      ref: REF,
      snapshotFirst: true,
      watch: false,
    })
    expect(steps).to.deep.equal([])
    expect(report.status).to.equal('not-run')
    expect(failure?.exitCode).to.equal(4)
    expect(failure?.message).to.match(
      /^Did not redeploy VM 'web-01': no snapshot could be taken first \(The signed-in identity may not read blobs .*\)\. Fix that and run again, or pass --force to redeploy without one \(the serial log may be lost\), or --skip-snapshot\.$/,
    )
    expect(report.error?.code).to.equal('SnapshotFailed')
  })

  it('--force: warns and goes on; --skip-snapshot with --watch reads the log as it is now', async () => {
    const broken = stand({
      takeSnapshot: async () => {
        throw new BootdiagError("Boot diagnostics is disabled on VM 'web-01'.")
      },
    })
    const forced = await guardedOperation(broken.deps, {
      force: true,
      operation: 'stop',
      ref: REF,
      snapshotFirst: true,
      watch: false,
    })
    expect(forced.report.status).to.equal('succeeded')
    const warning = broken.events.find((event) => event.kind === 'snapshot-failed')
    expect(warning).to.deep.include({goingOn: true, when: 'pre'})

    const skipped = stand()
    await guardedOperation(skipped.deps, {
      force: false,
      operation: 'start',
      ref: REF,
      snapshotFirst: false,
      watch: true,
    })
    expect(skipped.steps).to.deep.equal(['capture baseline', 'operate', 'watch', 'snapshot post-start'])
  })

  it('an operation that fails is reported with the snapshot kept before it; Ctrl-C is not a failure but thrown', async () => {
    const failing = stand({
      operate: async () => {
        throw new BootdiagError("The restart of VM 'web-01' failed in Azure: boom.", {code: 'OperationFailed'})
      },
    })
    const {failure, report} = await guardedOperation(failing.deps, {
      force: false,
      operation: 'restart',
      ref: REF,
      snapshotFirst: true,
      watch: false,
    })
    expect(report).to.deep.include({
      error: {code: 'OperationFailed', message: "The restart of VM 'web-01' failed in Azure: boom."},
      status: 'failed',
    })
    expect(report.preSnapshot?.path).to.equal(folder)
    expect(failure?.code).to.equal('OperationFailed')

    const interrupted = stand({
      operate: async () => {
        throw new InterruptedError('SIGINT')
      },
    })
    const error = await guardedOperation(interrupted.deps, {
      force: false,
      operation: 'restart',
      ref: REF,
      snapshotFirst: true,
      watch: false,
    }).catch((error_: unknown) => error_)
    expect(error).to.be.instanceOf(InterruptedError)
  })

  it('--watch only after operations that boot, with waiting, for one VM', () => {
    expect(() => checkWatchable('deallocate', {targets: 1, wait: true, watch: true})).to.throw(
      /nothing boots after 'deallocate'/,
    )
    expect(() => checkWatchable('restart', {targets: 1, wait: false, watch: true})).to.throw(
      /--watch and --no-wait exclude each other/,
    )
    expect(() => checkWatchable('restart', {targets: 2, wait: true, watch: true})).to.throw(
      /--watch follows one VM; 2 were named/,
    )
    expect(() => checkWatchable('start', {targets: 1, wait: true, watch: true})).not.to.throw()
  })
})
