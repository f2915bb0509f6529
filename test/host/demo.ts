import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareExtensions, startCodeServer } from './code-server';
import { makeWorkspace } from './workspace';

/**
 * `npm run demo`: a real VS Code (code-server) with the built extension
 * installed, on a sample workspace, until Ctrl+C. Open the printed address in
 * a browser.
 */
async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pt-demo-'));
  const extensionsDir = path.join(scratch, 'extensions');
  prepareExtensions(extensionsDir, false);
  const workspace = process.argv[2] ? path.resolve(process.argv[2]) : makeWorkspace();
  const server = await startCodeServer({ workspace, extensionsDir, userDataDir: path.join(scratch, 'data'), trusted: true, port: Number(process.env.PORT) || 8080 });
  process.stdout.write(`\nParallel Tasks demo: open ${server.url}\nWorkspace: ${workspace}\nTry "Parallel Tasks: Lint Workspace" from the command palette (F1). Ctrl+C stops.\n`);
  const stop = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
