import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/**
 * A real VS Code for tests: code-server from the npm registry (VS Code 1.100.3
 * with the ordinary Node extension host), installed once into .cache and
 * reused. Desktop VS Code cannot be downloaded on these machines; the same
 * suite runs under @vscode/test-electron where it can (test/integration/electron.ts).
 */
export const CODE_SERVER_VERSION = '4.100.3';

export const repoRoot = path.resolve(__dirname, '../../..');
const cacheDir = path.join(repoRoot, '.cache', 'vscode-host');
const codeServerDir = path.join(cacheDir, 'node_modules', 'code-server');
const marker = path.join(cacheDir, `.installed-${CODE_SERVER_VERSION}`);

function step(message: string): void {
  process.stderr.write(`[vscode-host] ${message}\n`);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
}

function which(command: string): string | undefined {
  try {
    return execFileSync('which', [command], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Debian packages the host needs: a browser to connect (the extension host starts only then), ripgrep for search, Kerberos headers for a native module. */
function ensureDebianPackages(): void {
  const missing: string[] = [];
  if (!which('chromium')) missing.push('chromium');
  if (!which('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`Missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  step(`installing Debian packages: ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq'], repoRoot);
  run('apt-get', ['install', '-y', '-qq', ...missing], repoRoot, { DEBIAN_FRONTEND: 'noninteractive' });
}

/**
 * Installs code-server (VS Code's own server and web workbench, from npm) into
 * .cache/vscode-host; a no-op once done. Its install scripts download prebuilt
 * binaries, which machines without internet cannot, so the steps are done by
 * hand: install without scripts, install VS Code's own production modules, put
 * the system ripgrep where @vscode/ripgrep looks, rebuild every native module
 * from source, let `node_modules.asar` resolve to `node_modules`, install the
 * built-in extensions' modules, and rebuild argon2 at the top level.
 */
export function ensureCodeServer(): string {
  ensureDebianPackages();
  if (existsSync(marker)) return codeServerDir;
  step(`installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (once)`);
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(path.join(cacheDir, 'package.json'), JSON.stringify({ name: 'vscode-host', private: true }));
  // Its install scripts download prebuilt binaries, which these machines cannot; the steps below replace them.
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], cacheDir);
  const vscodeDir = path.join(codeServerDir, 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], vscodeDir);
  const rgDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  cpSync(which('rg') as string, path.join(rgDir, 'rg'));
  const native = nativeModules(path.join(vscodeDir, 'node_modules'));
  step(`building native modules: ${native.join(' ')}`);
  run('npm', ['rebuild', ...native], vscodeDir, { npm_config_yes: 'true' });
  const asar = path.join(vscodeDir, 'node_modules.asar');
  if (!existsSync(asar)) symlinkSync('node_modules', asar);
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], path.join(vscodeDir, 'extensions'));
  run('npm', ['rebuild', 'argon2'], cacheDir);
  writeFileSync(marker, new Date().toISOString());
  return codeServerDir;
}

/** Top-level packages (and scoped ones) that carry a binding.gyp. */
function nativeModules(nodeModules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(path.join(nodeModules, entry))) if (existsSync(path.join(nodeModules, entry, sub, 'binding.gyp'))) names.push(`${entry}/${sub}`);
    } else if (existsSync(path.join(nodeModules, entry, 'binding.gyp'))) {
      names.push(entry);
    }
  }
  return names;
}

/** Lays out an extensions folder with this extension (linked to the built repository) and, optionally, the test runner. */
export function prepareExtensions(dir: string, withRunner: boolean): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const target = path.join(dir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  mkdirSync(target);
  // Code is copied, not linked: VS Code maps each module to its extension by real path, and
  // a link into the repository would make our API calls look like they came from nowhere. Without
  // package.nls.json every manifest string (command titles, the walkthrough) would show as its %key%.
  for (const entry of ['package.json', 'package.nls.json', 'dist', 'media', 'README.md']) cpSync(path.join(repoRoot, entry), path.join(target, entry), { recursive: true });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(target, 'node_modules'));
  if (withRunner) cpSync(path.join(repoRoot, 'test', 'host', 'runner-extension'), path.join(dir, 'parallel-tasks.test-runner-0.0.1'), { recursive: true });
}

let packaged = false;

/**
 * Packages the built extension with vsce, as `npm run package` does, and
 * installs the .vsix into `dir` with VS Code's own installer: what a user gets.
 */
export function installVsix(dir: string): string {
  // Packaged once per test process (half a minute): every session installs the same .vsix, as users do.
  const vsix = path.join(repoRoot, 'out', 'parallel-tasks.vsix');
  if (!packaged) {
    run(process.execPath, [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '--out', vsix], repoRoot);
    packaged = true;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run(process.execPath, [path.join(ensureCodeServer(), 'out', 'node', 'entry.js'), '--extensions-dir', dir, '--install-extension', vsix], repoRoot);
  return vsix;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServer {
  readonly url: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly workspace: string;
  readonly extensionsDir: string;
  readonly userDataDir: string;
  readonly trusted: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly settings?: Record<string, unknown>;
  /** A fixed port (the demo); tests take a free one. */
  readonly port?: number;
}

export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const dir = ensureCodeServer();
  const port = options.port ?? (await freePort());
  mkdirSync(path.join(options.userDataDir, 'User'), { recursive: true });
  writeFileSync(
    path.join(options.userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoUpdate': false,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'always',
      ...options.settings,
    }),
  );
  const configFile = path.join(options.userDataDir, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\n');
  const args = [
    path.join(dir, 'out', 'node', 'entry.js'),
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--extensions-dir', options.extensionsDir,
    '--user-data-dir', options.userDataDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.trusted ? ['--disable-workspace-trust'] : []),
    options.workspace,
  ];
  let output = '';
  const child: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('HTTP server listening')) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`code-server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspace)}`,
    log: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
