import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { JobResult, JobSpec } from '../core/engine';
import type { PlannedJob } from '../core/job-planner';
import type { RunState } from '../core/run-state';
import type { AnyTaskKind, ExternalRun } from '../core/task-api';
import { loadEngine } from './load-engine';
import type { PoolManager } from './pool';
import type { RunTarget } from './run-types';
import { readSettings, type Settings } from './settings';
import { openDocumentSources } from './transform-edits';
import { queuePasswordKey } from './queue-password';
import type { QueueExecutor, QueueStatus } from '../queue/queue-executor';

export interface FolderRunContext {
  readonly pool: PoolManager;
  readonly log: vscode.LogOutputChannel;
  /** Where result caches live: the extension's workspace storage. */
  readonly storage: vscode.Uri;
  /** Our own worker bundle: its hash is part of every cache key, so a new version of the extension invalidates every cached result. */
  readonly workerScript: string;
  /** Where the queue's password is kept (see queue-password.ts). */
  readonly secrets: vscode.SecretStorage;
}

export interface FolderJob {
  readonly kind: AnyTaskKind;
  /** Parsed by the kind's schema. */
  readonly options: unknown;
  readonly target: RunTarget;
  readonly state: RunState<unknown>;
  readonly signal: AbortSignal;
  /** Called once the folder has something to run, before anything runs (the view follows this folder from then). */
  readonly begin: () => void;
  /** With a queue: the workers that serve it, as they come and go. */
  readonly onRemote?: (status: QueueStatus) => void;
  /** The paths are files a folder walk takes, checked again because they changed (keep-current.ts); a gone one is no error. */
  readonly asWalked?: boolean;
  /**
   * A pass that keeps Problems current, where time counts: the result cache is left out (a few files just
   * saved are not in it, and its keys cost a fresh ESLint in this process that loads the config, where the
   * warm workers have it), config stamps are compared after the pass (PoolManager.configsChanged), and it
   * runs here, not through a queue.
   */
  readonly quick?: boolean;
}

/**
 * Plans and runs a job over one workspace folder with the folder's settings,
 * through the planner the CLI uses too; undefined (logged) when the folder has
 * nothing to run (a custom task it does not define).
 */
export class FolderRunner {
  private engineBuild: string | undefined;

  constructor(private readonly context: FolderRunContext) {}

  async run(job: FolderJob): Promise<{ result: JobResult<unknown>; settings: Settings } | undefined> {
    const { kind, options, target } = job;
    const settings = readSettings(target.folder.uri);
    const root = target.folder.uri.fsPath;
    let external: ExternalRun | undefined;
    if (kind.external) {
      const prepared = await kind.external(options, root);
      if ('skip' in prepared) {
        this.context.log.warn(`${target.folder.name} has ${prepared.skip}; skipped`);
        return undefined;
      }
      external = prepared;
    }
    job.begin();
    const engine = loadEngine();
    let queue: QueueExecutor | undefined;
    try {
      const plan = engine.planJob({
        kind,
        options,
        root,
        paths: target.paths,
        include: settings.include,
        exclude: settings.exclude,
        gitignore: settings.useGitignore,
        maxFileSize: settings.maxFileSize,
        // Settings and panel messages name these paths, not a person at a prompt: never leave the folder.
        confine: true,
        // A selection that matches nothing is an error; a whole folder without such files is counted by the caller.
        failOnUnmatched: target.paths.length > 0 && job.asWalked !== true,
        ...(target.only ? { only: target.only } : {}),
        asWalked: job.asWalked,
        workers: settings.workers,
        isolation: settings.isolation(kind.isolation(options).setting, kind.isolation(options).fallback),
        fileTimeoutMs: settings.fileTimeoutMs,
        batchBytes: settings.batchBytes,
        external,
      });
      const cache = settings.cache && job.quick !== true ? await this.cacheFor(plan, target.folder) : undefined;
      queue = settings.queueUrl && job.quick !== true ? await this.openQueue(plan, settings, job, cache?.keyFor) : undefined;
      const shared = queue?.sharedCache();
      const executor = queue ?? plan.external?.executor ?? (await this.context.pool.acquire(plan.workers, plan.isolation, [root], plan.heapCapMb, job.quick !== true));
      const spec: JobSpec = {
        ...plan.spec,
        signal: job.signal,
        sources: plan.unsavedText ? openDocumentSources() : undefined,
        // Through a queue, what this machine's cache misses is asked of the queue's shared cache.
        cache: cache && shared ? { ...cache, shared } : cache,
        // Workers that each need much memory (type-aware lint): no more than fit, in a pool made for the run.
        ...(plan.workerMemory && !queue && !plan.external ? { memoryFit: { estimate: plan.workerMemory, fewerWorkers: (workers: number, heapMb: number) => this.context.pool.forOneRun(workers, plan.isolation, heapMb) } } : {}),
      };
      return { result: await engine.runJob<unknown>(executor, spec, job.state), settings };
    } finally {
      await queue?.terminate();
      if (external) {
        for (const failure of external.failures()) this.context.log.error(failure);
        await external.executor.terminate();
      }
    }
  }

