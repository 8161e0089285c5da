import {expect} from 'chai'

import type {SnapshotManifest} from '../../../src/store/manifest.js'
import {type VmArchiveState, parseVmState, serializeVmState, stateFromManifest} from '../../../src/store/vm-state.js'

const SHA = 'a'.repeat(64)

function validState(): VmArchiveState {
  return {
    files: {
      'screenshot.bmp': {
        bytes: 9270,
        createdOn: '2026-11-25T20:00:00.000Z',
        etag: '"0x2"',
        lastModified: null,
        sha256: SHA,
      },
      'screenshot.png': {bytes: 300, sha256: SHA},
      'serial.log': {
        bytes: 4096,
        contentBytes: 4000,
        createdOn: '2026-11-25T20:00:00.000Z',
        etag: '"0x1"',
        lastModified: '2026-11-25T21:00:00.000Z',
        sha256: SHA,
      },
    },
    snapshot: '20261125T210304Z',
    stateVersion: 1,
    updatedAt: '2026-11-25T21:03:05.000Z',
    vm: {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web-01',
      vmId: '3e5a6b6c-0f3b-4f59-9d6e-0123456789ab',
    },
  }
}

describe('archive: per-VM state file', () => {
  it('round-trips what it writes', () => {
    // Given a state, When it is written and read back, Then it is the same
    const reading = parseVmState(serializeVmState(validState()))
    expect(reading).to.deep.equal({state: validState()})
  })

  it('says what is wrong with a corrupt or foreign file instead of throwing', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"stateVersion": 1, "snapsh', /^not JSON/],
      ['[]', /not a JSON object/],
      [JSON.stringify({...validState(), stateVersion: 7}), /stateVersion 7 is not 1/],
      [JSON.stringify({...validState(), snapshot: '../../etc'}), /no valid snapshot name/],
      [
        JSON.stringify({
          ...validState(),
          files: {'serial.log': {bytes: -1, etag: null, lastModified: null, sha256: SHA}},
        }),
        /serial\.log entry is malformed/,
      ],
      [
        JSON.stringify({
          ...validState(),
          files: {'serial.log': {bytes: 10, contentBytes: 11, etag: null, lastModified: null, sha256: SHA}},
        }),
        /serial\.log entry is malformed/,
      ],
      [
        JSON.stringify({
          ...validState(),
          files: {'screenshot.bmp': {bytes: 1, etag: null, lastModified: null, sha256: 'xyz'}},
        }),
        /screenshot\.bmp entry is malformed/,
      ],
      [JSON.stringify({...validState(), vm: {id: 1}}), /no valid vm/],
    ]
    for (const [text, problem] of cases) {
      const reading = parseVmState(text)
      expect(reading, text).to.have.property('problem').that.matches(problem)
    }
  })

  it('is rebuilt from a snapshot.json (e.g. one fetch took): same ETags, sizes and hashes', () => {
    const manifest = {
      files: {
        'screenshot.bmp': {bytes: 9270, etag: '"0x2"', lastModified: null, sha256: SHA},
        'screenshot.png': {bytes: 300, derivedFrom: 'screenshot.bmp', etag: null, lastModified: null, sha256: SHA},
        'serial.log': {bytes: 4096, etag: '"0x1"', lastModified: '2026-11-25T21:00:00.000Z', sha256: SHA},
      },
      vm: {id: '/x', vmId: 'v'},
    } as unknown as SnapshotManifest

    const state = stateFromManifest('20261125T210304Z', manifest, new Date('2026-11-26T00:00:00Z'))

    expect(state).to.deep.equal({
      analysis: null,
      files: {
        'screenshot.bmp': {bytes: 9270, etag: '"0x2"', lastModified: null, sha256: SHA},
        'screenshot.png': {bytes: 300, sha256: SHA},
        'serial.log': {bytes: 4096, etag: '"0x1"', lastModified: '2026-11-25T21:00:00.000Z', sha256: SHA},
      },
      snapshot: '20261125T210304Z',
      stateVersion: 1,
      updatedAt: '2026-11-26T00:00:00.000Z',
      vm: {id: '/x', vmId: 'v'},
    })
    expect(parseVmState(serializeVmState(state))).to.have.property('state')
  })
})
