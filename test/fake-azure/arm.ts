/**
 * The fake Azure Resource Manager: the Microsoft.Resources and Microsoft.Compute operations bootdiag calls,
 * answered as Azure answers them (bodies in arm-shapes.ts, errors below), any api-version accepted.
 *
 * Every request goes through the gate ARM applies, in ARM's order:
 *   api-version present → bearer token (signature, expiry, audience) → subscription exists, token tenant
 *   matches → RBAC for the operation's action over its scope → resource group exists → resource exists.
 *
 * Error answers and where their wording comes from:
 * - 401 AuthenticationFailed "Authentication failed. The 'Authorization' header is missing." (ARM, quoted in
 *   Microsoft docs); InvalidAuthenticationToken "The access token is invalid."; ExpiredAuthenticationToken;
 *   InvalidAuthenticationTokenAudience; InvalidAuthenticationTokenTenant — each with WWW-Authenticate.
 * - 403 AuthorizationFailed "The client '<appId>' with object id '<oid>' does not have authorization to
 *   perform action '<action>' over scope '<scope>' or the scope is invalid. If access was recently granted,
 *   please refresh your credentials." (verbatim from real az output).
 * - 404 SubscriptionNotFound, ResourceGroupNotFound "Resource group '<rg>' could not be found.",
 *   ResourceNotFound "The Resource 'Microsoft.Compute/virtualMachines/<vm>' under resource group '<rg>' was not
 *   found. For more details please go to https://aka.ms/ARMResourceNotFoundFix".
 * - retrieveBootDiagnosticsData on a VM without boot diagnostics: 409 OperationNotAllowed. The 409 is what
 *   Microsoft's own code expects (Azure/ARO-HCP `// Azure returns 409 when boot diagnostics is disabled`); the
 *   code and message text are UNVERIFIED.
 * - Scale set VM APIs on a Flexible scale set with instance view: 400 BadRequest "Operation
 *   'VirtualMachineScaleSets.virtualMachines.GET' is not allowed on Virtual Machine Scale Set '<name>'."
 *   (reported verbatim in microsoft/OMS-Agent-for-Linux#1475).
 *
 * Power actions are long-running operations: 202 with Azure-AsyncOperation and Location headers and
 * Retry-After; the operation answers InProgress `settings.lroPolls` times, then Succeeded (or Failed with an
 * error). The async-operation body is `{startTime, status, name[, endTime][, error]}`; Location answers 202
 * while running and 200 with an empty body when done (azure-facts §1.4).
 */
import {
  instanceView,
  resourceGroupModel,
  scaleSetModel,
  scaleSetVmModel,
  subscriptionModel,
  vmModel,
  vmStatusOnly,
  type ShapeContext,
} from './arm-shapes.js'
import type {Route, RouteContext} from './http.js'
import {metadataReply, type CloudMetadataOptions} from './metadata.js'
import {resourceGraphQuery} from './resource-graph.js'
import {guid} from './names.js'
import {armError, json, type Reply} from './responses.js'
import type {FakeAzureState, FakePrincipal, FakeScaleSet, FakeSubscription, FakeVm, PowerAction} from './state.js'
import type {BootDiagnosticsStorage} from './storage.js'
import type {AccessTokenClaims, TokenIssuer} from './tokens.js'

export interface ArmDeps {
  state: FakeAzureState
  issuer: TokenIssuer
  storage?: BootDiagnosticsStorage
  /** audiences ARM accepts in a token (compared without a trailing slash) */
  audiences(): string[]
  authorityHost(): string
  metadata(): CloudMetadataOptions
}

interface Caller {
  principal: FakePrincipal
  claims: AccessTokenClaims
}

interface Operation {
  id: string
  vm: FakeVm
  action: PowerAction
  status: 'Failed' | 'InProgress' | 'Succeeded'
  startTime: string
  endTime?: string
  pollsLeft: number
  subscriptionId: string
  location: string
  apiVersion: string
  previousPowerState: FakeVm['powerState']
  failWith?: {code: string; message: string}
}

export interface OperationFailure {
  /** fail only this action (default: the next action of any kind) */
  action?: PowerAction
  code?: string
  message?: string
}

const POWER_ACTIONS: Record<string, PowerAction> = {
  deallocate: 'deallocate',
  poweroff: 'powerOff',
  redeploy: 'redeploy',
  restart: 'restart',
  start: 'start',
}

const SUB = String.raw`/subscriptions/([^/]+)`
const RG = String.raw`${SUB}/resourcegroups/([^/]+)`
const COMPUTE = String.raw`/providers/microsoft\.compute`
const re = (source: string) => new RegExp(`^${source}/?$`, 'i')

export class FakeArm {
  private readonly operations = new Map<string, Operation>()
  private readonly failures = new Map<string, OperationFailure>()

  constructor(private readonly deps: ArmDeps) {}

  /** Make the next power action on this VM end as Failed (with Azure's error shape). */
  failNextOperation(vm: FakeVm, failure: OperationFailure = {}): void {
    this.failures.set(vm.vmId, failure)
  }

  /** Operations still in progress. */
  get pendingOperations(): number {
    return [...this.operations.values()].filter((op) => op.status === 'InProgress').length
  }

