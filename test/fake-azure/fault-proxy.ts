/**
 * An HTTPS reverse proxy that forwards real bytes to an upstream HTTPS server (Azurite, or any loopback
 * service) and can inject faults on the way: per-route latency, error answers (429 + Retry-After, 500, 503,
 * a 403 with a chosen x-ms-error-code), a connection reset mid-body, a body cut short, a silently short body.
 * It counts every request (route, VM, status, body bytes served) in a RequestLog.
 *
 * The fake Azure puts one in front of Azurite and hands out its URLs (SAS and instance-view URLs), so every
 * blob read by the CLI goes through it. Tests may start more with `startFaultProxy`.
 */
import type {IncomingHttpHeaders, IncomingMessage, ServerResponse} from 'node:http'
import * as https from 'node:https'
import type {AddressInfo} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

import {FaultInjector, type FaultAction} from './faults.js'
import {breakAfter, readBody, writeReply} from './http.js'
import {RequestLog, type Service} from './request-log.js'
import type {Reply} from './responses.js'

export interface ProxyRequestInfo {
  method: string
  /** path without the query */
  path: string
  url: URL
  headers: IncomingHttpHeaders
}

export interface FaultProxyOptions {
  /** upstream origin, e.g. https://127.0.0.1:10000 */
  target: string
  /** server certificate and key (the test CA's leaf) */
  tls: {cert: string; key: string}
  /** CA that signed the upstream's certificate */
  upstreamCa?: string
  service?: Service
  faults?: FaultInjector
  log?: RequestLog
  /** name the route and the VM of a request (for the log and fault rules) */
  classify?(info: ProxyRequestInfo): {route: string; vm?: string}
  /** answer a request without forwarding it (return undefined to forward) */
  intercept?(info: ProxyRequestInfo): Reply | undefined
  /** the answer for an injected error status */
  faultReply?(status: number, info: ProxyRequestInfo, action: Extract<FaultAction, {kind: 'respond'}>): Reply
}

export interface FaultProxy {
  origin: string
  port: number
  faults: FaultInjector
  log: RequestLog
  close(): Promise<void>
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const faults = options.faults ?? new FaultInjector()
  const log = options.log ?? new RequestLog()
  const service = options.service ?? 'blob'
  const target = new URL(options.target)
  const agent = new https.Agent({ca: options.upstreamCa, keepAlive: true, maxSockets: 64})

  const server = https.createServer({cert: options.tls.cert, key: options.tls.key}, (req, res) => {
    forward(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(502, {'content-type': 'text/plain'})
        res.end(`fault proxy: upstream failed: ${String(error)}`)
      } else {
        res.destroy()
      }
    })
  })

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? '127.0.0.1'}`)
    const info: ProxyRequestInfo = {headers: req.headers, method, path: url.pathname, url}
    const {route, vm} = options.classify?.(info) ?? {route: `${service}.${method.toLowerCase()}`}
    const body = await readBody(req)
    const decision = faults.decide({method, path: url.pathname, route, service, vm})
    if (decision.latencyMs > 0) await sleep(decision.latencyMs)
    if (decision.holds.length > 0) await Promise.all(decision.holds)
    const range = (req.headers['x-ms-range'] ?? req.headers.range) as string | undefined
    const record = (status: number, bytesOut: number) =>
      log.add({
        bytesIn: body.length,
        bytesOut,
        durationMs: Date.now() - started,
        fault: decision.description,
        method,
        path: url.pathname,
        range,
        route,
        service,
        status,
        time: started,
        vm,
      })

    const action = decision.action
    const local = action?.kind === 'respond' ? faultAnswer(options, info, action) : options.intercept?.(info)
    if (local) {
      const bytes = await writeReply(res, local, method, action?.kind === 'respond' ? undefined : action)
      record(local.status, bytes)
      return
    }

    const upstreamHeaders: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) upstreamHeaders[name] = value
    }

    upstreamHeaders.host = target.host
    upstreamHeaders['content-length'] = String(body.length)
    const upstream = await sendUpstream({
      agent,
      headers: upstreamHeaders,
      hostname: target.hostname,
      method,
      path: `${url.pathname}${url.search}`,
      port: target.port,
    })

    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(upstream.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value
    }

    const status = upstream.statusCode ?? 502
    if (action?.kind === 'short' || action?.kind === 'cut' || action?.kind === 'reset') {
      const limit = action.kind === 'short' ? action.bytes : action.afterBytes
      const prefix = await readPrefix(upstream, limit)
      if (action.kind === 'short') {
        headers['content-length'] = String(prefix.length)
        res.writeHead(status, headers)
        await new Promise<void>((resolve) => res.end(prefix, () => resolve()))
      } else {
        if (headers['content-length'] === undefined && upstream.headers['transfer-encoding'] === undefined)
          headers['content-length'] = String(prefix.length + 1)
        res.writeHead(status, headers)
        await breakAfter(res, prefix, action.kind)
      }

      record(status, prefix.length)
      return
    }

    res.writeHead(status, headers)
    let bytesOut = 0
    upstream.on('data', (chunk: Buffer) => {
      bytesOut += chunk.length
    })
    await new Promise<void>((resolve, reject) => {
      upstream.pipe(res)
      res.on('finish', resolve)
      res.on('close', resolve)
      upstream.on('error', reject)
    })
    record(status, bytesOut)

    /**
     * Send the request on; a kept-alive socket that the upstream closed just as it was reused (Node's
     * documented keep-alive race, wider on a busy machine) is tried again on a fresh one, a few times:
     * that reset is the harness's, not a fault a test asked for.
     */
    function sendUpstream(request: https.RequestOptions, attempt = 1): Promise<IncomingMessage> {
      return new Promise<IncomingMessage>((resolve, reject) => {
        const sent = https.request(request, resolve)
        sent.on('error', (error: NodeJS.ErrnoException) => {
          if (sent.reusedSocket && error.code === 'ECONNRESET' && attempt < 4)
            sendUpstream(request, attempt + 1).then(resolve, reject)
          else reject(error)
        })
        sent.end(body)
      })
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as AddressInfo
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        agent.destroy()
      }),
    faults,
    log,
    origin: `https://127.0.0.1:${port}`,
    port,
  }
}

function faultAnswer(
  options: FaultProxyOptions,
  info: ProxyRequestInfo,
  action: Extract<FaultAction, {kind: 'respond'}>,
): Reply {
  const reply = options.faultReply?.(action.status, info, action) ?? {
    body: `injected ${action.status}`,
    headers: {'content-type': 'text/plain'},
    status: action.status,
  }
  if (action.retryAfterSeconds !== undefined)
    reply.headers = {...reply.headers, 'retry-after': String(action.retryAfterSeconds)}
  return reply
}

/** Read up to `limit` body bytes from the upstream, then stop reading it. */
function readPrefix(upstream: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let length = 0
    const done = () => {
      upstream.removeAllListeners('data')
      upstream.destroy()
      resolve(Buffer.concat(chunks).subarray(0, limit))
    }

    if (limit <= 0) {
      done()
      return
    }

    upstream.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      length += chunk.length
      if (length >= limit) done()
    })
    upstream.on('end', () => resolve(Buffer.concat(chunks).subarray(0, limit)))
    upstream.on('error', reject)
  })
}
