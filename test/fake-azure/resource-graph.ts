/**
 * Azure Resource Graph, as much as bootdiag asks of it: `POST /providers/Microsoft.ResourceGraph/resources`
 * (api-version 2024-04-01, what @azure/arm-resourcegraph 5 sends).
 *
 * Request and answer shapes are those of the spec's examples (azure-rest-api-specs
 * specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01/examples:
 * ResourcesFirstPageQuery.json, ResourcesNextPageQuery.json):
 *   request  {subscriptions?, managementGroups?, query, options?: {$top, $skip, $skipToken, resultFormat}}
 *   answer   {totalRecords, count, resultTruncated: "false", facets: [], $skipToken?, data: [rows]}
 * The default page is 100 rows, at most 1000 ($top); `$skipToken` continues "with the same query and
 * scopes" (here: an opaque base64 offset).
 *
 * The fake is not a KQL engine. It runs pipelines of the few operators bootdiag uses, over the `Resources`
 * table, and refuses anything else with a 400 as Resource Graph refuses a query it cannot parse:
 *   Resources | where <column> =~ '<value>' | where <column> == '<value>'
 *             | project a, b, c = x.y.z   | order by <column> [asc|desc]
 * Rows are VMs (standalone and Flexible members) in the Resources table's columns: id, name, type
 * (lower-case), tenantId, kind, location, resourceGroup (lower-case), subscriptionId, managedBy, sku, plan,
 * properties (the VM model's, plus `extended.instanceView.powerState` {code, displayStatus, level}), tags,
 * identity, zones, extendedLocation. Uniform scale-set instances are not in Resources (they live in the
 * ComputeResources table), so they are not rows here either. Only VMs the caller may read are returned, in
 * the subscriptions asked for (all the caller's subscriptions in the tenant when none are named).
 * UNVERIFIED: the exact text of the 400 for an unparsable query, and whether resourceGroup is always
 * lower-cased.
 */
import {vmModel, type ShapeContext} from './arm-shapes.js'
import {armError, json, type Reply} from './responses.js'
import type {FakeAzureState, FakePrincipal, FakeVm} from './state.js'

export interface ResourceGraphRequest {
  subscriptions?: string[]
  managementGroups?: string[]
  query?: string
  options?: {$top?: number; $skip?: number; $skipToken?: string; resultFormat?: string}
}

type Row = Record<string, unknown>

const POWER_DISPLAY: Record<string, string> = {
  deallocated: 'VM deallocated',
  deallocating: 'VM deallocating',
  running: 'VM running',
  starting: 'VM starting',
  stopped: 'VM stopped',
  stopping: 'VM stopping',
}

/** A VM as a row of the Resources table. */
export function resourceRow(vm: FakeVm, tenantId: string, shape: ShapeContext): Row {
  const model = vmModel(vm, shape) as {
    id: string
    properties: Record<string, unknown>
    tags?: Record<string, string>
    zones?: string[]
  }
  return {
    extendedLocation: null,
    id: model.id,
    identity: null,
    kind: '',
    location: vm.location,
    managedBy: '',
    name: vm.name,
    plan: null,
    properties: {
      ...model.properties,
      extended: {
        instanceView: {
          powerState: {
            code: `PowerState/${vm.powerState}`,
            displayStatus: POWER_DISPLAY[vm.powerState] ?? vm.powerState,
            level: 'Info',
          },
        },
      },
    },
    resourceGroup: vm.resourceGroup.toLowerCase(),
    sku: null,
    subscriptionId: vm.subscriptionId,
    tags: model.tags ?? {},
    tenantId,
    type: 'microsoft.compute/virtualmachines',
    zones: model.zones ?? null,
  }
}

function invalidQuery(detail: string): Reply {
  return armError(
    400,
    'BadRequest',
    'Please provide below info when asking for support: timestamp = ' +
      new Date().toISOString() +
      ', correlationId = ' +
      crypto.randomUUID() +
      '.',
    {
      details: [
        {
          code: 'InvalidQuery',
          message:
            'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
        },
        {code: 'ParserFailure', message: detail},
      ],
    },
  )
}

/** Split a pipeline on the `|` that are not inside quotes. */
function stages(query: string): string[] {
  const out: string[] = []
  let current = ''
  let quote: string | undefined
  for (const char of query) {
    if (quote) {
      if (char === quote) quote = undefined
    } else if (char === "'" || char === '"') {
      quote = char
    } else if (char === '|') {
      out.push(current.trim())
      current = ''
      continue
    }

    current += char
  }

  out.push(current.trim())
  return out
}

function pathValue(row: Row, path: string): unknown {
  let value: unknown = row
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return null
    // Resource Graph property names are matched case-insensitively.
    const record = value as Record<string, unknown>
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase())
    value = key === undefined ? null : record[key]
  }

  return value ?? null
}

