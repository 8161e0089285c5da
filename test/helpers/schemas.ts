/**
 * The JSON output contracts in docs/schemas/: tests validate real command output against them, so a
 * renamed or removed field fails a test and shows in review.
 */
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv2020} from 'ajv/dist/2020.js'

import {repoRoot} from './cli.js'

const ajv = new Ajv2020({allErrors: true, strict: true})
const validators = new Map<string, ReturnType<typeof ajv.compile>>()
const schemaFolder = join(repoRoot, 'docs', 'schemas')
// every schema, so that one can $ref another (e.g. error-code.schema.json)
for (const file of readdirSync(schemaFolder).filter((name) => name.endsWith('.schema.json')))
  ajv.addSchema(JSON.parse(readFileSync(join(schemaFolder, file), 'utf8')) as object)

export type SchemaName =
  | 'analyze'
  | 'archive'
  | 'diff'
  | 'fetch'
  | 'history'
  | 'report'
  | 'search'
  | 'vm-list'
  | 'vm-operation'
  | 'watch-event'

/** Throws with every violation listed when `data` does not match docs/schemas/<name>.schema.json. */
export function assertMatchesSchema(name: SchemaName, data: unknown): void {
  let validate = validators.get(name)
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(schemaFolder, `${name}.schema.json`), 'utf8')) as {$id: string}
    validate = ajv.getSchema(schema.$id)!
    validators.set(name, validate)
  }

  if (!validate(data)) {
    throw new Error(
      `output does not match docs/schemas/${name}.schema.json:\n${ajv.errorsText(validate.errors, {separator: '\n'})}`,
    )
  }
}
