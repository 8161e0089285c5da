/**
 * postinstall: after `npm ci` on an older Node, one line that says what is needed — instead of the
 * ~50 EBADENGINE warnings npm would print (.npmrc keeps those quiet). npm's own Node is in its user agent
 * (`npm/11.19.1 node/v20.20.2 …`); this script runs on node_modules/.bin/node, the project's Node 22.
 */
import process from 'node:process'

const REQUIRED = 22
const npmNode = /\bnode\/v?(\d+)\.(\S+)/.exec(process.env.npm_config_user_agent ?? '')
const major = npmNode ? Number(npmNode[1]) : Number(process.versions.node.split('.')[0])
if (major < REQUIRED) {
  const version = npmNode ? `${npmNode[1]}.${npmNode[2]}` : process.versions.node
  process.stderr.write(
    `bootdiag: npm ran on Node ${version}; bootdiag needs Node ${REQUIRED}, which npm ci just installed into node_modules/.bin (node ${process.versions.node}): npm test, npm run build and npx bootdiag use it. To add packages, run npm on it: PATH=$PWD/node_modules/.bin:$PATH npm i …\n`,
  )
}