  routes(): Route[] {
    const vmName = (ctx: RouteContext) => ctx.params[2]
    const scaleSetVmName = (ctx: RouteContext) => {
      const scaleSet = this.deps.state.scaleSet(ctx.params[0], ctx.params[1], ctx.params[2])
      const vm = scaleSet && this.deps.state.scaleSetVmAt(scaleSet, ctx.params[3])
      return vm?.name ?? `${ctx.params[2]}_${ctx.params[3]}`
    }

    return [
      {
        handle: (ctx) => metadataReply(this.deps.metadata(), ctx),
        method: 'GET',
        name: 'metadata.endpoints',
        pattern: re('/metadata/endpoints'),
      },
      {
        handle: (ctx) => this.gate(ctx, (caller) => this.listSubscriptions(ctx, caller)),
        method: 'GET',
        name: 'subscriptions.list',
        pattern: re('/subscriptions'),
      },
      {
        handle: (ctx) => this.gate(ctx, (caller) => this.listTenants(ctx, caller)),
        method: 'GET',
        name: 'tenants.list',
        pattern: re('/tenants'),
      },
      {handle: (ctx) => this.getSubscription(ctx), method: 'GET', name: 'subscriptions.get', pattern: re(SUB)},
      {
        handle: (ctx) =>
          this.gate(ctx, (caller) =>
            resourceGraphQuery(
              {shape: this.shape(ctx, false), state: this.deps.state},
              {principal: caller.principal, tenantId: caller.claims.tid},
              ctx.body,
            ),
          ),
        method: 'POST',
        name: 'resourceGraph.resources',
        pattern: re('/providers/microsoft\\.resourcegraph/resources'),
      },
      {
        handle: (ctx) => this.listResourceGroups(ctx),
        method: 'GET',
        name: 'resourceGroups.list',
        pattern: re(`${SUB}/resourcegroups`),
      },
      {handle: (ctx) => this.getResourceGroup(ctx), method: 'GET', name: 'resourceGroups.get', pattern: re(RG)},
      {
        handle: (ctx) => this.listVms(ctx, 'subscription'),
        method: 'GET',
        name: 'virtualMachines.listAll',
        pattern: re(`${SUB}${COMPUTE}/virtualmachines`),
      },
      {
        handle: (ctx) => this.listVms(ctx, 'resourceGroup'),
        method: 'GET',
        name: 'virtualMachines.list',
        pattern: re(`${RG}${COMPUTE}/virtualmachines`),
      },
      {
        handle: (ctx) => this.getVm(ctx, 'model'),
        method: 'GET',
        name: 'virtualMachines.get',
        pattern: re(`${RG}${COMPUTE}/virtualmachines/([^/]+)`),
        vm: vmName,
      },
      {
        handle: (ctx) => this.getVm(ctx, 'instanceView'),
        method: 'GET',
        name: 'virtualMachines.instanceView',
        pattern: re(`${RG}${COMPUTE}/virtualmachines/([^/]+)/instanceview`),
        vm: vmName,
      },
      {
        handle: (ctx) => this.retrieveVm(ctx),
        method: 'POST',
        name: 'virtualMachines.retrieveBootDiagnosticsData',
        pattern: re(`${RG}${COMPUTE}/virtualmachines/([^/]+)/retrievebootdiagnosticsdata`),
        vm: vmName,
      },
      ...Object.entries(POWER_ACTIONS).map(([segment, action]) => ({
        handle: (ctx: RouteContext) => this.powerActionOnVm(ctx, action),
        method: 'POST',
        name: `virtualMachines.${action}`,
        pattern: re(`${RG}${COMPUTE}/virtualmachines/([^/]+)/${segment}`),
        vm: vmName,
      })),
      {
        handle: (ctx) => this.listScaleSets(ctx, 'subscription'),
        method: 'GET',
        name: 'virtualMachineScaleSets.listAll',
        pattern: re(`${SUB}${COMPUTE}/virtualmachinescalesets`),
      },
      {
        handle: (ctx) => this.listScaleSets(ctx, 'resourceGroup'),
        method: 'GET',
        name: 'virtualMachineScaleSets.list',
        pattern: re(`${RG}${COMPUTE}/virtualmachinescalesets`),
      },
      {
        handle: (ctx) => this.getScaleSet(ctx),
        method: 'GET',
        name: 'virtualMachineScaleSets.get',
        pattern: re(`${RG}${COMPUTE}/virtualmachinescalesets/([^/]+)`),
      },
      {
        handle: (ctx) => this.listScaleSetVms(ctx),
        method: 'GET',
        name: 'virtualMachineScaleSetVMs.list',
        pattern: re(`${RG}${COMPUTE}/virtualmachinescalesets/([^/]+)/virtualmachines`),
      },
      {
        handle: (ctx) => this.getScaleSetVm(ctx, 'model'),
        method: 'GET',
        name: 'virtualMachineScaleSetVMs.get',
        pattern: re(`${RG}${COMPUTE}/virtualmachinescalesets/([^/]+)/virtualmachines/([^/]+)`),
        vm: scaleSetVmName,
      },
      {
        handle: (ctx) => this.getScaleSetVm(ctx, 'instanceView'),
        method: 'GET',
        name: 'virtualMachineScaleSetVMs.instanceView',
        pattern: re(`${RG}${COMPUTE}/virtualmachinescalesets/([^/]+)/virtualmachines/([^/]+)/instanceview`),
        vm: scaleSetVmName,
      },
      {
        handle: (ctx) => this.retrieveScaleSetVm(ctx),
        method: 'POST',
        name: 'virtualMachineScaleSetVMs.retrieveBootDiagnosticsData',
        pattern: re(
          `${RG}${COMPUTE}/virtualmachinescalesets/([^/]+)/virtualmachines/([^/]+)/retrievebootdiagnosticsdata`,
        ),
        vm: scaleSetVmName,
      },
      ...Object.entries(POWER_ACTIONS).map(([segment, action]) => ({
        handle: (ctx: RouteContext) => this.powerActionOnScaleSetVm(ctx, action),
        method: 'POST',
        name: `virtualMachineScaleSetVMs.${action}`,
        pattern: re(`${RG}${COMPUTE}/virtualmachinescalesets/([^/]+)/virtualmachines/([^/]+)/${segment}`),
        vm: scaleSetVmName,
      })),
      {
        handle: (ctx) => this.getOperation(ctx),
        method: 'GET',
        name: 'operations.get',
        pattern: re(`${SUB}${COMPUTE}/locations/([^/]+)/operations/([^/]+)`),
        vm: (ctx) => this.operations.get(ctx.params[2])?.vm.name,
      },
    ]
  }

