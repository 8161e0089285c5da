/**
 * Preloaded into a child process (`NODE_OPTIONS=--import=<this file>`) to record every module it
 * resolves, `import` and `require` alike, through an in-thread module.registerHooks() resolve hook.
 * On exit the URLs are written, one per line, to the file named by BOOTDIAG_RECORD_MODULES.
 * Used to prove that a command does not load the Azure SDKs.
 */
import {writeFileSync} from 'node:fs'
import {registerHooks} from 'node:module'

const out = process.env.BOOTDIAG_RECORD_MODULES
const seen = new Set()

registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context)
    seen.add(result.url)
    return result
  },
})

process.on('exit', () => {
  if (out) writeFileSync(out, [...seen].join('\n') + '\n')
})
