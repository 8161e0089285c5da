/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, made with openssl at
 * test time into a temporary directory (one per process, removed at exit). The fake Azure, Azurite and the
 * fault proxy serve HTTPS with the leaf; clients trust the CA:
 * - a CLI subprocess through `NODE_EXTRA_CA_CERTS=<caCertPath>` (read by Node at start-up only),
 * - SDK clients inside the test process through `trustTestCaInProcess()`, which adds the CA to Node's
 *   default CA list (tls.setDefaultCACertificates, Node >= 22.19).
 * Keys never leave the temporary directory and are never committed.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as tls from 'node:tls'
import {promisify} from 'node:util'

const execFileAsync = promisify(execFile)

const OPENSSL = process.env.BOOTDIAG_TEST_OPENSSL ?? '/usr/bin/openssl'

export interface TestTls {
  /** the directory holding every file below */
  dir: string
  /** PEM of the CA certificate: give it to NODE_EXTRA_CA_CERTS */
  caCertPath: string
  caCert: string
  /** PEM of the server certificate (SAN: IP 127.0.0.1, IP ::1, DNS localhost), signed by the CA */
  certPath: string
  cert: string
  /** PEM of the server's private key */
  keyPath: string
  key: string
}

let cached: Promise<TestTls> | undefined

/** The process's test CA and server certificate, made on first use and reused after. */
export function testTls(): Promise<TestTls> {
  cached ??= makeTestTls().catch((error: unknown) => {
    cached = undefined
    throw error
  })
  return cached
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync(OPENSSL, args, {cwd})
  } catch (error) {
    const stderr = (error as {stderr?: string}).stderr ?? ''
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(error)}`, {cause: error})
  }
}

async function makeTestTls(): Promise<TestTls> {
  const dir = mkdtempSync(join(tmpdir(), 'bootdiag-tls-'))
  process.once('exit', () => rmSync(dir, {force: true, recursive: true}))

  const caKeyPath = join(dir, 'ca.key')
  const caCertPath = join(dir, 'ca.pem')
  const keyPath = join(dir, 'server.key')
  const csrPath = join(dir, 'server.csr')
  const certPath = join(dir, 'server.pem')
  const extPath = join(dir, 'server.ext')

  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', caKeyPath], dir)
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      caKeyPath,
      '-sha256',
      '-days',
      '2',
      '-out',
      caCertPath,
      '-subj',
      '/CN=bootdiag test CA (throwaway)',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  )
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyPath], dir)
  await openssl(['req', '-new', '-key', keyPath, '-out', csrPath, '-subj', '/CN=127.0.0.1'], dir)
  writeFileSync(
    extPath,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
      '',
    ].join('\n'),
  )
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      csrPath,
      '-CA',
      caCertPath,
      '-CAkey',
      caKeyPath,
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      extPath,
      '-out',
      certPath,
    ],
    dir,
  )

  return {
    caCert: readFileSync(caCertPath, 'utf8'),
    caCertPath,
    cert: readFileSync(certPath, 'utf8'),
    certPath,
    dir,
    key: readFileSync(keyPath, 'utf8'),
    keyPath,
  }
}

const trusted = new Set<string>()

/**
 * Make every TLS client created from now on in this process trust the test CA (SDK clients, fetch, MSAL).
 * Adds to Node's default CA list; the public roots stay trusted. Idempotent.
 */
export function trustTestCaInProcess(caCert: string): void {
  if (trusted.has(caCert)) return
  const setDefaults = (tls as unknown as {setDefaultCACertificates?: (certs: string[]) => void})
    .setDefaultCACertificates
  if (typeof setDefaults !== 'function') {
    throw new TypeError(
      `this Node (${process.version}) lacks tls.setDefaultCACertificates: run the tests with the project's Node 22 (node_modules/.bin)`,
    )
  }

  setDefaults([...tls.getCACertificates('default'), caCert])
  trusted.add(caCert)
}