  /** ARM's answer to a path it does not serve. */
  notFound(ctx: RouteContext): Reply {
    const provider = /\/providers\/([^/]+)\/([^/?]+)/i.exec(ctx.url.pathname)
    if (provider) {
      return armError(
        404,
        'InvalidResourceType',
        `The resource type '${provider[2]}' could not be found in the namespace '${provider[1]}' for api version '${ctx.query('api-version') ?? ''}'.`,
      )
    }

    return armError(404, 'NotFound', `The fake ARM does not serve ${ctx.method} ${ctx.url.pathname}.`)
  }

  /** Headers every ARM answer carries. */
  commonHeaders(ctx: RouteContext): Record<string, string> {
    const requestId = guid()
    const stamp = new Date()
      .toISOString()
      .replaceAll(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')
    const headers: Record<string, string> = {
      'cache-control': 'no-cache',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-ms-correlation-request-id': (ctx.req.headers['x-ms-client-request-id'] as string | undefined) ?? requestId,
      'x-ms-request-id': requestId,
      'x-ms-routing-request-id': `EASTUS:${stamp}:${requestId}`,
    }
    if (ctx.method === 'GET') headers['x-ms-ratelimit-remaining-subscription-reads'] = '11999'
    else headers['x-ms-ratelimit-remaining-subscription-writes'] = '1199'
    return headers
  }

  // --- the gate -----------------------------------------------------------------------------------------

  /** api-version and bearer token; then the handler. */
  private async gate(ctx: RouteContext, handler: (caller: Caller) => Promise<Reply> | Reply): Promise<Reply> {
    if (!ctx.query('api-version')) {
      return armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      )
    }

    const caller = this.authenticate(ctx)
    if ('status' in caller) return caller
    return handler(caller)
  }

  private challenge(description: string): Record<string, string> {
    return {
      'www-authenticate': `Bearer authorization_uri="${this.deps.authorityHost()}/", error="invalid_token", error_description="${description}"`,
    }
  }

