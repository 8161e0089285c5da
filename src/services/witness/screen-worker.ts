/**
 * A worker thread of the screen reader pool (screen-reader.ts): reads screenshots off the main thread —
 * the decoding, the console font matching, the layout and the classification are CPU work that would
 * otherwise hold up a fleet run's requests. It has no OCR engine of its own: the run's one engine lives on
 * the main thread, and a graphical screen's text boxes are sent there to be read.
 *
 * Messages in:  {type: 'read', id, path} | {type: 'read', id, bytes} | {type: 'ocr-result', id, lines | error}
 * Messages out: {type: 'done', id, result: ScreenRead} | {type: 'ocr', id, image}
 */
import {readFile} from 'node:fs/promises'
import {parentPort} from 'node:worker_threads'

import type {OcrEngine, OcrLine} from '../../screen/index.js'
import type {ScreenRead} from './screen-reader.js'

export type WorkerRequest =
  | {type: 'read'; id: number; path: string}
  | {type: 'read'; id: number; bytes: Uint8Array}
  | {type: 'ocr-result'; id: number; lines?: OcrLine[]; error?: string}

/** a grey page for the OCR engine (the screen module's GrayImage) */
type GrayImage = Parameters<OcrEngine['recognize']>[0]

export type WorkerReply = {type: 'done'; id: number; result: ScreenRead} | {type: 'ocr'; id: number; image: GrayImage}

const port = parentPort
if (port) {
  const pending = new Map<number, {resolve(lines: OcrLine[]): void; reject(error: Error): void}>()
  let nextOcr = 0
  // the run's engine, on the main thread
  const engine: OcrEngine = {
    recognize(image) {
      const id = nextOcr++
      return new Promise<OcrLine[]>((resolve, reject) => {
        pending.set(id, {reject, resolve})
        port.postMessage({id, image, type: 'ocr'} satisfies WorkerReply)
      })
    },
    async terminate() {},
  }
  const screen = import('../../screen/index.js')

  port.on('message', (message: WorkerRequest) => {
    if (message.type === 'ocr-result') {
      const waiting = pending.get(message.id)
      pending.delete(message.id)
      if (message.lines) waiting?.resolve(message.lines)
      else waiting?.reject(new Error(message.error ?? 'the OCR engine failed'))
      return
    }

    void (async () => {
      let result: ScreenRead
      try {
        const bytes = 'path' in message ? await readFile(message.path) : message.bytes
        result = {reading: await (await screen).readScreen(bytes, {ocr: engine})}
      } catch (error) {
        result = {unread: `the screenshot could not be read: ${firstLine(error)}`}
      }

      port.postMessage({id: message.id, result, type: 'done'} satisfies WorkerReply)
    })()
  })
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return (text.split('\n')[0] ?? '').replace(/\.$/, '')
}
