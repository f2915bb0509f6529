import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './code-server';

/**
 * A throw-away workspace for a VS Code session: the lint-basic fixture, the
 * codemod fixtures, and a node_modules link to this repository's, so that it
 * behaves like a project with ESLint, Prettier and plugins installed. `bare`: only
 * `extraFiles`, a project that installs no tools, so the extension runs the ones it ships.
 */
export function makeWorkspace(extraFiles: Record<string, string> = {}, bare = false): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-ws-'));
  if (!bare) {
    cpSync(path.join(repoRoot, 'test', 'fixtures', 'projects', 'lint-basic'), dir, { recursive: true });
    cpSync(path.join(repoRoot, 'test', 'fixtures', 'codemods'), path.join(dir, 'codemods'), { recursive: true });
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  }
  for (const [name, content] of Object.entries(extraFiles)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}
