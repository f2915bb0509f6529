/**
 * Which tool produced a result: its version, whether it is the project's own
 * copy or the one we bundle, and the config file it used. Reports name it, so
 * that a result can be traced to the ESLint or Prettier that made it.
 */
export interface ToolInfo {
  readonly name: string;
  readonly version: string;
  readonly source: 'workspace' | 'bundled';
  /** Absolute path of the config file, absent when the tool ran with its (or our) defaults. */
  readonly config?: string;
}

/** The tool with its config file's path passed through `map` (see TaskKind.mapValuePaths). */
export function mapToolPaths(tool: ToolInfo, map: (file: string) => string): ToolInfo {
  return tool.config ? { ...tool, config: map(tool.config) } : tool;
}

/** The tools behind a run's results, each distinct one once, most used first. */
export function distinctTools(tools: readonly (ToolInfo | undefined)[]): ToolInfo[] {
  const counts = new Map<string, { tool: ToolInfo; count: number }>();
  for (const tool of tools) {
    if (!tool) continue;
    const key = `${tool.name}\n${tool.version}\n${tool.source}\n${tool.config ?? ''}`;
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { tool, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count).map((e) => e.tool);
}

/** "ESLint 9.39.1 (the project's own) with eslint.config.mjs", for summaries. */
export function describeTool(tool: ToolInfo, relative: (file: string) => string): string {
  const origin = tool.source === 'workspace' ? "the project's own" : 'bundled';
  return `${tool.name} ${tool.version} (${origin}) with ${tool.config ? relative(tool.config) : 'its default config'}`;
}
