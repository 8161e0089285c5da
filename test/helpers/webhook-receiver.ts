/**
 * A webhook receiver for tests: a real HTTPS server on 127.0.0.1 (the test CA's certificate) that keeps
 * every request it gets — method, path, headers, the body as text and as JSON — and answers as the test
 * says: a status (with headers and a body), or not at all ('hang', until the test releases it or the
 * client gives up), or a dropped connection. Stands in for Slack, Teams or any alerting endpoint.
 */
import type {IncomingHttpHeaders, IncomingMessage, ServerResponse} from 'node:http'
import * as https from 'node:https'
import type {AddressInfo} from 'node:net'

import {testTls, trustTestCaInProcess} from './tls.js'

export interface ReceivedRequest {
  method: string
  /** path and query, as sent */
  path: string
  headers: IncomingHttpHeaders
  text: string
  json?: unknown
}

export type ReceiverAnswer = {status: number; headers?: Record<string, string>; body?: string} | 'hang' | 'drop'

export interface WebhookReceiver {
  /** https://127.0.0.1:<port> */
  origin: string
  requests: ReceivedRequest[]
  /** how to answer the n-th request (0-based); default 200 "ok" */
  answer: (request: ReceivedRequest, index: number) => ReceiverAnswer
  /** resolves when `count` requests have come */
  received(count: number): Promise<void>
  close(): Promise<void>
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const tls = await testTls()
  trustTestCaInProcess(tls.caCert)
  const waiters: Array<{count: number; resolve: () => void}> = []
  const hanging = new Set<ServerResponse>()
  const receiver: WebhookReceiver = {
    answer: () => ({body: 'ok', status: 200}),
    close: async () => {
      for (const res of hanging) res.destroy()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
    origin: '',
    received: (count) =>
      receiver.requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => {
            waiters.push({count, resolve})
          }),
    requests: [],
  }

  const server = https.createServer({cert: tls.cert, key: tls.key}, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        json = undefined
      }

      const request: ReceivedRequest = {headers: req.headers, json, method: req.method ?? '', path: req.url ?? '', text}
      const index = receiver.requests.length
      receiver.requests.push(request)
      for (const waiter of waiters.filter((w) => receiver.requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }

      const answer = receiver.answer(request, index)
      if (answer === 'hang') {
        hanging.add(res)
        return
      }

      if (answer === 'drop') {
        // (a TLS socket cannot send a TCP reset: the connection is dropped mid-exchange instead)
        req.socket.destroy()
        return
      }

      res.writeHead(answer.status, {'content-type': 'text/plain', ...answer.headers})
      res.end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  receiver.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  return receiver
}
