import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { bundledToolEntry, isBundledTool, resolveTool } from '../resolve-tool';

/** `name@version` of the package whose entry point is `entry`: the package.json nearest to it is the package's own. */
async function versionOf(name: string, entry: string): Promise<string> {
  let dir = path.dirname(entry);
  if (isBundledTool(entry)) {
    // A bundle of dist/tools has no package.json of its own: the build lists what it bundled.
    const versions = JSON.parse(await readFile(path.join(dir, 'versions.json'), 'utf8')) as Record<string, string>;
    return `${name}@${versions[name] ?? 'unknown'}`;
  }
  for (;;) {
    const text = await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text) {
      const manifest = JSON.parse(text) as { name?: string; version?: string };
      if (manifest.name === name) return `${name}@${manifest.version}`;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return `${name}@unknown`;
    dir = parent;
  }
}

/** The version of the tool the workers use for `root`: the workspace's own, else ours. */
export async function toolVersion(name: string, root: string): Promise<string> {
  try {
    return await versionOf(name, resolveTool(name, root).entry);
  } catch {
    return `${name}@missing`;
  }
}

/** The version of a package we ship (the default lint config's ESLint and rule sets). */
export async function bundledVersion(name: string): Promise<string> {
  try {
    return await versionOf(name, bundledToolEntry(name));
  } catch {
    return `${name}@missing`;
  }
}
