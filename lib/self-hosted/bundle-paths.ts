import * as fs from 'fs';
import * as path from 'path';

/** Where scripts/bundle-server.js writes the server bundle, relative to the package root. */
const SERVER_BUNDLE = path.join('lib', 'self-hosted', 'server-bundle', 'server.js');
/** The instance's scripts and systemd units, shipped as they are (relative to the package root). */
const INSTANCE_FILES_DIR = path.join('lib', 'self-hosted', 'instance-files');

/**
 * The package root above `from`: the directory with package.json that holds `relative`. Works from
 * lib/self-hosted (ts-node, jest) and from dist/lib/self-hosted (the compiled package).
 */
function findInPackage(relative: string, from: string): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`${relative} was not found above ${from}; run \`node scripts/bundle-server.js\` (part of \`npm run build\`).`);
    }
    dir = parent;
  }
}

/** The bundled server (one JavaScript file, node built-ins only). */
export function serverBundleFile(from: string = __dirname): string {
  return findInPackage(SERVER_BUNDLE, from);
}

/** One of the instance files: `cdk-valkey.sh`, `cdk-valkey.service`, … */
export function instanceFile(name: string, from: string = __dirname): string {
  return findInPackage(path.join(INSTANCE_FILES_DIR, name), from);
}
