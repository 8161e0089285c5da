/**
 * Every request the fake answered (ARM, sign-in, blob through the storage proxy): route, VM, status and
 * body bytes, so tests can assert "one retrieveBootDiagnosticsData per VM" and benchmarks can print
 * requests and bytes per VM. Paths are kept without their query string: a SAS never enters the log.
 */

export type Service = 'arm' | 'blob' | 'ingestion' | 'login'

export interface RequestRecord {
  seq: number
  /** epoch ms when the request arrived */
  time: number
  service: Service
  method: string
  /** path without the query string */
  path: string
  /** e.g. 'virtualMachines.listAll', 'virtualMachines.retrieveBootDiagnosticsData', 'aad.token', 'blob.get' */
  route: string
  /** the VM the request was about, if any (its name) */
  vm?: string
  /** `<subscription>/<resourceGroup>/<name>`, lower-case */
  vmKey?: string
  status: number
  /** request body bytes */
  bytesIn: number
  /** response body bytes actually written */
  bytesOut: number
  durationMs: number
  /** the injected fault, if any (e.g. 'status 503', 'reset after 100 bytes', 'latency 50 ms') */
  fault?: string
  /** the Range/x-ms-range header of a blob read */
  range?: string
}

export interface RequestFilter {
  service?: Service
  route?: RegExp | string
  method?: string
  /** VM name (case-insensitive) */
  vm?: string
  status?: number
}

export interface VmTraffic {
  requests: number
  bytesOut: number
  byRoute: Record<string, number>
}

export class RequestLog {
  private records: RequestRecord[] = []
  private seq = 0

  add(record: Omit<RequestRecord, 'seq'>): RequestRecord {
    const full = {...record, seq: ++this.seq}
    this.records.push(full)
    return full
  }

  /** All records, oldest first (optionally filtered). */
  all(filter: RequestFilter = {}): RequestRecord[] {
    return this.records.filter((r) => matches(r, filter))
  }

  count(filter: RequestFilter = {}): number {
    return this.all(filter).length
  }

  /** Response body bytes served. */
  bytesOut(filter: RequestFilter = {}): number {
    return this.all(filter).reduce((sum, r) => sum + r.bytesOut, 0)
  }

  /** Requests and bytes per VM name (requests about no VM are left out). */
  perVm(filter: RequestFilter = {}): Record<string, VmTraffic> {
    const result: Record<string, VmTraffic> = {}
    for (const r of this.all(filter)) {
      if (!r.vm) continue
      const traffic = (result[r.vm] ??= {byRoute: {}, bytesOut: 0, requests: 0})
      traffic.requests++
      traffic.bytesOut += r.bytesOut
      traffic.byRoute[r.route] = (traffic.byRoute[r.route] ?? 0) + 1
    }

    return result
  }

  /** Count per route name. */
  perRoute(filter: RequestFilter = {}): Record<string, number> {
    const result: Record<string, number> = {}
    for (const r of this.all(filter)) result[r.route] = (result[r.route] ?? 0) + 1
    return result
  }

  reset(): void {
    this.records = []
  }
}

function matches(record: RequestRecord, filter: RequestFilter): boolean {
  if (filter.service && record.service !== filter.service) return false
  if (filter.method && record.method.toUpperCase() !== filter.method.toUpperCase()) return false
  if (filter.status !== undefined && record.status !== filter.status) return false
  if (filter.vm && record.vm?.toLowerCase() !== filter.vm.toLowerCase()) return false
  if (filter.route !== undefined) {
    if (typeof filter.route === 'string' ? record.route !== filter.route : !filter.route.test(record.route))
      return false
  }

  return true
}
