/**
 * The fake cloud's state, apart from any HTTP: tenants, service principals and their role grants,
 * subscriptions, resource groups, VMs, scale sets and their instances, and each VM's serial log and
 * screenshot bytes (the authoritative copy; the storage writer mirrors them into Azurite).
 *
 * Tests change the world through this model (add a VM, grow a log, deny a principal) and the HTTP handlers
 * read it. Every change to a VM's log or screenshot is announced to `onVmChange` listeners.
 *
 * Power actions model what really happens to the serial log (DESIGN.md, azure-facts §3):
 * - restart: the guest prints its shutdown, then the next boot is APPENDED to the same log;
 * - powerOff: the shutdown is appended (nothing with skipShutdown); start later appends a new boot;
 * - deallocate: the shutdown is appended; the next start REPLACES the log with a fresh boot (new host);
 * - redeploy: shutdown appended, then the log is REPLACED with a fresh boot (new node).
 */
import {bootDiagnosticsContainer, guid, key, screenshotBlobName, serialLogBlobName} from './names.js'
import {sampleBootLog, sampleShutdownLog} from './sample-logs.js'

/** What Windows with EMS writes to the serial port as it boots (Azure's serial console for Windows). */
export const SAC_BANNER =
  'Computer is booting, SAC started and initialized.\r\n\r\nUse the "ch -?" command for information about using channels.\r\nUse the "?" command for general help.\r\n\r\n\r\nSAC>\r\n'

export type PowerState = 'deallocated' | 'deallocating' | 'running' | 'starting' | 'stopped' | 'stopping'

/** Where a VM's boot diagnostics go. */
export type BootDiagnosticsConfig =
  /** enabled, no storageUri: Azure-managed storage; URIs only through retrieveBootDiagnosticsData (SAS) */
  | {mode: 'managed'}
  /** enabled with the customer's storage account (an Azurite account); storageUri overrides the rendered URI */
  | {account: string; mode: 'custom'; storageUri?: string}
  /** `diagnosticsProfile.bootDiagnostics.enabled: false` */
  | {mode: 'disabled'}
  /** no diagnosticsProfile at all (VMs created without it) */
  | {mode: 'absent'}

export type OrchestrationMode = 'Flexible' | 'Uniform'

/** An Azure RBAC role, reduced to the action patterns that matter here. */
export type RoleName = 'Contributor' | 'Owner' | 'Reader' | 'Virtual Machine Contributor'

export const ROLE_ACTIONS: Readonly<Record<RoleName, readonly string[]>> = {
  Contributor: ['*'],
  Owner: ['*'],
  // Reader is `*/read`: it does NOT include retrieveBootDiagnosticsData/action or any power action.
  Reader: ['*/read'],
  'Virtual Machine Contributor': [
    '*/read',
    'Microsoft.Compute/virtualMachines/*',
    'Microsoft.Compute/virtualMachineScaleSets/*',
    'Microsoft.Compute/locations/*',
  ],
}

export interface RoleGrant {
  /** '/' for everything, '/subscriptions/<id>', '/subscriptions/<id>/resourceGroups/<rg>', or a resource ID */
  scope: string
  role?: RoleName
  /** custom role actions (patterns with '*'), used instead of `role` */
  actions?: string[]
}

export interface FakePrincipal {
  clientId: string
  clientSecret: string
  /** the service principal's object id (token `oid`) */
  objectId: string
  tenantId: string
  displayName: string
  grants: RoleGrant[]
  /** sign-in refused with AADSTS7000112 */
  disabled?: boolean
  /** sign-in refused with AADSTS7000222 */
  secretExpired?: boolean
}

export interface FakeTenant {
  tenantId: string
  displayName: string
  defaultDomain: string
}

export interface FakeSubscription {
  subscriptionId: string
  displayName: string
  tenantId: string
  state: 'Deleted' | 'Disabled' | 'Enabled' | 'PastDue' | 'Warned'
}

export interface FakeResourceGroup {
  subscriptionId: string
  name: string
  location: string
}

export interface FakeScaleSet {
  subscriptionId: string
  resourceGroup: string
  name: string
  location: string
  orchestrationMode: OrchestrationMode
  vmSize: string
  bootDiagnostics: BootDiagnosticsConfig
  uniqueId: string
  timeCreated: string
  /** Flexible scale sets may have no VM profile at all */
  hasVmProfile: boolean
  computerNamePrefix: string
  tags: Record<string, string>
}

