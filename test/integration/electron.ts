import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeWorkspace } from '../host/workspace';

/**
 * The same integration suite under @vscode/test-electron, for machines where
 * desktop VS Code can be downloaded (these cannot: their tests use
 * code-server, see test/e2e/vscode-host.test.ts). Run after the test build:
 *   node out/test/integration/electron.js [--untrusted]
 */
async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '../../..');
  const untrusted = process.argv.includes('--untrusted');
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(__dirname, 'index.js'),
    launchArgs: [makeWorkspace(), '--disable-extensions', ...(untrusted ? [] : ['--disable-workspace-trust'])],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
