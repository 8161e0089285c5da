/**
 * The whole catalogue as data: every failure signature and every stage marker. catalogue.ts checks
 * and compiles these records once; nothing else reads them.
 */
import {BOOTLOADER_RULES} from './bootloader.js'
import {INITRAMFS_RULES} from './initramfs.js'
import {KERNEL_RULES} from './kernel.js'
import {PLATFORM_RULES} from './platform.js'
import {PROVISIONING_RULES} from './provisioning.js'
import type {RuleRecord} from './schema.js'
import {STORAGE_RULES} from './storage.js'
import {SYSTEMD_RULES} from './systemd.js'

export type {AdviceRecord, MarkerRole, RuleRecord, StageMarkerRecord} from './schema.js'
export {ADVICE_RECORDS} from './advice.js'
export {STAGE_MARKERS} from './stage-markers.js'

export const RULE_RECORDS: readonly RuleRecord[] = [
  ...BOOTLOADER_RULES,
  ...KERNEL_RULES,
  ...INITRAMFS_RULES,
  ...STORAGE_RULES,
  ...SYSTEMD_RULES,
  ...PROVISIONING_RULES,
  ...PLATFORM_RULES,
]
