/**
 * Quick ways to populate the fake: a VM with managed, custom, disabled or absent boot diagnostics, in any
 * power state, with a realistic serial log and a small BMP screenshot; scale sets, Uniform (instances
 * `<name>_0`, `<name>_1`, …) or Flexible (ordinary VMs carrying `virtualMachineScaleSet.id`).
 */
import {makeBmp} from './bmp.js'
import {WINDOWS_DEFAULT_SCREEN, screenBmp} from './screens.js'
import type {
  BootDiagnosticsConfig,
  FakeAzureState,
  FakeScaleSet,
  FakeVm,
  OrchestrationMode,
  PowerState,
  VmInit,
} from './state.js'

/** Where boot diagnostics go, in fixture shorthand. */
export type StorageKind = 'absent' | 'custom' | 'disabled' | 'managed'

export interface VmFixture extends Omit<VmInit, 'bootDiagnostics' | 'screenshot'> {
  /** default 'managed' */
  storage?: StorageKind
  /** the customer's storage account for 'custom' (default: the fake's first custom account) */
  storageAccount?: string
  /**
   * default: a generated BMP (none when boot diagnostics is off or the VM is deallocated); for a Windows VM
   * the rendered lock screen; null: none
   */
  screenshot?: Buffer | null
  /** the screenshot is this test screen (`rendered/<name>` or `lab/<name>` of test/fixtures/screens) */
  screen?: string
}

export interface ScaleSetFixture {
  name: string
  orchestrationMode?: OrchestrationMode
  /** instances (Uniform) or member VMs (Flexible); default 2 */
  capacity?: number
  storage?: StorageKind
  storageAccount?: string
  resourceGroup?: string
  subscriptionId?: string
  location?: string
  powerState?: PowerState
  vmSize?: string
}

let screenshotSeed = 0

export function bootDiagnosticsFor(kind: StorageKind, account: string | undefined): BootDiagnosticsConfig {
  switch (kind) {
    case 'custom':
      if (!account) throw new Error('custom boot diagnostics storage needs a storage account name')
      return {account, mode: 'custom'}
    case 'managed':
      return {mode: 'managed'}
    case 'disabled':
      return {mode: 'disabled'}
    case 'absent':
      return {mode: 'absent'}
  }
}

function defaultScreenshot(kind: StorageKind, powerState: PowerState | undefined, screen?: string): Buffer | undefined {
  if (kind === 'disabled' || kind === 'absent' || powerState === 'deallocated') return undefined
  return screen ? screenBmp(screen) : makeBmp({seed: ++screenshotSeed})
}

export function addVmFixture(state: FakeAzureState, fixture: VmFixture, defaultCustomAccount?: string): FakeVm {
  const kind = fixture.storage ?? 'managed'
  const {screen, screenshot, storage: _storage, storageAccount, ...init} = fixture
  const shown = screen ?? (fixture.osType === 'Windows' ? WINDOWS_DEFAULT_SCREEN : undefined)
  return state.addVm({
    ...init,
    bootDiagnostics: bootDiagnosticsFor(kind, storageAccount ?? defaultCustomAccount),
    screenshot: screenshot === undefined ? defaultScreenshot(kind, fixture.powerState, shown) : screenshot,
  })
}

export function addScaleSetFixture(
  state: FakeAzureState,
  fixture: ScaleSetFixture,
  defaultCustomAccount?: string,
): {scaleSet: FakeScaleSet; instances: FakeVm[]} {
  const kind = fixture.storage ?? 'managed'
  const bootDiagnostics = bootDiagnosticsFor(kind, fixture.storageAccount ?? defaultCustomAccount)
  const scaleSet = state.addScaleSet({
    bootDiagnostics,
    location: fixture.location,
    name: fixture.name,
    orchestrationMode: fixture.orchestrationMode ?? 'Uniform',
    resourceGroup: fixture.resourceGroup,
    subscriptionId: fixture.subscriptionId,
    vmSize: fixture.vmSize,
  })
  const instances: FakeVm[] = []
  for (let i = 0; i < (fixture.capacity ?? 2); i++) {
    const screenshot = defaultScreenshot(kind, fixture.powerState)
    if (scaleSet.orchestrationMode === 'Uniform') {
      instances.push(state.addScaleSetInstance(scaleSet, {powerState: fixture.powerState, screenshot}))
    } else {
      // Flexible members are named like the portal names them: <scale set>_<8 hex>.
      const suffix = (0x1a2b3c4d + i * 0x1111).toString(16).slice(0, 8)
      instances.push(
        state.addVm({
          bootDiagnostics,
          flexibleScaleSet: scaleSet.name,
          location: scaleSet.location,
          name: `${scaleSet.name}_${suffix}`,
          powerState: fixture.powerState,
          resourceGroup: scaleSet.resourceGroup,
          screenshot,
          subscriptionId: scaleSet.subscriptionId,
          vmSize: scaleSet.vmSize,
        }),
      )
    }
  }

  return {instances, scaleSet}
}
