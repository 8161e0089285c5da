/**
 * The one place that turns a command's result into text for stdout: table, json, jsonc, tsv, yaml or
 * none, after an optional JMESPath `--query` (as az does). Knows nothing of oclif or Azure.
 */
import jmespath from 'jmespath'
import YAML from 'yaml'

import {UsageError} from '../errors.js'
import {printable} from '../util/printable.js'

export const OUTPUT_FORMATS = ['table', 'json', 'jsonc', 'tsv', 'yaml', 'none'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** One column of a table (and of tsv): a header and how to read the cell from a row. */
export interface Column<Row> {
  header: string
  value: (row: Row) => unknown
}

export interface RenderOptions<Row = unknown> {
  format: OutputFormat
  /** JMESPath expression applied to the JSON form of the result first. */
  query?: string
  /** ANSI colour (tables' headers, jsonc). */
  color?: boolean
  /** Columns for table/tsv when no query reshaped the data. */
  columns?: Column<Row>[]
}

/** The default format: a table for a person at a terminal, JSON for a pipe or a file. */
export function defaultOutputFormat(stdoutIsTTY: boolean): OutputFormat {
  return stdoutIsTTY ? 'table' : 'json'
}

export function parseOutputFormat(value: string): OutputFormat {
  const format = value.toLowerCase() as OutputFormat
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new UsageError(`Unknown output format '${value}'. Use one of: ${OUTPUT_FORMATS.join(', ')}.`)
  }

  return format
}

/** Plain JSON data: what `--json` prints and what `--query` sees. */
export function toJsonData(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value))
}

/** Check a --query before any work is done, so a typo fails at once (usage error). */
export function checkQuery(query: string | undefined): void {
  if (query) applyQuery(null, query)
}

export function applyQuery(data: unknown, query: string | undefined): unknown {
  if (!query) return data
  try {
    return jmespath.search(data, query)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new UsageError(`Invalid --query '${query}': ${reason}. See https://jmespath.org for the syntax.`)
  }
}

/** Render a result as text. Returns '' for `none` (and for an empty table); never a trailing newline. */
export function render<Row>(result: unknown, options: RenderOptions<Row>): string {
  if (options.format === 'none') return ''
  // JSON without a query prints the result as it is (a fleet report is megabytes: no copy of it first).
  if (options.format === 'json' && !options.query) return JSON.stringify(result ?? null, null, 2)
  const data = applyQuery(toJsonData(result), options.query)
  const columns = options.query ? undefined : options.columns
  switch (options.format) {
    case 'json': {
      return JSON.stringify(data, null, 2)
    }

    case 'jsonc': {
      const text = JSON.stringify(data, null, 2)
      return options.color ? colorizeJson(text) : text
    }

    case 'yaml': {
      return YAML.stringify(data).trimEnd()
    }

    case 'tsv': {
      return renderTsv(data, columns as Column<unknown>[] | undefined)
    }

    case 'table': {
      return renderTable(data, columns as Column<unknown>[] | undefined, options.color ?? false)
    }
  }
}

function rowsOf(data: unknown): unknown[] {
  if (data === null || data === undefined) return []
  return Array.isArray(data) ? data : [data]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Columns for data that came without any: every scalar key seen in the rows, in first-seen order; for rows
 * that are lists (a --query projection such as `[].[name, powerState]`), one column per position, named
 * Column1, Column2, … as az names them.
 */
function inferColumns(rows: unknown[]): Column<unknown>[] {
  if (rows.length > 0 && rows.every((row) => Array.isArray(row))) {
    const width = Math.max(...rows.map((row) => (row as unknown[]).length))
    return Array.from({length: width}, (_, index) => ({
      header: `Column${index + 1}`,
      value: (row: unknown) => (row as unknown[])[index],
    }))
  }

  if (!rows.some((row) => isPlainObject(row))) return [{header: 'Result', value: (row) => row}]
  const keys: string[] = []
  for (const row of rows) {
    if (!isPlainObject(row)) continue
    for (const [key, value] of Object.entries(row)) {
      if (!keys.includes(key) && (value === null || typeof value !== 'object')) keys.push(key)
    }
  }

  return keys.map((key) => ({header: headerOf(key), value: (row) => (isPlainObject(row) ? row[key] : undefined)}))
}

function headerOf(key: string): string {
  key = printable(key)
  const spaced = key.replaceAll(/([a-z0-9])([A-Z])/g, '$1 $2')
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

/**
 * One cell: a line break or tab becomes a space (a cell never breaks its row), any other control
 * character is shown escaped (a name from Azure cannot steer the terminal), an object is JSON.
 */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return printable(value.replaceAll(/[\t\r\n]+/g, ' '))
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return printable(JSON.stringify(value) ?? '')
}

/**
 * Tab-separated values, no header. Rows are the table's columns; without columns (after --query), an
 * object's scalar values, a list's items (`[].[name, powerState]` gives name<TAB>powerState), or the value.
 */
function renderTsv(data: unknown, columns: Column<unknown>[] | undefined): string {
  const rows = rowsOf(data)
  const cols = columns ?? inferColumns(rows)
  return rows
    .map((row) =>
      !columns && Array.isArray(row)
        ? row.map((cell) => cellText(cell)).join('\t')
        : cols.map((col) => cellText(col.value(row))).join('\t'),
    )
    .join('\n')
}

function renderTable(data: unknown, columns: Column<unknown>[] | undefined, color: boolean): string {
  const rows = rowsOf(data)
  if (rows.length === 0) return ''
  const cols = columns ?? inferColumns(rows)
  const cells = rows.map((row) => cols.map((col) => cellText(col.value(row))))
  const widths = cols.map((col, i) => Math.max(col.header.length, ...cells.map((r) => r[i].length)))
  const pad = (text: string, i: number) => (i === cols.length - 1 ? text : text.padEnd(widths[i]))
  const header = cols.map((col, i) => pad(col.header, i)).join('  ')
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  const lines = [color ? `\u001B[1m${header}\u001B[22m` : header, rule]
  for (const row of cells) lines.push(row.map((cell, i) => pad(cell, i)).join('  '))
  return lines.map((line) => line.trimEnd()).join('\n')
}

function colorizeJson(text: string): string {
  return text.replaceAll(
    /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g,
    (
      match,
      str: string | undefined,
      colon: string | undefined,
      literal: string | undefined,
      num: string | undefined,
    ) => {
      if (str !== undefined) return colon ? `\u001B[34m${str}\u001B[39m${colon}` : `\u001B[32m${str}\u001B[39m`
      if (literal !== undefined) return `\u001B[35m${literal}\u001B[39m`
      if (num !== undefined) return `\u001B[33m${num}\u001B[39m`
      return match
    },
  )
}