export interface FakeVm {
  /** 'vm' for a standalone or Flexible-member VM, 'scaleSetInstance' for a Uniform scale set instance */
  kind: 'scaleSetInstance' | 'vm'
  subscriptionId: string
  resourceGroup: string
  /** for a Uniform instance: `<scaleSet>_<instanceId>` */
  name: string
  location: string
  vmId: string
  vmSize: string
  osType: 'Linux' | 'Windows'
  computerName: string
  powerState: PowerState
  provisioningState: string
  bootDiagnostics: BootDiagnosticsConfig
  /** set for Uniform instances and Flexible members */
  scaleSet?: {instanceId: string; name: string; orchestrationMode: OrchestrationMode}
  tags: Record<string, string>
  zones?: string[]
  timeCreated: string
  hyperVGeneration: 'V1' | 'V2'
  /** the serial console log written so far; undefined: no blob (never booted, or deleted) */
  serialLog?: Buffer
  /** the console screenshot; undefined: no blob */
  screenshot?: Buffer
  /** boots printed so far (the next boot prints bootCount + 1) */
  bootCount: number
  /**
   * what the next boot prints; default: a healthy boot to the login prompt (Linux), nothing (Windows: it
   * writes no serial log), SAC's banner (Windows with `sac`)
   */
  nextBootLog?: Buffer
  /** Windows with Emergency Management Services: each boot writes SAC's banner to the serial port */
  sac?: boolean
  /** the next start replaces the log (set by deallocate) */
  freshLogOnStart: boolean
  /** instance view bootDiagnostics.status: only set when Azure had errors enabling boot diagnostics */
  bootDiagnosticsError?: {code: string; message: string}
  /** bumped on every change of serialLog/screenshot */
  revision: number
}

export type VmChange = 'created' | 'log' | 'removed' | 'screenshot'

export type VmRef =
  | FakeVm
  | string
  | {name: string; resourceGroup?: string; subscriptionId?: string; scaleSet?: string; instanceId?: string}

export type PowerAction = 'deallocate' | 'powerOff' | 'redeploy' | 'restart' | 'start'

export interface FakeAzureSettings {
  /** items per page of every list (ARM nextLink paging) */
  pageSize: number
  /** how many polls of an async operation answer InProgress before Succeeded */
  lroPolls: number
  /** Retry-After seconds on 202 and InProgress answers */
  retryAfterSeconds: number
  /** retrieveBootDiagnosticsData mints SAS URLs that are already expired */
  mintExpiredSas: boolean
  /** list/listAll render the resource group of an ID upper-cased, as Compute does */
  upperCaseResourceGroupInListIds: boolean
  /** access token lifetime in seconds */
  tokenLifetimeSeconds: number
}

export interface SubscriptionInit {
  subscriptionId?: string
  displayName?: string
  tenantId?: string
  state?: FakeSubscription['state']
}

export interface PrincipalInit {
  clientId?: string
  clientSecret?: string
  objectId?: string
  tenantId?: string
  displayName?: string
  grants?: RoleGrant[]
  disabled?: boolean
  secretExpired?: boolean
}

export interface VmInit {
  name: string
  resourceGroup?: string
  subscriptionId?: string
  location?: string
  vmId?: string
  vmSize?: string
  /** default Linux; a Windows VM writes no serial log (an empty blob) unless `sac` */
  osType?: 'Linux' | 'Windows'
  /** Windows with Emergency Management Services (SAC) on the serial port */
  sac?: boolean
  computerName?: string
  powerState?: PowerState
  provisioningState?: string
  bootDiagnostics?: BootDiagnosticsConfig
  tags?: Record<string, string>
  zones?: string[]
  hyperVGeneration?: 'V1' | 'V2'
  /** the log so far; default: one healthy boot (none when the VM is deallocated); null: no log blob */
  serialLog?: Buffer | string | null
  /** default: none (fixtures add a BMP); null: none */
  screenshot?: Buffer | null
  nextBootLog?: Buffer | string
  /** make it a member of a Flexible scale set (which must exist) */
  flexibleScaleSet?: string
  timeCreated?: string
}

export interface ScaleSetInit {
  name: string
  resourceGroup?: string
  subscriptionId?: string
  location?: string
  orchestrationMode?: OrchestrationMode
  vmSize?: string
  bootDiagnostics?: BootDiagnosticsConfig
  hasVmProfile?: boolean
  computerNamePrefix?: string
  tags?: Record<string, string>
}

