/**
 * Where snapshots live: `<archive>/<subscriptionId>/<resourceGroup>/<vmName>/<YYYYMMDDTHHMMSSZ>/`.
 * Resource group and VM names are lower-cased (Azure treats them case-insensitively and returns them in
 * varying case), so one VM always maps to one folder.
 */
import {homedir} from 'node:os'
import {join} from 'node:path'

export interface VmLocation {
  subscriptionId: string
  resourceGroup: string
  name: string
}

/** The per-user default archive: $XDG_DATA_HOME/bootdiag/archive (Linux), Application Support (macOS), %LOCALAPPDATA% (Windows). */
export function defaultArchiveDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'bootdiag', 'archive')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'bootdiag', 'archive')
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'bootdiag', 'archive')
}

/** A path segment safe on every file system: no separators, no leading dots. */
export function safeSegment(name: string): string {
  const cleaned = name.toLowerCase().replaceAll(/[\\/:*?"<>|\u0000-\u001F]/g, '_').replace(/^\.+/, '_')
  return cleaned || '_'
}

export function vmDir(archiveRoot: string, vm: VmLocation): string {
  return join(archiveRoot, safeSegment(vm.subscriptionId), safeSegment(vm.resourceGroup), safeSegment(vm.name))
}

/** 2026-11-25T21:03:04.123Z → 20261125T210304Z */
export function snapshotStamp(takenAt: Date): string {
  return takenAt.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(/[-:]/g, '')
}

/** Snapshot folder names sort by time; a second snapshot in the same second gets -1, -2, ... */
export const SNAPSHOT_DIR_PATTERN = /^\d{8}T\d{6}Z(-\d+)?$/