/** Run the query's stages over the rows, or say which stage the fake (and this subset) cannot run. */
export function runQuery(query: string, rows: Row[]): Row[] | {error: string} {
  const [table, ...rest] = stages(query.replaceAll(/\s+/g, ' '))
  if (table.toLowerCase() !== 'resources') return {error: `Table '${table}' is not supported here (only Resources).`}
  let result = rows
  for (const stage of rest) {
    const where = /^where\s+([\w.]+)\s*(=~|==)\s*'([^']*)'$/i.exec(stage)
    if (where) {
      const [, column, op, value] = where
      result = result.filter((row) => {
        const actual = pathValue(row, column)
        if (typeof actual !== 'string') return false
        return op === '=~' ? actual.toLowerCase() === value.toLowerCase() : actual === value
      })
      continue
    }

    const project = /^project\s+(.+)$/i.exec(stage)
    if (project) {
      const columns = project[1].split(',').map((part) => part.trim())
      const parsed = columns.map((column) => /^(?:(\w+)\s*=\s*)?([\w.]+)$/.exec(column))
      if (parsed.some((p) => !p)) return {error: `Cannot parse the project clause '${project[1]}'.`}
      result = result.map((row) =>
        Object.fromEntries(parsed.map((p) => [p![1] ?? p![2].split('.').at(-1)!, pathValue(row, p![2])])),
      )
      continue
    }

    const order = /^(?:order|sort)\s+by\s+(\w+)(?:\s+(asc|desc))?$/i.exec(stage)
    if (order) {
      const [, column, direction] = order
      const sign = direction?.toLowerCase() === 'asc' ? 1 : -1 // KQL sorts descending by default
      result = [...result].sort(
        (a, b) => sign * String(pathValue(a, column) ?? '').localeCompare(String(pathValue(b, column) ?? '')),
      )
      continue
    }

    return {error: `The fake Resource Graph does not run '${stage}'.`}
  }

  return result
}

export interface ResourceGraphDeps {
  state: FakeAzureState
  shape: ShapeContext
}

/** POST /providers/Microsoft.ResourceGraph/resources for an authenticated caller. */
export function resourceGraphQuery(
  deps: ResourceGraphDeps,
  caller: {principal: FakePrincipal; tenantId: string},
  body: Buffer,
): Reply {
  let request: ResourceGraphRequest
  try {
    request = JSON.parse(body.toString('utf8') || '{}') as ResourceGraphRequest
  } catch {
    return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.')
  }

  if (typeof request.query !== 'string' || !request.query.trim()) return invalidQuery('The query is empty.')
  const {state} = deps
  const visible = [...state.subscriptions.values()].filter(
    (s) =>
      s.tenantId.toLowerCase() === caller.tenantId.toLowerCase() &&
      state.hasAnyAccessTo(caller.principal, s.subscriptionId),
  )
  const scopes = request.subscriptions?.length
    ? request.subscriptions.map((s) => s.toLowerCase())
    : visible.map((s) => s.subscriptionId.toLowerCase())
  const inScope = new Set(scopes.filter((s) => visible.some((v) => v.subscriptionId.toLowerCase() === s)))
  const action = 'Microsoft.Compute/virtualMachines/read'
  const rows = [...state.vms.values()]
    .filter((vm) => vm.kind === 'vm' && inScope.has(vm.subscriptionId.toLowerCase()))
    .filter((vm) =>
      state.isAllowed(
        caller.principal,
        action,
        `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
      ),
    )
    .map((vm) => resourceRow(vm, state.subscription(vm.subscriptionId)!.tenantId, deps.shape))
  const result = runQuery(request.query, rows)
  if (!Array.isArray(result)) return invalidQuery(result.error)

  const options = request.options ?? {}
  let offset = options.$skip ?? 0
  if (options.$skipToken) {
    const decoded = Number(
      Buffer.from(options.$skipToken, 'base64')
        .toString('utf8')
        .replace(/^offset:/, ''),
    )
    if (!Number.isInteger(decoded) || decoded < 0)
      return armError(400, 'BadRequest', `The $skipToken '${options.$skipToken}' is invalid.`)
    offset = decoded
  }

  const top = Math.min(1000, Math.max(1, options.$top ?? 100))
  const page = result.slice(offset, offset + top)
  const answer: Record<string, unknown> = {
    count: page.length,
    data: page,
    facets: [],
    resultTruncated: 'false',
    totalRecords: result.length,
  }
  if (offset + top < result.length) answer.$skipToken = Buffer.from(`offset:${offset + top}`).toString('base64')
  return json(200, answer)
}
