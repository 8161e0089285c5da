/**
 * The small HTTPS plumbing shared by the fake's ARM and sign-in servers: route table, body reading, fault
 * injection (latency, error answers, cut/reset/short bodies), the request log, and writing replies.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import * as https from 'node:https'
import type {AddressInfo} from 'node:net'
import {setTimeout as sleep} from 'node:timers/promises'

import type {FaultAction, FaultInjector} from './faults.js'
import type {RequestLog, Service} from './request-log.js'
import type {Reply} from './responses.js'

export interface RouteContext {
  req: IncomingMessage
  method: string
  url: URL
  /** `https://<host the client used>`: absolute URLs in answers (nextLink, Location) start with it */
  origin: string
  /** the pattern's capture groups, decoded */
  params: string[]
  body: Buffer
  /** a query parameter, name compared case-insensitively (ARM does) */
  query(name: string): string | undefined
}

export interface Route {
  name: string
  method: string
  /** matched against the decoded path, case-insensitively */
  pattern: RegExp
  /** the VM this request is about (for the log and fault rules) */
  vm?: (ctx: RouteContext) => string | undefined
  handle(ctx: RouteContext): Promise<Reply> | Reply
}

export interface ServiceServerOptions {
  service: Service
  tls: {cert: string; key: string}
  routes: Route[]
  /** the answer when no route matches */
  notFound(ctx: RouteContext): Reply
  /** the answer for an injected error status */
  faultReply(status: number, ctx: RouteContext, action: Extract<FaultAction, {kind: 'respond'}>): Reply
  faults: FaultInjector
  log: RequestLog
  /** headers added to every answer */
  commonHeaders?(ctx: RouteContext): Record<string, string>
}

export interface RunningServer {
  server: https.Server
  origin: string
  port: number
  close(): Promise<void>
}

export async function startServiceServer(options: ServiceServerOptions): Promise<RunningServer> {
  const server = https.createServer({cert: options.tls.cert, key: options.tls.key}, (req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      process.stderr.write(`[fake-azure ${options.service}] ${String((error as Error)?.stack ?? error)}\n`)
      if (!res.headersSent) {
        res.writeHead(500, {'content-type': 'text/plain'})
        res.end(`fake-azure internal error: ${String(error)}`)
      } else {
        res.destroy()
      }
    })
  })
  server.keepAliveTimeout = 5000
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
      }),
    origin: `https://127.0.0.1:${port}`,
    port,
    server,
  }
}

async function handle(options: ServiceServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now()
  const body = await readBody(req)
  const method = (req.method ?? 'GET').toUpperCase()
  const host = req.headers.host ?? '127.0.0.1'
  const url = new URL(req.url ?? '/', `https://${host}`)
  const path = safeDecode(url.pathname)
  const lowerParams = new Map<string, string>()
  for (const [name, value] of url.searchParams)
    if (!lowerParams.has(name.toLowerCase())) lowerParams.set(name.toLowerCase(), value)
  const ctx: RouteContext = {
    body,
    method,
    origin: `https://${host}`,
    params: [],
    query: (name) => lowerParams.get(name.toLowerCase()),
    req,
    url,
  }

  let route: Route | undefined
  for (const candidate of options.routes) {
    if (candidate.method !== method) continue
    const match = candidate.pattern.exec(path)
    if (match) {
      route = candidate
      ctx.params = match.slice(1)
      break
    }
  }

  const routeName = route?.name ?? 'unknown'
  const vm = route?.vm?.(ctx)
  const decision = options.faults.decide({method, path, route: routeName, service: options.service, vm})
  if (decision.latencyMs > 0) await sleep(decision.latencyMs)
  if (decision.holds.length > 0) await Promise.all(decision.holds)

  let reply: Reply
  const action = decision.action
  if (action?.kind === 'respond') {
    reply = options.faultReply(action.status, ctx, action)
    if (action.retryAfterSeconds !== undefined)
      reply.headers = {...reply.headers, 'retry-after': String(action.retryAfterSeconds)}
  } else {
    reply = route ? await route.handle(ctx) : options.notFound(ctx)
  }

  reply.headers = {...options.commonHeaders?.(ctx), ...reply.headers}
  const bytesOut = await writeReply(res, reply, method, action)
  options.log.add({
    bytesIn: body.length,
    bytesOut,
    durationMs: Date.now() - started,
    fault: decision.description,
    method,
    path,
    route: routeName,
    service: options.service,
    status: reply.status,
    time: started,
    vm,
  })
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

export function replyBody(reply: Reply): Buffer {
  if (reply.body === undefined) return Buffer.alloc(0)
  if (Buffer.isBuffer(reply.body)) return reply.body
  if (typeof reply.body === 'string') return Buffer.from(reply.body, 'utf8')
  return Buffer.from(JSON.stringify(reply.body), 'utf8')
}

/**
 * Write a reply, honouring a cut/reset/short fault. Returns the body bytes actually written.
 */
export async function writeReply(
  res: ServerResponse,
  reply: Reply,
  method: string,
  action?: FaultAction,
): Promise<number> {
  const body = method === 'HEAD' ? Buffer.alloc(0) : replyBody(reply)
  const headers: Record<string, string | string[]> = {...reply.headers}
  if (method !== 'HEAD' || headers['content-length'] === undefined) headers['content-length'] = String(body.length)
  if (action?.kind === 'short') {
    const bytes = Math.min(action.bytes, body.length)
    headers['content-length'] = String(bytes)
    res.writeHead(reply.status, headers)
    await endWith(res, body.subarray(0, bytes))
    return bytes
  }

  if (action?.kind === 'cut' || action?.kind === 'reset') {
    const bytes = Math.min(action.afterBytes, body.length)
    res.writeHead(reply.status, headers)
    await breakAfter(res, body.subarray(0, bytes), action.kind)
    return bytes
  }

  res.writeHead(reply.status, headers)
  await endWith(res, body)
  return body.length
}

function endWith(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => res.end(chunk, () => resolve()))
}

/** Write `chunk`, then close the connection without finishing the response: a FIN ('cut') or a reset. */
export function breakAfter(res: ServerResponse, chunk: Buffer, how: 'cut' | 'reset'): Promise<void> {
  return new Promise((resolve) => {
    res.flushHeaders()
    const kill = () => {
      const socket = res.socket
      if (socket && how === 'reset' && typeof socket.resetAndDestroy === 'function') {
        try {
          socket.resetAndDestroy()
        } catch {
          socket.destroy()
        }
      } else if (socket && how === 'cut') {
        socket.end()
      } else {
        socket?.destroy()
      }

      resolve()
    }

    if (chunk.length === 0) setImmediate(kill)
    else res.write(chunk, () => setImmediate(kill))
  })
}
