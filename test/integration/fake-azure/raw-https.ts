/**
 * A bare HTTPS request helper for the fake's self-tests: sends exactly what it is given (no SDK policies),
 * so tests can check status codes, headers and bodies of error answers.
 */
import * as https from 'node:https'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  text: string
  json<T = Record<string, unknown>>(): T
}

export function rawRequest(
  url: string,
  options: {method?: string; headers?: Record<string, string>; body?: string} = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, {headers: options.headers, method: options.method ?? 'GET'}, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const body = Buffer.concat(chunks)
        resolve({
          body,
          headers: response.headers,
          json: <T>() => JSON.parse(body.toString('utf8')) as T,
          status: response.statusCode ?? 0,
          text: body.toString('utf8'),
        })
      })
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end(options.body)
  })
}
