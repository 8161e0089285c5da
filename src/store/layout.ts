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
export function defaultArchiveDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'bootdiag', 'archive')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'bootdiag', 'archive')
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'bootdiag', 'archive')
}

/** A path segment safe on every file system: no separators, no leading dots. */
export function safeSegment(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replaceAll(/[\\/:*?"<>|\u0000-\u001F]/g, '_')
    .replace(/^\.+/, '_')
  return cleaned || '_'
}

/** The VM's folder as path segments below the archive root (the same for a folder and a Blob container). */
export function vmSegments(vm: VmLocation): [string, string, string] {
  return [safeSegment(vm.subscriptionId), safeSegment(vm.resourceGroup), safeSegment(vm.name)]
}

export function vmDir(archiveRoot: string, vm: VmLocation): string {
  return join(archiveRoot, ...vmSegments(vm))
}

/** 2026-11-25T21:03:04.123Z → 20261125T210304Z */
export function snapshotStamp(takenAt: Date): string {
  return takenAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(/[-:]/g, '')
}

/** Snapshot folder names sort by time; a second snapshot in the same second gets -1, -2, ... */
export const SNAPSHOT_DIR_PATTERN = /^\d{8}T\d{6}Z(-\d+)?$/

/** When a snapshot was taken, from its folder name (20261125T210304Z-1 → 2026-11-25T21:03:04Z), or undefined. */
export function snapshotTime(name: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-\d+)?$/.exec(name)
  if (!match) return undefined
  const [, year, month, day, hour, minute, second] = match.map(Number)
  const time = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  return Number.isNaN(time.getTime()) ? undefined : time
}

/** Snapshot names, oldest first (the same second's -1, -2, ... after the plain stamp). */
export function sortSnapshotNames(names: readonly string[]): string[] {
  const suffix = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? 0)
  return names
    .filter((name) => SNAPSHOT_DIR_PATTERN.test(name))
    .sort((a, b) => a.slice(0, 16).localeCompare(b.slice(0, 16)) || suffix(a) - suffix(b))
}