  /**
   * The run's executor when `parallelTasks.queue.url` is set: batches go to the queue's workers, with the
   * password from secret storage. A custom task's command runs on the workers, from their checkout's definition.
   */
  private async openQueue(plan: PlannedJob, settings: Settings, job: FolderJob, cacheKeys: ((file: string) => Promise<string>) | undefined): Promise<QueueExecutor> {
    const { loadQueue, cacheKeyFor, sha256 } = loadEngine();
    const { parseQueueUrl, QueueExecutor, DEFAULT_PREFIX } = await loadQueue();
    if (/\/\/[^/]*@/.test(settings.queueUrl)) throw new Error(vscode.l10n.t('parallelTasks.queue.url must not hold a password: use Parallel Tasks: Set Queue Password'));
    const bare = parseQueueUrl(settings.queueUrl, { insecure: true });
    // The password belongs to the host it was set for: a URL changed to another host never receives it.
    const password = await this.context.secrets.get(queuePasswordKey(bare.display));
    const connection = parseQueueUrl(settings.queueUrl, password ? { password } : {});
    this.engineBuild ??= sha256(await readFile(this.context.workerScript));
    const root = plan.spec.root;
    // The cache's own keys when it is on: the tool's config is then loaded once, not twice.
    const keyFor = cacheKeys ?? (plan.kind.cache ? await cacheKeyFor(plan.kind, plan.options, root, this.engineBuild) : undefined);
    this.context.log.info(`${plan.kind.title} of ${root} goes through the queue at ${connection.display}`);
    return QueueExecutor.open({
      connection,
      prefix: DEFAULT_PREFIX,
      root,
      kind: plan.kind,
      engineBuild: this.engineBuild,
      ...(keyFor ? { keyFor } : {}),
      fileTimeoutMs: settings.fileTimeoutMs,
      queueTimeoutMs: settings.queueTimeoutMs,
      log: (line) => this.context.log.warn(line),
      ...(job.onRemote ? { onStatus: job.onRemote } : {}),
      signal: job.signal,
    });
  }

  private async cacheFor(plan: PlannedJob, folder: vscode.WorkspaceFolder): Promise<JobSpec['cache']> {
    if (!plan.cacheable || !plan.kind.cache) return undefined;
    const { ResultCache, sha256, cacheKeyFor, cacheFileName } = loadEngine();
    this.engineBuild ??= sha256(await readFile(this.context.workerScript));
    const engineBuild = this.engineBuild;
    const file = vscode.Uri.joinPath(this.context.storage, 'cache', cacheFileName(plan.kind.name, folder.uri.toString(), plan.options)).fsPath;
    const store = await ResultCache.open(file, plan.kind.cache.value);
    if (store.discarded) this.context.log.warn(store.discarded);
    return { store, keyFor: await cacheKeyFor(plan.kind, plan.options, folder.uri.fsPath, engineBuild) };
  }
}
