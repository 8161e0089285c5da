/**
 * The layering of src/ (docs/ARCHITECTURE.md), checked on every import — static, type-only and dynamic —
 * read with the TypeScript compiler: a change that breaks a rule fails here, naming the file and import.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'
import ts from 'typescript'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const src = join(root, 'src')

interface Import {
  /** the file that imports, relative to src/ (e.g. services/archive/fleet.ts) */
  from: string
  /** what it names: a package ('@azure/arm-compute') or a file relative to src/ ('azure/clients.ts') */
  target: string
  typeOnly: boolean
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const from = relative(src, file)
  const found: Import[] = []
  const add = (specifier: string, typeOnly: boolean) => {
    const target = specifier.startsWith('.')
      ? relative(src, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts')
      : specifier
    found.push({from, target, typeOnly})
  }

  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const named = clause?.namedBindings
      const allInlineTypes =
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((element) => element.isTypeOnly) &&
        !clause?.name
      add(node.moduleSpecifier.text, Boolean(clause?.isTypeOnly) || allInlineTypes)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly)
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false)
    }

    ts.forEachChild(node, visit)
  }

  visit(source)
  return found
}

const IMPORTS = sourceFiles(src).flatMap((file) => importsOf(file))

/** The layer of a file under src/: its first folder, or the file itself at the top. */
const layerOf = (path: string) => path.split('/')[0].replace(/\.ts$/, '')
const isProjectFile = (target: string) =>
  !target.startsWith('@') && !target.startsWith('node:') && target.endsWith('.ts')
const isPackage = (target: string) => !target.startsWith('node:') && !target.endsWith('.ts')

/** Imports breaking a rule, as 'from → target' lines. */
function offending(filter: (i: Import) => boolean): string[] {
  return IMPORTS.filter(filter).map((i) => `${i.from} → ${i.target}${i.typeOnly ? ' (type)' : ''}`)
}

/** What each layer may import of the project (besides itself). */
const MAY_IMPORT: Record<string, string[]> = {
  analysis: [],
  azure: ['errors', 'util'],
  cli: ['analysis', 'azure', 'context', 'errors', 'output', 'prompts', 'screen', 'services', 'store', 'util'],
  commands: [
    'analysis',
    'azure',
    'cli',
    'context',
    'errors',
    'output',
    'prompts',
    'screen',
    'services',
    'store',
    'util',
  ],
  context: ['azure', 'errors', 'store', 'util'],
  errors: [],
  hooks: ['errors', 'util'],
  output: ['analysis', 'azure', 'errors', 'screen', 'services', 'store', 'util'],
  prompts: ['errors', 'services', 'util'],
  screen: ['analysis'],
  services: ['analysis', 'azure', 'context', 'errors', 'screen', 'store', 'util'],
  store: ['azure', 'errors', 'util'],
  util: ['errors'],
}

describe('architecture: what may import what (docs/ARCHITECTURE.md)', () => {
  it('reads the imports of every source file', () => {
    expect(IMPORTS.length).to.be.greaterThan(300)
    expect(new Set(IMPORTS.map((i) => layerOf(i.from)))).to.include.members(Object.keys(MAY_IMPORT))
  })

  it('every layer imports only the layers below it', () => {
    const layers = new Set(IMPORTS.map((i) => layerOf(i.from)))
    for (const layer of layers) expect(MAY_IMPORT, `a layer no rule covers: src/${layer}`).to.have.property(layer)
    expect(
      offending((i) => {
        if (!isProjectFile(i.target)) return false
        const from = layerOf(i.from)
        const to = layerOf(i.target)
        return from !== to && !MAY_IMPORT[from].includes(to)
      }),
    ).to.deep.equal([])
  })

  it('the analyser and the screen reader are pure: no Azure, no oclif, no prompts, no file-system layer', () => {
    expect(
      offending(
        (i) =>
          ['analysis', 'screen'].includes(layerOf(i.from)) &&
          isPackage(i.target) &&
          /^@azure\/|^@oclif\/|^@inquirer\//.test(i.target),
      ),
    ).to.deep.equal([])
  })

  it('nothing below the commands imports oclif (services, context, store, output, ... are oclif-free)', () => {
    expect(
      offending((i) => !['cli', 'commands', 'hooks'].includes(layerOf(i.from)) && i.target.startsWith('@oclif/')),
    ).to.deep.equal([])
  })

  it('only src/azure loads an Azure SDK; elsewhere Azure types only (and the SDK logger for --debug)', () => {
    expect(
      offending(
        (i) =>
          layerOf(i.from) !== 'azure' &&
          i.target.startsWith('@azure/') &&
          !i.typeOnly &&
          !(i.from === 'cli/debug-log.ts' && i.target === '@azure/logger'),
      ),
    ).to.deep.equal([])
  })

  it('only src/azure constructs SDK clients and credentials', () => {
    const constructions = sourceFiles(src)
      .filter((file) => !relative(src, file).startsWith('azure/'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/new\s+([A-Z]\w*(?:Client|Credential))\s*\(/g)].map(
          (match) => `${relative(src, file)}: new ${match[1]}`,
        ),
      )
    expect(constructions).to.deep.equal([])
  })

  it('no module imports a command', () => {
    expect(
      offending((i) => isProjectFile(i.target) && layerOf(i.target) === 'commands' && layerOf(i.from) !== 'commands'),
    ).to.deep.equal([])
  })
})
