/**
 * Start and stop Azurite's blob service for tests: a real storage implementation on 127.0.0.1, on a free
 * port, in memory, over HTTPS with the test CA's certificate and with `--oauth basic` so bearer tokens are
 * checked (issuer, audience, lifetime). Killed by the PID it was spawned with, never by name.
 *
 * Gotchas handled here (../shared/research/toolchain-notes.md §6): `--skipApiVersionCheck` (storage-blob
 * 12.34 sends an x-ms-version newer than Azurite 3.37 knows), `--disableTelemetry` (otherwise SIGINT
 * hangs), `--blobPort 0` + the "successfully listens on" line to learn the port.
 */
import {ChildProcess, spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {testTls} from './tls.js'

/** Azurite's well-known development account (public, documented by Microsoft: not a secret). */
export const DEV_ACCOUNT_NAME = 'devstoreaccount1'
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const AZURITE_BLOB_MAIN = join(REPO_ROOT, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js')

export interface AzuriteOptions {
  /** Serve HTTPS with the test CA's leaf certificate (default true). Bearer tokens need HTTPS. */
  https?: boolean
  /** Check bearer tokens (`--oauth basic`; default true, needs https). */
  oauth?: boolean
  /**
   * Extra storage accounts, name → base64 key (a random key when the value is ''). devstoreaccount1 is
   * always there with its well-known key.
   */
  accounts?: Record<string, string>
  /** Milliseconds to wait for the "listens on" line (default 20000). */
  startTimeoutMs?: number
  /** Pass Azurite's output through to this process's stderr (for debugging). */
  verbose?: boolean
}

export interface AzuriteAccount {
  name: string
  /** base64 account key */
  key: string
}

export interface AzuriteInstance {
  /** e.g. https://127.0.0.1:43123 */
  origin: string
  host: string
  port: number
  https: boolean
  /** every account Azurite serves, devstoreaccount1 first */
  accounts: AzuriteAccount[]
  /** path-style blob endpoint of an account: `${origin}/${account}` */
  blobEndpoint(account?: string): string
  /** a connection string with the account key (for in-process clients) */
  connectionString(account?: string): string
  pid: number
  stop(): Promise<void>
}

/** Start Azurite's blob service. Resolves once it listens; rejects (and kills it) if it does not. */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteInstance> {
  const useHttps = options.https ?? true
  const useOauth = (options.oauth ?? true) && useHttps
  const accounts: AzuriteAccount[] = [{key: DEV_ACCOUNT_KEY, name: DEV_ACCOUNT_NAME}]
  for (const [name, key] of Object.entries(options.accounts ?? {})) {
    if (name === DEV_ACCOUNT_NAME) continue
    accounts.push({key: key || randomBytes(64).toString('base64'), name})
  }

  const args = [
    AZURITE_BLOB_MAIN,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--inMemoryPersistence',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ]
  if (useHttps) {
    const tls = await testTls()
    args.push('--cert', tls.certPath, '--key', tls.keyPath)
  }

  if (useOauth) args.push('--oauth', 'basic')

  // A private working directory: Azurite must leave nothing in the repository.
  const workDir = mkdtempSync(join(tmpdir(), 'bootdiag-azurite-'))
  const env: NodeJS.ProcessEnv = {...process.env, AZURITE_ACCOUNTS: accounts.map((a) => `${a.name}:${a.key}`).join(';')}
  delete env.NODE_OPTIONS
  const child = spawn(process.execPath, args, {cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe']})

  let port: number
  try {
    port = await waitForPort(child, options.startTimeoutMs ?? 20_000, options.verbose ?? false)
  } catch (error) {
    await killChild(child)
    rmSync(workDir, {force: true, recursive: true})
    throw error
  }

  const scheme = useHttps ? 'https' : 'http'
  const origin = `${scheme}://127.0.0.1:${port}`
  const keyOf = (account: string) => {
    const found = accounts.find((a) => a.name === account)
    if (!found) throw new Error(`Azurite serves no account '${account}'`)
    return found.key
  }

  let stopped: Promise<void> | undefined
  const onExit = () => child.kill('SIGKILL')
  process.once('exit', onExit)
  return {
    accounts,
    blobEndpoint: (account = DEV_ACCOUNT_NAME) => `${origin}/${account}`,
    connectionString: (account = DEV_ACCOUNT_NAME) =>
      `DefaultEndpointsProtocol=${scheme};AccountName=${account};AccountKey=${keyOf(account)};BlobEndpoint=${origin}/${account};`,
    host: '127.0.0.1',
    https: useHttps,
    origin,
    pid: child.pid!,
    port,
    stop() {
      stopped ??= (async () => {
        process.removeListener('exit', onExit)
        await killChild(child)
        rmSync(workDir, {force: true, recursive: true})
      })()
      return stopped
    },
  }
}

function waitForPort(child: ChildProcess, timeoutMs: number, verbose: boolean): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let output = ''
    const timer = setTimeout(
      () => finish(new Error(`Azurite did not start within ${timeoutMs} ms. Output:\n${output}`)),
      timeoutMs,
    )
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      if (verbose) process.stderr.write(`[azurite] ${text}`)
      output += text
      const match = /successfully listens on https?:\/\/[^:]+:(\d+)/.exec(output)
      if (match) finish(undefined, Number(match[1]))
    }

    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`Azurite exited before listening (code ${code}, signal ${signal}). Output:\n${output}`))
    function finish(error?: Error, port?: number) {
      clearTimeout(timer)
      child.removeListener('exit', onExit)
      if (!verbose) {
        child.stdout?.removeListener('data', onData)
        child.stderr?.removeListener('data', onData)
        // keep draining so a chatty child never blocks on a full pipe
        child.stdout?.resume()
        child.stderr?.resume()
      }

      if (error) reject(error)
      else resolvePort(port!)
    }

    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', onExit)
  })
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(force)
      done()
    })
    child.kill('SIGTERM')
  })
}
