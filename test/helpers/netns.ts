// A second "machine" for the queue executor's tests: a network namespace joined to the host by a veth pair,
// so a worker inside reaches Redis only through an address of its own link, and the link can be cut
// (linkDown) like a network. Needs root and iproute2's `ip`; namespaceSupport() says why not otherwise.
//
// Names: the namespace is `ptns-<pid>-<n>` (the pid tells a later run whether its owner is still alive);
// the veth pair is `ptv-<i>h` (host) and `ptv-<i>n` (inside), where i is the index of its /30 in
// 10.231.0.0/16. Creating `ptv-<i>h` fails with "File exists" while any process holds subnet i, which makes
// the name an atomic claim on the subnet across test processes, where an address check would race.
import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

export type NamespaceSupport = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface Namespace {
  readonly name: string;
  /** The host side of the veth pair, e.g. 10.231.x.1 — what a process inside reaches the host (and Redis) through. */
  readonly hostAddress: string;
  /** The namespace side, e.g. 10.231.x.2. */
  readonly namespaceAddress: string;
  /** Spawns a command inside the namespace (`ip netns exec NAME …`), same options as child_process.spawn. */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Takes the link down (both ends) / up again: a cut network. */
  linkDown(): Promise<void>;
  linkUp(): Promise<void>;
  /** Kills what runs inside, deletes the namespace and the veth pair. Idempotent. */
  remove(): Promise<void>;
}

/** /30 subnets in 10.231.0.0/16. */
const SUBNETS = 16384;
const LINK_UP_TIMEOUT_MS = 5000;
const KILL_TIMEOUT_MS = 5000;

const execFileAsync = promisify(execFile);