const toBuffer = (value: Buffer | string): Buffer => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value)

export class FakeAzureState {
  readonly tenants = new Map<string, FakeTenant>()
  readonly principals = new Map<string, FakePrincipal>()
  readonly subscriptions = new Map<string, FakeSubscription>()
  readonly resourceGroups = new Map<string, FakeResourceGroup>()
  readonly scaleSets = new Map<string, FakeScaleSet>()
  /** standalone VMs, Flexible members and Uniform instances */
  readonly vms = new Map<string, FakeVm>()
  readonly settings: FakeAzureSettings
  /** the subscription/tenant used when an init leaves them out */
  defaultSubscriptionId = ''
  defaultTenantId = ''
  defaultResourceGroup = 'rg-bootdiag'
  private readonly listeners = new Set<(vm: FakeVm, change: VmChange) => void>()

  constructor(settings: Partial<FakeAzureSettings> = {}) {
    this.settings = {
      lroPolls: 1,
      mintExpiredSas: false,
      pageSize: 50,
      retryAfterSeconds: 0,
      tokenLifetimeSeconds: 3600,
      upperCaseResourceGroupInListIds: true,
      ...settings,
    }
  }

  /** Listen to every change of a VM's log or screenshot (and creation/removal). Returns the unsubscribe. */
  onVmChange(listener: (vm: FakeVm, change: VmChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(vm: FakeVm, change: VmChange): void {
    vm.revision++
    for (const listener of this.listeners) listener(vm, change)
  }

  // --- directory: tenants and principals -------------------------------------------------------------

  addTenant(tenantId: string = guid(), displayName = 'Fake Tenant'): FakeTenant {
    const tenant: FakeTenant = {defaultDomain: `fake${tenantId.slice(0, 8)}.onmicrosoft.com`, displayName, tenantId}
    this.tenants.set(tenantId.toLowerCase(), tenant)
    this.defaultTenantId ||= tenantId
    return tenant
  }

  addPrincipal(init: PrincipalInit = {}): FakePrincipal {
    const tenantId = init.tenantId ?? this.defaultTenantId
    if (!this.tenants.has(tenantId.toLowerCase())) this.addTenant(tenantId)
    const principal: FakePrincipal = {
      clientId: init.clientId ?? guid(),
      clientSecret: init.clientSecret ?? `fake~${guid().replaceAll('-', '')}`,
      disabled: init.disabled,
      displayName: init.displayName ?? 'bootdiag-test-principal',
      grants: init.grants ?? [{role: 'Contributor', scope: '/'}],
      objectId: init.objectId ?? guid(),
      secretExpired: init.secretExpired,
      tenantId,
    }
    this.principals.set(principal.clientId.toLowerCase(), principal)
    return principal
  }

  principal(clientId: string): FakePrincipal | undefined {
    return this.principals.get(clientId.toLowerCase())
  }

  principalByObjectId(objectId: string): FakePrincipal | undefined {
    for (const p of this.principals.values()) if (p.objectId.toLowerCase() === objectId.toLowerCase()) return p
    return undefined
  }

  /** Replace a principal's role grants (e.g. `[{scope: '/subscriptions/x', role: 'Reader'}]`, or `[]` for none). */
  setGrants(clientId: string, grants: RoleGrant[]): void {
    const principal = this.principal(clientId)
    if (!principal) throw new Error(`no principal ${clientId}`)
    principal.grants = grants
  }

  /** May the principal perform `action` (e.g. Microsoft.Compute/virtualMachines/read) on `scope`? */
  isAllowed(principal: FakePrincipal, action: string, scope: string): boolean {
    const target = scope.toLowerCase().replace(/\/+$/, '')
    return principal.grants.some((grant) => {
      const grantScope = grant.scope.toLowerCase().replace(/\/+$/, '')
      const covers = grantScope === '' || target === grantScope || target.startsWith(`${grantScope}/`)
      if (!covers) return false
      const patterns = grant.actions ?? ROLE_ACTIONS[grant.role ?? 'Reader']
      return patterns.some((pattern) => actionMatches(pattern, action))
    })
  }

  /** Does the principal hold any grant at or below (or above) this subscription? */
  hasAnyAccessTo(principal: FakePrincipal, subscriptionId: string): boolean {
    const subScope = `/subscriptions/${subscriptionId}`.toLowerCase()
    return principal.grants.some((grant) => {
      const s = grant.scope.toLowerCase().replace(/\/+$/, '')
      return s === '' || s === subScope || s.startsWith(`${subScope}/`)
    })
  }

  // --- subscriptions and resource groups --------------------------------------------------------------

  addSubscription(init: SubscriptionInit = {}): FakeSubscription {
    const tenantId = init.tenantId ?? this.defaultTenantId
    if (!this.tenants.has(tenantId.toLowerCase())) this.addTenant(tenantId)
    const subscription: FakeSubscription = {
      displayName: init.displayName ?? 'Bootdiag Test Subscription',
      state: init.state ?? 'Enabled',
      subscriptionId: init.subscriptionId ?? guid(),
      tenantId,
    }
    this.subscriptions.set(subscription.subscriptionId.toLowerCase(), subscription)
    this.defaultSubscriptionId ||= subscription.subscriptionId
    return subscription
  }

  subscription(subscriptionId: string): FakeSubscription | undefined {
    return this.subscriptions.get(subscriptionId.toLowerCase())
  }

  addResourceGroup(name: string, options: {location?: string; subscriptionId?: string} = {}): FakeResourceGroup {
    const subscriptionId = options.subscriptionId ?? this.defaultSubscriptionId
    this.requireSubscription(subscriptionId)
    const existing = this.resourceGroup(subscriptionId, name)
    if (existing) return existing
    const group: FakeResourceGroup = {location: options.location ?? 'eastus', name, subscriptionId}
    this.resourceGroups.set(key(subscriptionId, name), group)
    return group
  }

  resourceGroup(subscriptionId: string, name: string): FakeResourceGroup | undefined {
    return this.resourceGroups.get(key(subscriptionId, name))
  }

  private requireSubscription(subscriptionId: string): FakeSubscription {
    const subscription = this.subscription(subscriptionId)
    if (!subscription) throw new Error(`the fake has no subscription ${subscriptionId}: add it first`)
    return subscription
  }

  // --- scale sets and VMs -----------------------------------------------------------------------------

  addScaleSet(init: ScaleSetInit): FakeScaleSet {
    const subscriptionId = init.subscriptionId ?? this.defaultSubscriptionId
    const group = this.addResourceGroup(init.resourceGroup ?? this.defaultResourceGroup, {
      location: init.location,
      subscriptionId,
    })
    const scaleSet: FakeScaleSet = {
      bootDiagnostics: init.bootDiagnostics ?? {mode: 'managed'},
      computerNamePrefix:
        init.computerNamePrefix ??
        init.name
          .toLowerCase()
          .replaceAll(/[^a-z0-9-]/g, '')
          .slice(0, 9),
      hasVmProfile: init.hasVmProfile ?? true,
      location: init.location ?? group.location,
      name: init.name,
      orchestrationMode: init.orchestrationMode ?? 'Uniform',
      resourceGroup: group.name,
      subscriptionId,
      tags: init.tags ?? {},
      timeCreated: new Date().toISOString(),
      uniqueId: guid(),
      vmSize: init.vmSize ?? 'Standard_D2s_v5',
    }
    this.scaleSets.set(key(subscriptionId, group.name, scaleSet.name), scaleSet)
    return scaleSet
  }

  scaleSet(subscriptionId: string, resourceGroup: string, name: string): FakeScaleSet | undefined {
    return this.scaleSets.get(key(subscriptionId, resourceGroup, name))
  }

  /** Add a Uniform instance to a scale set (instance IDs count from 0). */
  addScaleSetInstance(scaleSet: FakeScaleSet, init: Partial<Omit<VmInit, 'flexibleScaleSet' | 'name'>> = {}): FakeVm {
    if (scaleSet.orchestrationMode !== 'Uniform') {
      throw new Error(`${scaleSet.name} is Flexible: add ordinary VMs with flexibleScaleSet instead`)
    }

    const instanceId = String(
      this.scaleSetInstances(scaleSet).reduce((max, vm) => Math.max(max, Number(vm.scaleSet!.instanceId) + 1), 0),
    )
    const name = `${scaleSet.name}_${instanceId}`
    const vm = this.makeVm(
      {
        bootDiagnostics: scaleSet.bootDiagnostics,
        computerName: `${scaleSet.computerNamePrefix}${Number(instanceId).toString(36).padStart(6, '0')}`,
        location: scaleSet.location,
        resourceGroup: scaleSet.resourceGroup,
        subscriptionId: scaleSet.subscriptionId,
        vmSize: scaleSet.vmSize,
        ...init,
        name,
      },
      'scaleSetInstance',
    )
    vm.scaleSet = {instanceId, name: scaleSet.name, orchestrationMode: 'Uniform'}
    this.vms.set(key(vm.subscriptionId, vm.resourceGroup, `vmss:${scaleSet.name}`, instanceId), vm)
    this.emit(vm, 'created')
    return vm
  }

  /** Uniform instances of a scale set, or the member VMs of a Flexible one, by instance ID / name. */
  scaleSetInstances(scaleSet: FakeScaleSet): FakeVm[] {
    return [...this.vms.values()]
      .filter(
        (vm) =>
          vm.scaleSet &&
          vm.scaleSet.name.toLowerCase() === scaleSet.name.toLowerCase() &&
          vm.subscriptionId.toLowerCase() === scaleSet.subscriptionId.toLowerCase() &&
          vm.resourceGroup.toLowerCase() === scaleSet.resourceGroup.toLowerCase(),
      )
      .sort((a, b) => compareInstanceIds(a.scaleSet!.instanceId, b.scaleSet!.instanceId))
  }

  addVm(init: VmInit): FakeVm {
    const vm = this.makeVm(init, 'vm')
    if (init.flexibleScaleSet) {
      const scaleSet = this.scaleSet(vm.subscriptionId, vm.resourceGroup, init.flexibleScaleSet)
      if (!scaleSet) throw new Error(`no scale set ${init.flexibleScaleSet} in ${vm.resourceGroup}`)
      if (scaleSet.orchestrationMode !== 'Flexible')
        throw new Error(`${scaleSet.name} is Uniform: use addScaleSetInstance`)
      // A Flexible member's "instance ID" in the scale set VM APIs is its VM name.
      vm.scaleSet = {instanceId: vm.name, name: scaleSet.name, orchestrationMode: 'Flexible'}
    }

    const vmKey = key(vm.subscriptionId, vm.resourceGroup, vm.name)
    if (this.vms.has(vmKey)) throw new Error(`VM ${vm.name} already exists in ${vm.resourceGroup}`)
    this.vms.set(vmKey, vm)
    this.emit(vm, 'created')
    return vm
  }

  private makeVm(init: VmInit, kind: FakeVm['kind']): FakeVm {
    const subscriptionId = init.subscriptionId ?? this.defaultSubscriptionId
    const group = this.addResourceGroup(init.resourceGroup ?? this.defaultResourceGroup, {
      location: init.location,
      subscriptionId,
    })
    const powerState = init.powerState ?? 'running'
    const vm: FakeVm = {
      bootCount: 0,
      bootDiagnostics: init.bootDiagnostics ?? {mode: 'managed'},
      computerName: init.computerName ?? init.name.replaceAll('_', '-').slice(0, 15),
      freshLogOnStart: powerState === 'deallocated',
      hyperVGeneration: init.hyperVGeneration ?? 'V2',
      kind,
      location: init.location ?? group.location,
      name: init.name,
      osType: init.osType ?? 'Linux',
      powerState,
      ...(init.sac ? {sac: true} : {}),
      provisioningState: init.provisioningState ?? 'Succeeded',
      resourceGroup: group.name,
      revision: 0,
      screenshot: init.screenshot ?? undefined,
      subscriptionId,
      tags: init.tags ?? {},
      timeCreated: init.timeCreated ?? new Date().toISOString(),
      vmId: init.vmId ?? guid(),
      vmSize: init.vmSize ?? 'Standard_D2s_v5',
      zones: init.zones,
    }
    if (init.serialLog === undefined) {
      if (
        powerState !== 'deallocated' &&
        vm.bootDiagnostics.mode !== 'disabled' &&
        vm.bootDiagnostics.mode !== 'absent'
      ) {
        vm.serialLog = this.takeNextBoot(vm)
      }
    } else if (init.serialLog !== null) {
      vm.serialLog = toBuffer(init.serialLog)
      vm.bootCount = 1
    }

    // Set after the first boot: it is what the *next* boot prints.
    if (init.nextBootLog !== undefined) vm.nextBootLog = toBuffer(init.nextBootLog)
    return vm
  }

  /** Find a VM: by object, by name (unique across the fake), or by {name, resourceGroup, subscriptionId} / {scaleSet, instanceId}. */
  vm(ref: VmRef): FakeVm {
    const found = this.findVm(ref)
    if (!found) throw new Error(`the fake has no VM ${typeof ref === 'string' ? ref : JSON.stringify(ref)}`)
    return found
  }

  findVm(ref: VmRef): FakeVm | undefined {
    if (typeof ref === 'object' && 'vmId' in ref) return ref
    const wanted = typeof ref === 'string' ? {name: ref} : ref
    const matches = [...this.vms.values()].filter((vm) => {
      if (wanted.subscriptionId && vm.subscriptionId.toLowerCase() !== wanted.subscriptionId.toLowerCase()) return false
      if (wanted.resourceGroup && vm.resourceGroup.toLowerCase() !== wanted.resourceGroup.toLowerCase()) return false
      if (wanted.scaleSet !== undefined) {
        return (
          vm.scaleSet?.name.toLowerCase() === wanted.scaleSet.toLowerCase() &&
          (wanted.instanceId === undefined || vm.scaleSet.instanceId === wanted.instanceId)
        )
      }

      return vm.name.toLowerCase() === wanted.name.toLowerCase()
    })
    if (matches.length > 1) throw new Error(`VM name ${wanted.name} is ambiguous: give resourceGroup/subscriptionId`)
    return matches[0]
  }

  /** A standalone VM or Flexible member by ARM coordinates (not a Uniform instance). */
  vmAt(subscriptionId: string, resourceGroup: string, name: string): FakeVm | undefined {
    return this.vms.get(key(subscriptionId, resourceGroup, name))
  }

  /** A Uniform instance (or a Flexible member, by name) by scale set coordinates. */
  scaleSetVmAt(scaleSet: FakeScaleSet, instanceId: string): FakeVm | undefined {
    return this.scaleSetInstances(scaleSet).find(
      (vm) => vm.scaleSet!.instanceId.toLowerCase() === instanceId.toLowerCase(),
    )
  }

  vmByVmId(vmId: string): FakeVm | undefined {
    for (const vm of this.vms.values()) if (vm.vmId.toLowerCase() === vmId.toLowerCase()) return vm
    return undefined
  }

  /** Remove a VM from ARM. Its blobs stay, as in a customer's storage account. */
  removeVm(ref: VmRef): void {
    const vm = this.vm(ref)
    for (const [k, v] of this.vms) if (v === vm) this.vms.delete(k)
    this.emit(vm, 'removed')
  }

  // --- serial log and screenshot ----------------------------------------------------------------------

  /** Append bytes to the VM's serial log (creating the blob if there was none). */
  appendLog(ref: VmRef, bytes: Buffer | string): FakeVm {
    const vm = this.vm(ref)
    vm.serialLog = Buffer.concat([vm.serialLog ?? Buffer.alloc(0), toBuffer(bytes)])
    this.emit(vm, 'log')
    return vm
  }

  /** Replace the whole serial log (a new blob with other content). */
  replaceLog(ref: VmRef, bytes: Buffer | string): FakeVm {
    const vm = this.vm(ref)
    vm.serialLog = Buffer.from(toBuffer(bytes))
    this.emit(vm, 'log')
    return vm
  }

  /** Delete the serial log blob. */
  deleteLog(ref: VmRef): FakeVm {
    const vm = this.vm(ref)
    vm.serialLog = undefined
    this.emit(vm, 'log')
    return vm
  }

  /** Set (or with undefined, delete) the screenshot blob. */
  setScreenshot(ref: VmRef, bytes: Buffer | undefined): FakeVm {
    const vm = this.vm(ref)
    vm.screenshot = bytes
    this.emit(vm, 'screenshot')
    return vm
  }

  /** What the VM's next boot prints, and count it. */
  private takeNextBoot(vm: FakeVm): Buffer {
    vm.bootCount++
    if (vm.nextBootLog) return vm.nextBootLog
    // Windows writes nothing to the serial port, but SAC's banner when EMS is on
    if (vm.osType === 'Windows') return Buffer.from(vm.sac ? SAC_BANNER : '', 'utf8')
    return Buffer.from(sampleBootLog({bootNumber: vm.bootCount, hostname: vm.computerName}), 'utf8')
  }

  // --- power actions (driven by the ARM long-running operations) -------------------------------------

  /** Why `action` may not run now (Azure's 409), or undefined. */
  refusePowerAction(vm: FakeVm, action: PowerAction): string | undefined {
    const state = vm.powerState
    // Wording UNVERIFIED; the rule for powerOff is the spec's ("not allowed on a virtual machine that is
    // being deallocated or has already been deallocated").
    if (action === 'powerOff' && (state === 'deallocated' || state === 'deallocating')) {
      return `Operation 'powerOff' is not allowed on VM '${vm.name}' since the VM is deallocated or marked to be deallocated.`
    }

    if (action === 'restart' && (state === 'deallocated' || state === 'deallocating' || state === 'stopped')) {
      return `Operation 'restart' is not allowed on VM '${vm.name}' since the VM is ${state === 'stopped' ? 'stopped' : 'deallocated or marked to be deallocated'}.`
    }

    return undefined
  }

  /** The first half of a power action: the guest shuts down (its shutdown is appended), transitional state. */
  beginPowerAction(vm: FakeVm, action: PowerAction, options: {skipShutdown?: boolean} = {}): void {
    const running = vm.powerState === 'running'
    const enabled = vm.bootDiagnostics.mode === 'managed' || vm.bootDiagnostics.mode === 'custom'
    const shutdown = (ending: 'power-down' | 'restart') => {
      // (Windows writes nothing to the serial port on the way down)
      if (running && enabled && !options.skipShutdown && vm.osType !== 'Windows')
        this.appendLog(vm, sampleShutdownLog({ending}))
    }

    switch (action) {
      case 'restart':
        shutdown('restart')
        vm.powerState = 'starting'
        break
      case 'powerOff':
        shutdown('power-down')
        vm.powerState = 'stopping'
        break
      case 'deallocate':
        shutdown('power-down')
        vm.powerState = 'deallocating'
        break
      case 'redeploy':
        shutdown('restart')
        vm.powerState = 'starting'
        break
      case 'start':
        if (vm.powerState !== 'running') vm.powerState = 'starting'
        break
    }
  }

  /** The second half: the new state, and the boot that follows (appended, or a fresh log on a new host). */
  completePowerAction(vm: FakeVm, action: PowerAction): void {
    const enabled = vm.bootDiagnostics.mode === 'managed' || vm.bootDiagnostics.mode === 'custom'
    const boot = (fresh: boolean) => {
      if (!enabled) {
        vm.bootCount++
        return
      }

      const text = this.takeNextBoot(vm)
      if (fresh) this.replaceLog(vm, text)
      else this.appendLog(vm, text)
    }

    switch (action) {
      case 'restart':
        boot(false)
        vm.powerState = 'running'
        break
      case 'powerOff':
        vm.powerState = 'stopped'
        break
      case 'deallocate':
        vm.powerState = 'deallocated'
        vm.freshLogOnStart = true
        break
      case 'redeploy':
        boot(true)
        vm.freshLogOnStart = false
        vm.powerState = 'running'
        break
      case 'start':
        if (vm.powerState === 'running') break
        boot(vm.freshLogOnStart)
        vm.freshLogOnStart = false
        vm.powerState = 'running'
        break
    }
  }

  // --- derived storage coordinates --------------------------------------------------------------------

  /** Where the VM's blobs live, or undefined when boot diagnostics is off. */
  blobLocation(
    vm: FakeVm,
    platformAccount: string,
  ): undefined | {account: string; container: string; logBlob: string; screenshotBlob: string; managed: boolean} {
    const config = vm.bootDiagnostics
    if (config.mode !== 'managed' && config.mode !== 'custom') return undefined
    return {
      account: config.mode === 'custom' ? config.account : platformAccount,
      container: bootDiagnosticsContainer(vm.name, vm.vmId),
      logBlob: serialLogBlobName(vm.name, vm.vmId),
      managed: config.mode === 'managed',
      screenshotBlob: screenshotBlobName(vm.name, vm.vmId),
    }
  }
}

function compareInstanceIds(a: string, b: string): number {
  const na = Number(a)
  const nb = Number(b)
  if (Number.isInteger(na) && Number.isInteger(nb)) return na - nb
  return a.localeCompare(b)
}

/** RBAC action matching: '*' matches any run of characters, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replaceAll(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  )
  return regex.test(action)
}