  private authenticate(ctx: RouteContext): Caller | Reply {
    const header = ctx.req.headers.authorization
    if (!header) {
      return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", {
        headers: this.challenge("The authentication failed because of missing 'Authorization' header."),
      })
    }

    const bearer = /^Bearer\s+(\S+)$/i.exec(header)
    if (!bearer) {
      return armError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        {
          headers: this.challenge(
            "The authentication failed because the 'Authorization' header is provided in an invalid format.",
          ),
        },
      )
    }

    const checked = this.deps.issuer.check(bearer[1])
    if (!checked.ok) {
      if (checked.reason === 'expired') {
        const expiry = formatUtc(new Date(checked.claims.exp * 1000))
        return armError(
          401,
          'ExpiredAuthenticationToken',
          `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${formatUtc(new Date())}'.`,
          {
            headers: this.challenge('The access token has expired.'),
          },
        )
      }

      return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', {
        headers: this.challenge('The access token is invalid.'),
      })
    }

    const {claims} = checked
    const allowed = this.deps.audiences()
    const audience = String(claims.aud).replace(/\/+$/, '').toLowerCase()
    if (!allowed.some((a) => a.replace(/\/+$/, '').toLowerCase() === audience)) {
      return armError(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(',')}.`,
        {headers: this.challenge('The access token has been obtained for wrong audience or resource.')},
      )
    }

    const principal = this.deps.state.principal(claims.appid) ?? this.deps.state.principalByObjectId(claims.oid)
    if (!principal) {
      return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', {
        headers: this.challenge('The access token is invalid.'),
      })
    }

    return {claims, principal}
  }

  /** Subscription exists and belongs to the token's tenant; for writes, it is not disabled. */
  private subscriptionGate(caller: Caller, subscriptionId: string, write: boolean): FakeSubscription | Reply {
    const subscription = this.deps.state.subscription(subscriptionId)
    if (!subscription)
      return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`)
    if (subscription.tenantId.toLowerCase() !== caller.claims.tid.toLowerCase()) {
      return armError(
        401,
        'InvalidAuthenticationTokenTenant',
        `The access token is from the wrong issuer '${caller.claims.iss}'. It must match the tenant 'https://sts.windows.net/${subscription.tenantId}/' associated with this subscription. Please use the authority (URL) '${this.deps.authorityHost()}/${subscription.tenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
        {headers: this.challenge('The access token is from the wrong issuer.')},
      )
    }

    if (write && subscription.state !== 'Enabled' && subscription.state !== 'Warned') {
      return armError(
        409,
        'ReadOnlyDisabledSubscription',
        `The subscription '${subscriptionId}' is disabled and therefore marked as read only. You cannot perform any write actions on this subscription until it is re-enabled.`,
      )
    }

    return subscription
  }

  private authorize(caller: Caller, action: string, scope: string): Reply | undefined {
    if (this.deps.state.isAllowed(caller.principal, action, scope)) return undefined
    return armError(
      403,
      'AuthorizationFailed',
      `The client '${caller.principal.clientId}' with object id '${caller.principal.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      {headers: {'x-ms-failure-cause': 'gateway'}},
    )
  }

  /** The common path for anything inside a subscription: gate, subscription, RBAC, then the handler. */
  private scoped(
    ctx: RouteContext,
    options: {action: string; scope: string; write?: boolean; resourceGroup?: string},
    handler: (caller: Caller) => Promise<Reply> | Reply,
  ): Promise<Reply> {
    return this.gate(ctx, (caller) => {
      const subscription = this.subscriptionGate(caller, ctx.params[0], options.write ?? false)
      if ('status' in subscription) return subscription
      const denied = this.authorize(caller, options.action, options.scope)
      if (denied) return denied
      if (options.resourceGroup !== undefined && !this.deps.state.resourceGroup(ctx.params[0], options.resourceGroup)) {
        return armError(404, 'ResourceGroupNotFound', `Resource group '${options.resourceGroup}' could not be found.`)
      }

      return handler(caller)
    })
  }

  private shape(ctx: RouteContext, list: boolean): ShapeContext {
    return {
      resourceGroupAsRequested: list ? undefined : ctx.params[1],
      storage: this.deps.storage,
      upperCaseResourceGroup: list && this.deps.state.settings.upperCaseResourceGroupInListIds,
    }
  }

  // --- Microsoft.Resources -----------------------------------------------------------------------------

  private listSubscriptions(ctx: RouteContext, caller: Caller): Reply {
    const visible = [...this.deps.state.subscriptions.values()].filter(
      (s) =>
        s.tenantId.toLowerCase() === caller.claims.tid.toLowerCase() &&
        this.deps.state.hasAnyAccessTo(caller.principal, s.subscriptionId),
    )
    return this.page(ctx, visible, subscriptionModel, {count: true})
  }

  private listTenants(ctx: RouteContext, caller: Caller): Reply {
    const tenant = this.deps.state.tenants.get(caller.claims.tid.toLowerCase())
    const value = tenant
      ? [
          {
            defaultDomain: tenant.defaultDomain,
            displayName: tenant.displayName,
            id: `/tenants/${tenant.tenantId}`,
            tenantCategory: 'Home',
            tenantId: tenant.tenantId,
            tenantType: 'AAD',
          },
        ]
      : []
    return this.page(ctx, value, (t) => t)
  }

  private getSubscription(ctx: RouteContext): Promise<Reply> {
    return this.gate(ctx, (caller) => {
      const subscription = this.subscriptionGate(caller, ctx.params[0], false)
      if ('status' in subscription) return subscription
      if (!this.deps.state.hasAnyAccessTo(caller.principal, subscription.subscriptionId)) {
        return this.authorize(
          caller,
          'Microsoft.Resources/subscriptions/read',
          `/subscriptions/${subscription.subscriptionId}`,
        )!
      }

      return json(200, subscriptionModel(subscription))
    })
  }

  private listResourceGroups(ctx: RouteContext): Promise<Reply> {
    const sub = ctx.params[0]
    return this.gate(ctx, (caller) => {
      const subscription = this.subscriptionGate(caller, sub, false)
      if ('status' in subscription) return subscription
      const action = 'Microsoft.Resources/subscriptions/resourceGroups/read'
      const groups = [...this.deps.state.resourceGroups.values()].filter(
        (g) =>
          g.subscriptionId.toLowerCase() === sub.toLowerCase() &&
          this.deps.state.isAllowed(caller.principal, action, `/subscriptions/${sub}/resourceGroups/${g.name}`),
      )
      if (groups.length === 0) {
        const denied = this.authorize(caller, action, `/subscriptions/${sub}`)
        if (denied && !this.deps.state.hasAnyAccessTo(caller.principal, sub)) return denied
      }

      return this.page(ctx, groups, resourceGroupModel)
    })
  }

  private getResourceGroup(ctx: RouteContext): Promise<Reply> {
    const [sub, rg] = ctx.params
    return this.scoped(
      ctx,
      {
        action: 'Microsoft.Resources/subscriptions/resourceGroups/read',
        resourceGroup: rg,
        scope: `/subscriptions/${sub}/resourceGroups/${rg}`,
      },
      () => json(200, resourceGroupModel(this.deps.state.resourceGroup(sub, rg)!)),
    )
  }

  // --- virtual machines ----------------------------------------------------------------------------------

  /**
   * The checks ARM makes before listing a collection (`ctx.params` = [subscription, resource group?]): the
   * subscription, read access at or below the scope (a collection is filtered to what the caller may read;
   * no access at all is a 403), and the resource group's existence.
   */
  private collectionGate(
    ctx: RouteContext,
    scope: 'resourceGroup' | 'subscription',
    action: string,
    list: (caller: Caller) => Promise<Reply> | Reply,
  ): Promise<Reply> {
    const [sub, rg] = ctx.params
    const scopeId = scope === 'subscription' ? `/subscriptions/${sub}` : `/subscriptions/${sub}/resourceGroups/${rg}`
    return this.gate(ctx, (caller) => {
      const subscription = this.subscriptionGate(caller, sub, false)
      if ('status' in subscription) return subscription
      if (!this.deps.state.isAllowed(caller.principal, action, scopeId) && !this.hasAccessBelow(caller, scopeId)) {
        return this.authorize(caller, action, scopeId)!
      }

      if (scope === 'resourceGroup' && !this.deps.state.resourceGroup(sub, rg)) {
        return armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`)
      }

      return list(caller)
    })
  }

  /** VirtualMachines_ListAll (`statusOnly`, `$filter`, `$expand`) and VirtualMachines_List. */
  private listVms(ctx: RouteContext, scope: 'resourceGroup' | 'subscription'): Promise<Reply> {
    const [sub, rg] = ctx.params
    const action = 'Microsoft.Compute/virtualMachines/read'
    return this.collectionGate(ctx, scope, action, (caller) => {
      const filter = ctx.query('$filter')
      const expand = ctx.query('$expand')
      let scaleSetFilter: string | undefined
      if (filter) {
        const match = /^\s*'?virtualMachineScaleSet\/id'?\s+eq\s+'([^']+)'\s*$/i.exec(filter)
        if (!match)
          return armError(400, 'InvalidParameter', `The value '${filter}' of parameter '$filter' is invalid.`, {
            target: '$filter',
          })
        scaleSetFilter = match[1].toLowerCase()
      }

      // "'instanceView' … can only be specified if a valid $filter option is specified" (spec); wording UNVERIFIED.
      if (expand && !filter) {
        return armError(
          400,
          'InvalidParameter',
          'The $expand=instanceView option can only be specified together with a valid $filter option.',
          {target: '$expand'},
        )
      }

      const statusOnly = ctx.query('statusOnly')?.toLowerCase() === 'true'
      const vms = [...this.deps.state.vms.values()]
        .filter((vm) => vm.kind === 'vm' && vm.subscriptionId.toLowerCase() === sub.toLowerCase())
        .filter((vm) => scope === 'subscription' || vm.resourceGroup.toLowerCase() === rg.toLowerCase())
        .filter((vm) =>
          this.deps.state.isAllowed(
            caller.principal,
            action,
            `/subscriptions/${sub}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
          ),
        )
        .filter((vm) => {
          if (!scaleSetFilter) return true
          if (vm.scaleSet?.orchestrationMode !== 'Flexible') return false
          const id = `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${vm.scaleSet.name}`
          return id.toLowerCase() === scaleSetFilter
        })
        .sort(byName)
      const shape = this.shape(ctx, true)
      return this.page(ctx, vms, (vm) =>
        statusOnly
          ? vmStatusOnly(vm, shape)
          : vmModel(vm, shape, {withInstanceView: expand?.toLowerCase() === 'instanceview'}),
      )
    })
  }

  private hasAccessBelow(caller: Caller, scopeId: string): boolean {
    const prefix = `${scopeId.toLowerCase()}/`
    return caller.principal.grants.some((g) => g.scope.toLowerCase().startsWith(prefix))
  }

  private vmScope(sub: string, rg: string, name: string): string {
    return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`
  }

  private vmNotFound(rg: string, name: string): Reply {
    return armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/virtualMachines/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    )
  }

  /** VirtualMachines_Get (optionally `$expand=instanceView`) and VirtualMachines_InstanceView. */
  private getVm(ctx: RouteContext, what: 'instanceView' | 'model'): Promise<Reply> {
    const [sub, rg, name] = ctx.params
    const action =
      what === 'model'
        ? 'Microsoft.Compute/virtualMachines/read'
        : 'Microsoft.Compute/virtualMachines/instanceView/read'
    return this.scoped(ctx, {action, resourceGroup: rg, scope: this.vmScope(sub, rg, name)}, async () => {
      const vm = this.deps.state.vmAt(sub, rg, name)
      if (!vm) return this.vmNotFound(rg, name)
      await this.deps.storage?.settled(vm)
      const shape = this.shape(ctx, false)
      if (what === 'instanceView') return json(200, instanceView(vm, shape))
      return json(200, vmModel(vm, shape, {withInstanceView: ctx.query('$expand')?.toLowerCase() === 'instanceview'}))
    })
  }

  private retrieveVm(ctx: RouteContext): Promise<Reply> {
    const [sub, rg, name] = ctx.params
    const action = 'Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action'
    return this.scoped(ctx, {action, resourceGroup: rg, scope: this.vmScope(sub, rg, name)}, () => {
      const vm = this.deps.state.vmAt(sub, rg, name)
      if (!vm) return this.vmNotFound(rg, name)
      return this.bootDiagnosticsData(ctx, vm)
    })
  }

  /** RetrieveBootDiagnosticsData: SAS URIs for managed and custom storage alike (synchronous, not an LRO). */
  private async bootDiagnosticsData(ctx: RouteContext, vm: FakeVm): Promise<Reply> {
    const raw = ctx.query('sasUriExpirationTimeInMinutes')
    let minutes = 120 // "If not specified, SAS URIs will be generated with a default expiration duration of 120 minutes."
    if (raw !== undefined) {
      minutes = Number(raw)
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
        // Range 1..1440 from the spec; error wording UNVERIFIED.
        return armError(
          400,
          'InvalidParameter',
          `The value '${raw}' of parameter 'sasUriExpirationTimeInMinutes' is out of range. The value must be between 1 and 1440.`,
          {
            target: 'sasUriExpirationTimeInMinutes',
          },
        )
      }
    }

    if (vm.bootDiagnostics.mode !== 'managed' && vm.bootDiagnostics.mode !== 'custom') {
      // 409 per Azure/ARO-HCP; code and text UNVERIFIED.
      return armError(
        409,
        'OperationNotAllowed',
        `Boot diagnostics is not enabled for the virtual machine '${vm.name}'. Enable boot diagnostics to retrieve its serial console log and screenshot.`,
      )
    }

    const storage = this.deps.storage
    if (!storage) {
      const base = `${ctx.origin}/storage-not-started/${vm.name}`
      return json(200, {
        consoleScreenshotBlobUri: `${base}.screenshot.bmp?sp=r&sig=none`,
        serialConsoleLogBlobUri: `${base}.serialconsole.log?sp=r&sig=none`,
      })
    }

    await storage.settled(vm)
    const expired = this.deps.state.settings.mintExpiredSas
    return json(200, {
      consoleScreenshotBlobUri: storage.sasUrl(vm, 'screenshot', minutes, expired),
      serialConsoleLogBlobUri: storage.sasUrl(vm, 'log', minutes, expired),
    })
  }

  private powerActionOnVm(ctx: RouteContext, action: PowerAction): Promise<Reply> {
    const [sub, rg, name] = ctx.params
    const actionName = `Microsoft.Compute/virtualMachines/${action === 'powerOff' ? 'powerOff' : action}/action`
    return this.scoped(
      ctx,
      {action: actionName, resourceGroup: rg, scope: this.vmScope(sub, rg, name), write: true},
      () => {
        const vm = this.deps.state.vmAt(sub, rg, name)
        if (!vm) return this.vmNotFound(rg, name)
        return this.startOperation(ctx, vm, action)
      },
    )
  }

  // --- scale sets --------------------------------------------------------------------------------------

  private listScaleSets(ctx: RouteContext, scope: 'resourceGroup' | 'subscription'): Promise<Reply> {
    const [sub, rg] = ctx.params
    const action = 'Microsoft.Compute/virtualMachineScaleSets/read'
    return this.collectionGate(ctx, scope, action, (caller) => {
      const scaleSets = [...this.deps.state.scaleSets.values()]
        .filter((s) => s.subscriptionId.toLowerCase() === sub.toLowerCase())
        .filter((s) => scope === 'subscription' || s.resourceGroup.toLowerCase() === rg.toLowerCase())
        .filter((s) =>
          this.deps.state.isAllowed(
            caller.principal,
            action,
            `/subscriptions/${sub}/resourceGroups/${s.resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${s.name}`,
          ),
        )
        .sort(byName)
      const shape = this.shape(ctx, true)
      return this.page(ctx, scaleSets, (s) => scaleSetModel(s, this.deps.state.scaleSetInstances(s).length, shape))
    })
  }

  private scaleSetScope(sub: string, rg: string, name: string): string {
    return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`
  }

  private scaleSetNotFound(rg: string, name: string): Reply {
    return armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    )
  }

  private getScaleSet(ctx: RouteContext): Promise<Reply> {
    const [sub, rg, name] = ctx.params
    return this.scoped(
      ctx,
      {
        action: 'Microsoft.Compute/virtualMachineScaleSets/read',
        resourceGroup: rg,
        scope: this.scaleSetScope(sub, rg, name),
      },
      () => {
        const scaleSet = this.deps.state.scaleSet(sub, rg, name)
        if (!scaleSet) return this.scaleSetNotFound(rg, name)
        return json(
          200,
          scaleSetModel(scaleSet, this.deps.state.scaleSetInstances(scaleSet).length, this.shape(ctx, false)),
        )
      },
    )
  }

  private flexibleRefusal(scaleSet: FakeScaleSet, operation: string): Reply {
    return armError(
      400,
      'BadRequest',
      `Operation 'VirtualMachineScaleSets.virtualMachines.${operation}' is not allowed on Virtual Machine Scale Set '${scaleSet.name}'.`,
    )
  }

  /** VirtualMachineScaleSetVMs_List (`$expand=instanceView`, `$select`, `$filter`). */
  private listScaleSetVms(ctx: RouteContext): Promise<Reply> {
    const [sub, rg, name] = ctx.params
    const action = 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'
    return this.scoped(ctx, {action, resourceGroup: rg, scope: this.scaleSetScope(sub, rg, name)}, async () => {
      const scaleSet = this.deps.state.scaleSet(sub, rg, name)
      if (!scaleSet) return this.scaleSetNotFound(rg, name)
      const withInstanceView = ctx.query('$expand')?.toLowerCase() === 'instanceview'
      if (scaleSet.orchestrationMode === 'Flexible' && withInstanceView) return this.flexibleRefusal(scaleSet, 'GET')
      const instances = this.deps.state.scaleSetInstances(scaleSet)
      await Promise.all(instances.map((vm) => this.deps.storage?.settled(vm)))
      const shape = this.shape(ctx, true)
      return this.page(ctx, instances, (vm) => scaleSetVmModel(vm, scaleSet, shape, {withInstanceView}))
    })
  }

  /** The scale set and the instance of a scale-set-VM path, or the error answer. */
  private scaleSetVm(ctx: RouteContext, operation: string): Reply | {scaleSet: FakeScaleSet; vm: FakeVm} {
    const [sub, rg, name, instanceId] = ctx.params
    const scaleSet = this.deps.state.scaleSet(sub, rg, name)
    if (!scaleSet) return this.scaleSetNotFound(rg, name)
    if (scaleSet.orchestrationMode === 'Flexible') return this.flexibleRefusal(scaleSet, operation)
    const vm = this.deps.state.scaleSetVmAt(scaleSet, instanceId)
    if (!vm) {
      return armError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${name}/virtualMachines/${instanceId}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      )
    }

    return {scaleSet, vm}
  }

  private getScaleSetVm(ctx: RouteContext, what: 'instanceView' | 'model'): Promise<Reply> {
    const [sub, rg, name, instanceId] = ctx.params
    const action =
      what === 'model'
        ? 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'
        : 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read'
    return this.scoped(
      ctx,
      {action, resourceGroup: rg, scope: `${this.scaleSetScope(sub, rg, name)}/virtualMachines/${instanceId}`},
      async () => {
        const found = this.scaleSetVm(ctx, what === 'model' ? 'GET' : 'instanceView.GET')
        if ('status' in found) return found
        await this.deps.storage?.settled(found.vm)
        const shape = this.shape(ctx, false)
        if (what === 'instanceView') return json(200, instanceView(found.vm, shape))
        return json(
          200,
          scaleSetVmModel(found.vm, found.scaleSet, shape, {
            withInstanceView: ctx.query('$expand')?.toLowerCase() === 'instanceview',
          }),
        )
      },
    )
  }

  private retrieveScaleSetVm(ctx: RouteContext): Promise<Reply> {
    const [sub, rg, name, instanceId] = ctx.params
    const action = 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/retrieveBootDiagnosticsData/action'
    return this.scoped(
      ctx,
      {action, resourceGroup: rg, scope: `${this.scaleSetScope(sub, rg, name)}/virtualMachines/${instanceId}`},
      () => {
        const found = this.scaleSetVm(ctx, 'retrieveBootDiagnosticsData.POST')
        if ('status' in found) return found
        return this.bootDiagnosticsData(ctx, found.vm)
      },
    )
  }

  private powerActionOnScaleSetVm(ctx: RouteContext, action: PowerAction): Promise<Reply> {
    const [sub, rg, name, instanceId] = ctx.params
    const actionName = `Microsoft.Compute/virtualMachineScaleSets/virtualMachines/${action}/action`
    return this.scoped(
      ctx,
      {
        action: actionName,
        resourceGroup: rg,
        scope: `${this.scaleSetScope(sub, rg, name)}/virtualMachines/${instanceId}`,
        write: true,
      },
      () => {
        const found = this.scaleSetVm(ctx, `${action}.POST`)
        if ('status' in found) return found
        return this.startOperation(ctx, found.vm, action)
      },
    )
  }

  // --- long-running operations ---------------------------------------------------------------------------

  private async startOperation(ctx: RouteContext, vm: FakeVm, action: PowerAction): Promise<Reply> {
    const running = [...this.operations.values()].find((op) => op.vm === vm && op.status === 'InProgress')
    if (running) {
      // Wording UNVERIFIED.
      return armError(
        409,
        'OperationNotAllowed',
        `Operation '${action}' is not allowed on VM '${vm.name}' since the VM is busy with another operation '${running.action}'. Retry after it completes.`,
      )
    }

    const refusal = this.deps.state.refusePowerAction(vm, action)
    if (refusal) return armError(409, 'OperationNotAllowed', refusal)
    const failure = this.failures.get(vm.vmId)
    let failWith: Operation['failWith']
    if (failure && (!failure.action || failure.action === action)) {
      this.failures.delete(vm.vmId)
      failWith = {
        code: failure.code ?? 'InternalExecutionError',
        message: failure.message ?? 'An internal execution error occurred. Please retry later.',
      }
    }

    const previousPowerState = vm.powerState
    const skipShutdown = action === 'powerOff' && ctx.query('skipShutdown')?.toLowerCase() === 'true'
    this.deps.state.beginPowerAction(vm, action, {skipShutdown})
    await this.deps.storage?.settled(vm)
    const operation: Operation = {
      action,
      apiVersion: ctx.query('api-version') ?? '2025-04-01',
      failWith,
      id: guid(),
      location: vm.location.toLowerCase().replaceAll(' ', ''),
      pollsLeft: this.deps.state.settings.lroPolls,
      previousPowerState,
      startTime: azureTime(new Date()),
      status: 'InProgress',
      subscriptionId: vm.subscriptionId,
      vm,
    }
    this.operations.set(operation.id, operation)
    if (operation.pollsLeft <= 0) await this.advance(operation)
    return {headers: this.operationHeaders(ctx, operation), status: 202}
  }

  private operationUrl(origin: string, op: Operation, monitor: boolean): string {
    const base = `${origin}/subscriptions/${op.subscriptionId}/providers/Microsoft.Compute/locations/${op.location}/operations/${op.id}`
    return `${base}?p=${guid()}${monitor ? '&monitor=true' : ''}&api-version=${op.apiVersion}`
  }

  private operationHeaders(ctx: RouteContext, op: Operation): Record<string, string> {
    return {
      'azure-asyncnotification': 'Enabled',
      'azure-asyncoperation': this.operationUrl(ctx.origin, op, false),
      location: this.operationUrl(ctx.origin, op, true),
      'retry-after': String(this.deps.state.settings.retryAfterSeconds),
    }
  }

  /** One poll: count it down, and finish the operation when its polls are used up. */
  private async advance(op: Operation): Promise<void> {
    if (op.status !== 'InProgress') return
    if (op.pollsLeft > 0) {
      op.pollsLeft--
      return
    }

    if (op.failWith) {
      op.status = 'Failed'
      op.vm.powerState = op.previousPowerState
    } else {
      this.deps.state.completePowerAction(op.vm, op.action)
      await this.deps.storage?.settled(op.vm)
      op.status = 'Succeeded'
    }

    op.endTime = azureTime(new Date())
  }

  private getOperation(ctx: RouteContext): Promise<Reply> {
    return this.gate(ctx, async (caller) => {
      const subscription = this.subscriptionGate(caller, ctx.params[0], false)
      if ('status' in subscription) return subscription
      const op = this.operations.get(ctx.params[2])
      if (!op || op.subscriptionId.toLowerCase() !== ctx.params[0].toLowerCase()) {
        return armError(404, 'NotFound', `The operation '${ctx.params[2]}' could not be found.`)
      }

      await this.advance(op)
      const retryAfter = {'retry-after': String(this.deps.state.settings.retryAfterSeconds)}
      if (ctx.query('monitor')?.toLowerCase() === 'true') {
        if (op.status === 'InProgress')
          return {headers: {...retryAfter, location: this.operationUrl(ctx.origin, op, true)}, status: 202}
        if (op.status === 'Failed') return armError(409, op.failWith!.code, op.failWith!.message)
        return {status: 200}
      }

      const body: Record<string, unknown> = {name: op.id, startTime: op.startTime, status: op.status}
      if (op.endTime) body.endTime = op.endTime
      if (op.status === 'Failed') body.error = {code: op.failWith!.code, message: op.failWith!.message}
      return json(200, body, op.status === 'InProgress' ? retryAfter : {})
    })
  }

  // --- paging ------------------------------------------------------------------------------------------

  /** One page of a list answer; `nextLink` is an absolute URL to the same query with a `$skiptoken`. */
  private page<T>(ctx: RouteContext, items: T[], render: (item: T) => unknown, options: {count?: boolean} = {}): Reply {
    const size = Math.max(1, this.deps.state.settings.pageSize)
    const token = ctx.query('$skiptoken')
    let offset = 0
    if (token) {
      const decoded = Number(
        Buffer.from(token, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      )
      if (!Number.isInteger(decoded) || decoded < 0)
        return armError(400, 'InvalidSkipToken', `The skip token '${token}' is invalid.`)
      offset = decoded
    }

    const body: Record<string, unknown> = {value: items.slice(offset, offset + size).map(render)}
    if (offset + size < items.length) {
      const query = [...ctx.url.searchParams].filter(([name]) => name.toLowerCase() !== '$skiptoken')
      query.push(['$skiptoken', Buffer.from(`offset:${offset + size}`).toString('base64url')])
      const search = query
        .map(
          ([name, value]) => `${name.startsWith('$') ? name : encodeURIComponent(name)}=${encodeURIComponent(value)}`,
        )
        .join('&')
      body.nextLink = `${ctx.origin}${ctx.url.pathname}?${search}`
    }

    if (options.count) body.count = {type: 'Total', value: items.length}
    return json(200, body)
  }
}

function byName<T extends {name: string}>(a: T, b: T): number {
  return a.name.localeCompare(b.name)
}

/** `2026-11-25T20:53:31.1234567+00:00`, as Compute prints operation times. */
function azureTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000+00:00')
}

/** `11/25/2026 8:53:31 PM`, as ARM prints times in ExpiredAuthenticationToken. */
function formatUtc(date: Date): string {
  const hours = date.getUTCHours() % 12 || 12
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${hours}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${date.getUTCHours() < 12 ? 'AM' : 'PM'}`
}