/** iproute2's `ip`, by absolute path so that a caller's `env` (PATH) in spawn options cannot hide it. */
const ipCommand = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((candidate) => {
  try {
    accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

async function ip(...args: string[]): Promise<string> {
  if (!ipCommand) throw new Error('ip (iproute2) is not installed: apt-get install iproute2');
  return (await execFileAsync(ipCommand, args)).stdout;
}

/** Runs `ip`, treating "it is already gone" as success: removal must be idempotent and races with other runs' stale sweeps. */
async function ipIfPresent(...args: string[]): Promise<void> {
  try {
    await ip(...args);
  } catch (error) {
    if (!/Cannot find device|No such file or directory|does not exist|Invalid "netns" value/.test(String(error))) throw error;
  }
}

let support: NamespaceSupport | undefined;

/** Probes once (creates and deletes a scratch namespace with a veth pair): root and `ip` are needed. The reason is shown when tests skip. */
export function namespaceSupport(): NamespaceSupport {
  support ??= probe();
  return support;
}

function probe(): NamespaceSupport {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'network namespaces need root (ip netns add); CI runs the tests as root' };
  if (!ipCommand) return { ok: false, reason: 'ip (iproute2) is not installed: apt-get install iproute2' };
  const name = `ptns-${process.pid}-probe`;
  try {
    execFileSync(ipCommand, ['netns', 'add', name], { stdio: 'pipe' });
    try {
      // The veth module can be missing where namespaces work (some containers): probe what createNamespace needs.
      execFileSync(ipCommand, ['-n', name, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1'], { stdio: 'pipe' });
    } finally {
      execFileSync(ipCommand, ['netns', 'delete', name], { stdio: 'pipe' });
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `cannot create a network namespace with a veth pair: ${String(error).trim()}` };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILLs every process in namespace `name` until none is left (children of those killed included). */
async function killInside(name: string): Promise<void> {
  const deadline = Date.now() + KILL_TIMEOUT_MS;
  for (;;) {
    const pids = (await ip('netns', 'pids', name).catch(() => '')).split('\n').filter(Boolean).map(Number);
    if (pids.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(', ')} in namespace ${name} survived SIGKILL for ${KILL_TIMEOUT_MS} ms`);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Kills what runs in `name`, deletes the veths in it (which deletes their host ends now: left to the namespace's
 * teardown, they would linger in `ip link` for a while, since the kernel frees a namespace asynchronously),
 * then the namespace.
 */
async function teardown(name: string): Promise<void> {
  await killInside(name);
  const links = await ip('-n', name, '-o', 'link', 'show', 'type', 'veth').catch(() => '');
  for (const match of links.matchAll(/^\d+: ([^@:\s]+)/gm)) await ipIfPresent('-n', name, 'link', 'del', match[1]);
  await ipIfPresent('netns', 'delete', name);
}

/** Deletes the namespaces (and their veths and processes) of test processes that are gone: a killed run leaves them behind. */
async function removeStale(): Promise<void> {
  for (const line of (await ip('netns', 'list')).split('\n')) {
    const name = line.split(' ')[0];
    const owner = /^ptns-(\d+)-/.exec(name);
    if (owner && !alive(Number(owner[1]))) await teardown(name).catch(() => undefined);
  }
}

/** Namespaces not yet removed, deleted synchronously when the test process exits (a test that forgot remove()). */
const live = new Set<string>();
process.once('exit', () => {
  if (!ipCommand) return;
  for (const name of live) {
    const run = (...args: string[]): string => {
      try {
        return execFileSync(ipCommand, args, { stdio: 'pipe', encoding: 'utf8' });
      } catch {
        return '';
      }
    };
    for (const pid of run('netns', 'pids', name).split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    for (const match of run('-n', name, '-o', 'link', 'show', 'type', 'veth').matchAll(/^\d+: ([^@:\s]+)/gm)) run('-n', name, 'link', 'del', match[1]);
    run('netns', 'delete', name);
  }
});

let created = 0;

/** Creates a namespace with a veth pair and addresses of its own (a /30 per namespace, unique per call, in 10.231.0.0/16), loopback up inside. */
export async function createNamespace(label: string): Promise<Namespace> {
  const support = namespaceSupport();
  if (!support.ok) throw new Error(`network namespaces are not available here: ${support.reason}`);
  await removeStale();
  const name = `ptns-${process.pid}-${created++}`;
  await ip('netns', 'add', name);
  live.add(name);
  try {
    const subnet = await claimSubnet(name);
    const host = `ptv-${subnet}h`;
    const inner = `ptv-${subnet}n`;
    const base = subnet * 4;
    const prefix = `10.231.${base >> 8}`;
    const hostAddress = `${prefix}.${(base & 255) + 1}`;
    const namespaceAddress = `${prefix}.${(base & 255) + 2}`;
    // The alias is for a person reading `ip link`: which test made this link.
    await ip('link', 'set', host, 'alias', `parallel-tasks test ${label} (pid ${process.pid}, ${name})`);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', host);
    await ip('-n', name, 'addr', 'add', `${namespaceAddress}/30`, 'dev', inner);
    await ip('-n', name, 'link', 'set', 'lo', 'up');
    const namespace = new NetworkNamespace(name, hostAddress, namespaceAddress, host, inner);
    await namespace.linkUp();
    return namespace;
  } catch (error) {
    await teardown(name).catch(() => undefined);
    live.delete(name);
    throw error;
  }
}

/** Creates the veth pair of the first free subnet index, from a random start so that concurrent runs rarely meet. */
async function claimSubnet(name: string): Promise<number> {
  const start = Math.floor(Math.random() * SUBNETS);
  for (let i = 0; i < SUBNETS; i++) {
    const subnet = (start + i) % SUBNETS;
    try {
      // The peer is created directly inside the namespace, so neither end ever exists without it.
      await ip('link', 'add', `ptv-${subnet}h`, 'type', 'veth', 'peer', 'name', `ptv-${subnet}n`, 'netns', name);
      return subnet;
    } catch (error) {
      if (!/File exists/.test(String(error))) throw error;
    }
  }
  throw new Error('all 16384 test subnets in 10.231.0.0/16 are taken');
}

class NetworkNamespace implements Namespace {
  private readonly children = new Set<ChildProcess>();
  private removed: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly hostAddress: string,
    readonly namespaceAddress: string,
    private readonly hostLink: string,
    private readonly innerLink: string,
  ) {}

  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    if (this.removed) throw new Error(`namespace ${this.name} has been removed`);
    // `ip netns exec` enters the namespace and execs the command (no fork), so child.pid is the command's pid
    // and a signal to the child reaches the command itself.
    const child = spawn(ipCommand ?? 'ip', ['netns', 'exec', this.name, command, ...args], options);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    child.once('error', () => this.children.delete(child));
    return child;
  }

  async linkDown(): Promise<void> {
    await ip('link', 'set', this.hostLink, 'down');
    await ip('-n', this.name, 'link', 'set', this.innerLink, 'down');
  }

  /** Brings both ends up and resolves once both report the link up (the carrier), so traffic can flow. */
  async linkUp(): Promise<void> {
    await ip('link', 'set', this.hostLink, 'up');
    await ip('-n', this.name, 'link', 'set', this.innerLink, 'up');
    const deadline = Date.now() + LINK_UP_TIMEOUT_MS;
    for (;;) {
      const hostUp = readFileSync(path.join('/sys/class/net', this.hostLink, 'operstate'), 'utf8').trim() === 'up';
      const innerUp = /state UP/.test(await ip('-n', this.name, '-o', 'link', 'show', this.innerLink));
      if (hostUp && innerUp) return;
      if (Date.now() > deadline) throw new Error(`veth ${this.hostLink} of ${this.name} did not come up within ${LINK_UP_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  remove(): Promise<void> {
    this.removed ??= this.destroy();
    return this.removed;
  }

  private async destroy(): Promise<void> {
    const exits = [...this.children].map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of this.children) child.kill('SIGKILL');
    await killInside(this.name);
    // Our own children have been reaped once 'exit' fired: after remove() no ChildProcess of ours is pending.
    await Promise.all(exits);
    await teardown(this.name);
    live.delete(this.name);
  }
}
