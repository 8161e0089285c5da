/**
 * A folder archive that someone with write access has tampered with: symbolic links planted where the
 * layout has a folder or a file of its own (at every level), a dangling link or a folder as the lock, a
 * malformed snapshot.json, and the empty folders a failed snapshot must not leave. Nothing outside the
 * archive is ever written or read; each refusal is one line naming the link.
 */
import {mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {acquireFileLock} from '../../../src/store/lock.js'
import {LocalArchiveStore} from '../../../src/store/local-store.js'
import {type SnapshotManifest, parseManifest} from '../../../src/store/manifest.js'
import {SnapshotWriter} from '../../../src/store/snapshot-writer.js'

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333'
const VM = {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB}
const SHA = 'a'.repeat(64)

function manifest(): SnapshotManifest {
  return {
    files: {'serial.log': {bytes: 3, etag: '"0x1"', lastModified: null, sha256: SHA}},
    missing: [],
    reason: 'archive',
    schemaVersion: 1,
    storage: 'managed',
    takenAt: '2026-11-25T21:03:04.000Z',
    tool: {name: 'bootdiag', version: '0.0.0'},
    vm: {...VM, id: '/x', location: 'westeurope', powerState: 'running', vmId: 'v1'},
  }
}

/** Every file and folder under `folder`, relative, sorted (links listed, not followed). */
async function everything(folder: string): Promise<string[]> {
  return ((await readdir(folder, {recursive: true})) as string[]).sort()
}

describe('a hostile folder archive', () => {
  let scratch: string
  let root: string
  let outside: string
  let store: LocalArchiveStore

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-hostile-'))
    root = join(scratch, 'archive')
    outside = join(scratch, 'outside')
    await mkdir(root)
    await mkdir(outside)
    store = new LocalArchiveStore(root)
  })

  afterEach(() => rm(scratch, {force: true, recursive: true}))

  /** A committed snapshot of VM, taken at `at`. */
  async function snapshot(at: string): Promise<string> {
    const draft = await store.beginSnapshot(VM, new Date(at))
    await draft.writeFile('serial.log', Buffer.from('log'))
    return (await draft.commit(manifest())).name
  }

  describe('a symbolic link in place of a folder of the layout', () => {
    const levels: Array<[string, string[]]> = [
      ['the subscription folder', [SUB]],
      ['the resource group folder', [SUB, 'rg-web']],
      ['the VM folder', [SUB, 'rg-web', 'web-01']],
    ]
    for (const [what, segments] of levels) {
      it(`${what}: a snapshot, the state file and the listing refuse it, naming the link; nothing is written outside`, async () => {
        // Given the level is a link to a folder outside the archive
        const link = join(root, ...segments)
        await mkdir(join(root, ...segments.slice(0, -1)), {recursive: true})
        await symlink(outside, link)

        // When fetch or archive would write there, or read the VM's state and snapshots
        const attempts = [
          () => store.beginSnapshot(VM, new Date()),
          () => store.writeState(VM, '{}'),
          () => store.readState(VM),
          () => store.listSnapshots(VM),
          () => store.readManifest(VM, '20261125T210304Z'),
        ]

        // Then each is refused in one line that names the link, and nothing appears outside
        for (const attempt of attempts) {
          const error = (await attempt().then(
            () => undefined,
            (e: Error) => e,
          )) as Error & {code?: string; exitCode?: number}
          expect(error, what).to.be.instanceOf(Error)
          expect(error.code).to.equal('ArchiveLink')
          expect(error.exitCode).to.equal(1)
          expect(error.message).to.equal(
            `${link} is a symbolic link inside the archive; bootdiag never follows links there (it could write or read outside the archive). Remove the link (or put the real folder or file in its place) and run again.`,
          )
        }

        expect(await everything(outside)).to.deep.equal([])
      })
    }

    it('a snapshot folder: never read as the base of an incremental snapshot, never carried from, listed as a refusal', async () => {
      // Given an outside folder that looks like a snapshot, linked in under a snapshot's name
      await snapshot('2026-11-25T20:00:00Z')
      await writeFile(join(outside, 'serial.log'), 'outside bytes')
      await writeFile(join(outside, 'snapshot.json'), JSON.stringify(manifest()))
      const link = join(root, SUB, 'rg-web', 'web-01', '20261125T210304Z')
      await symlink(outside, link)

      // When the archive reads it as a snapshot, or a new snapshot carries a file from it
      const draft = await store.beginSnapshot(VM, new Date('2026-11-25T22:00:00Z'))
      const refusals = await Promise.all(
        [
          store.listSnapshots(VM),
          store.readManifest(VM, '20261125T210304Z'),
          store.localFile(VM, '20261125T210304Z', 'serial.log'),
          draft.carryOver('serial.log', '20261125T210304Z'),
        ].map((attempt) =>
          attempt.then(
            () => undefined,
            (e: Error) => e.message,
          ),
        ),
      )
      await draft.abandon()

      // Then every one is refused, naming the link
      for (const message of refusals) expect(message).to.match(/ is a symbolic link inside the archive; /)
      expect(refusals.every((message) => message?.startsWith(link))).to.equal(true)
    })

    it("a link where the new snapshot's folder would go: the commit refuses it and writes nothing through it", async () => {
      const vmFolder = join(root, SUB, 'rg-web', 'web-01')
      await mkdir(vmFolder, {recursive: true})
      await symlink(outside, join(vmFolder, '20261125T210304Z'))
      const draft = await store.beginSnapshot(VM, new Date('2026-11-25T21:03:04Z'))
      await draft.writeFile('serial.log', Buffer.from('log'))
      const error = await draft.commit(manifest()).catch((e: Error) => e)
      expect((error as Error).message).to.match(/20261125T210304Z is a symbolic link inside the archive/)
      expect(await everything(outside)).to.deep.equal([])
    })

    it('files: the state file, a snapshot.json or a serial.log that is a link is never read', async () => {
      const name = await snapshot('2026-11-25T21:03:04Z')
      const vmFolder = join(root, SUB, 'rg-web', 'web-01')
      await writeFile(join(outside, 'secret'), '{"stateVersion": 1}')
      await symlink(join(outside, 'secret'), join(vmFolder, '.archive-state.json'))
      await rm(join(vmFolder, name, 'serial.log'))
      await symlink(join(outside, 'secret'), join(vmFolder, name, 'serial.log'))

      expect(await store.readState(VM).catch((e: Error) => e.message)).to.match(
        /\.archive-state\.json is a symbolic link inside the archive/,
      )
      expect(await store.localFile(VM, name, 'serial.log').catch((e: Error) => e.message)).to.match(
        /serial\.log is a symbolic link inside the archive/,
      )
    })

    it('writing the state file over a link replaces the link, never the file it points to', async () => {
      await snapshot('2026-11-25T21:03:04Z')
      await writeFile(join(outside, 'victim'), 'untouched')
      await symlink(join(outside, 'victim'), join(root, SUB, 'rg-web', 'web-01', '.archive-state.json'))
      await store.writeState(VM, '{"new": true}\n')
      expect(await readFile(join(outside, 'victim'), 'utf8')).to.equal('untouched')
    })

    it("a staging folder that is a link (a dead run's name) is removed as a link; what it points to stays", async () => {
      const vmFolder = join(root, SUB, 'rg-web', 'web-01')
      await mkdir(vmFolder, {recursive: true})
      await writeFile(join(outside, 'keep-me'), 'x')
      await symlink(outside, join(vmFolder, '.staging-999999999-deadbeef'))
      const writer = await SnapshotWriter.begin(root, VM, new Date())
      await writer.abandon()
      expect(await everything(outside)).to.deep.equal(['keep-me'])
    })
  })

  describe('the lock', () => {
    it('a dangling symbolic link as the lock file: refused at once, naming the path (no loop, no exit 6 wait)', async () => {
      await symlink(join(outside, 'nowhere'), join(root, '.bootdiag-archive.lock'))
      const error = await acquireFileLock(root).catch((e: Error) => e)
      expect(error).to.include({code: 'ArchiveLockUnusable', exitCode: 1})
      expect((error as Error).message).to.equal(
        `The archive lock ${join(root, '.bootdiag-archive.lock')} is a symbolic link (bootdiag never follows links inside the archive), so this run cannot take the lock. Remove it (or fix its permissions) and run again.`,
      )
      expect(await everything(outside)).to.deep.equal([])
    })

    it('a link to a real file, and a folder, as the lock: refused, naming the path', async () => {
      await writeFile(join(outside, 'file'), '{}')
      await symlink(join(outside, 'file'), join(root, '.bootdiag-archive.lock'))
      expect(await acquireFileLock(root).catch((e: Error) => e.message)).to.match(/ is a symbolic link /)
      await rm(join(root, '.bootdiag-archive.lock'))
      await mkdir(join(root, '.bootdiag-archive.lock'))
      expect(await acquireFileLock(root, {wait: true}).catch((e: Error) => e.message)).to.equal(
        `The archive lock ${join(root, '.bootdiag-archive.lock')} is a folder, not a lock file, so this run cannot take the lock. Remove it (or fix its permissions) and run again.`,
      )
      expect(await readFile(join(outside, 'file'), 'utf8')).to.equal('{}')
    })
  })

  describe("a symbolic link in the archive's index (.bootdiag-index)", () => {
    const planted: Array<[string, (index: string) => Promise<void>]> = [
      ['the index folder', (index) => symlink(outside, index)],
      [
        'its journal',
        async (index) => {
          await mkdir(index)
          await symlink(join(outside, 'journal'), join(index, 'archive.journal'))
        },
      ],
      [
        'its database',
        async (index) => {
          await mkdir(index)
          await symlink(join(outside, 'db'), join(index, 'archive.sqlite'))
        },
      ],
    ]
    for (const [what, plant] of planted) {
      it(`${what}: an archive run and a reader never write through it`, async () => {
        // Given a link planted where the index keeps its files
        await plant(join(root, '.bootdiag-index'))

        // When an archive run commits a snapshot (the index journals and folds it), and a reader opens the index
        const warnings: string[] = []
        const warned = new LocalArchiveStore(root, {warn: (message) => warnings.push(message)})
        const lock = await warned.lock({})
        const draft = await warned.beginSnapshot(VM, new Date('2026-11-25T11:00:00Z'))
        await draft.writeFile('serial.log', Buffer.from('log'))
        await draft.commit(manifest()).catch(() => undefined)
        await lock.release().catch(() => undefined)
        const view = await warned.index
          .open({lock: () => warned.lock({}), note: () => {}, warn: (message) => warnings.push(message)})
          .catch((error: Error) => error)

        // Then nothing was written outside the archive, and the link is named
        expect(await everything(outside)).to.deep.equal([])
        if (!(view instanceof Error)) view.close()
        const said = [...warnings, view instanceof Error ? view.message : ''].join('\n')
        expect(said).to.include(join(root, '.bootdiag-index'))
        expect(said).to.match(/symbolic link/)
      })
    }
  })

  describe('snapshot.json read back is checked against its schema', () => {
    const bad: Array<[string, unknown]> = [
      ['an empty object', {}],
      ['an array', []],
      ['null', null],
      ['no files', {...manifest(), files: undefined}],
      ['files: null', {...manifest(), files: null}],
      ['no vm', {...manifest(), vm: undefined}],
      ['vm: null', {...manifest(), vm: null}],
      ['a file entry without a hash', {...manifest(), files: {'serial.log': {bytes: 3}}}],
      ['a file entry that is null', {...manifest(), files: {'serial.log': null}}],
      ['no missing list', {...manifest(), missing: null}],
      ['another schemaVersion', {...manifest(), schemaVersion: 2}],
    ]
    for (const [what, value] of bad) {
      it(`${what}: a problem, never a crash`, () => {
        expect(parseManifest(JSON.stringify(value)))
          .to.have.property('problem')
          .that.is.a('string')
      })
    }

    it('not JSON at all: a problem; a valid one (with fields a later version may add): the manifest', () => {
      expect(parseManifest('{"truncated":')).to.have.property('problem')
      const later = {...manifest(), extra: {added: 'later'}}
      expect(parseManifest(JSON.stringify(later))).to.deep.equal({manifest: later})
    })

    it('the store reads a malformed one as no manifest and says why', async () => {
      const name = await snapshot('2026-11-25T21:03:04Z')
      await writeFile(join(root, SUB, 'rg-web', 'web-01', name, 'snapshot.json'), '{}')
      const problems: string[] = []
      expect(await store.readManifest(VM, name, (problem) => problems.push(problem))).to.equal(undefined)
      expect(problems).to.deep.equal(['schemaVersion undefined is not 1'])
    })
  })

  describe('a snapshot that fails', () => {
    it('leaves no empty VM, resource group or subscription folder behind', async () => {
      const writer = await SnapshotWriter.begin(root, VM, new Date())
      await writer.abandon()
      expect(await everything(root)).to.deep.equal([])
    })

    it("leaves the folders that hold something else: another VM's snapshot, the state file", async () => {
      await snapshot('2026-11-25T21:03:04Z')
      const other = {...VM, name: 'web-02'}
      const writer = await SnapshotWriter.begin(root, other, new Date())
      await writer.abandon()
      expect(await everything(root)).to.include(join(SUB, 'rg-web', 'web-01'))
      expect(await everything(root)).not.to.include(join(SUB, 'rg-web', 'web-02'))
    })

    it('two VMs of one resource group at once: one that fails never pulls the folders from under the other', async () => {
      for (let round = 0; round < 20; round++) {
        const [failing, ok] = await Promise.all([
          SnapshotWriter.begin(root, {...VM, name: `fail-${round}`}, new Date()),
          SnapshotWriter.begin(root, {...VM, name: `ok-${round}`}, new Date('2026-11-25T21:03:04Z')),
        ])
        await Promise.all([failing.abandon(), ok.writeFile('serial.log', Buffer.from('x'))])
        await ok.commit(manifest())
      }

      expect(await store.listSnapshots({...VM, name: 'ok-19'})).to.deep.equal(['20261125T210304Z'])
    })
  })
})
