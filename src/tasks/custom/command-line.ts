import { compileShellTemplate } from './shell-template';

/** A task's command, checked once: the program's argument vector for a batch of file names. */
export interface CommandLine {
  /** `${file}` appears: the program takes one file per invocation. */
  readonly perFile: boolean;
  argv(names: readonly string[]): string[];
}

/**
 * Checks where `${file}` and `${files}` stand and returns how to fill them
 * in, or throws an Error saying what is wrong (the caller names the task).
 * Without a shell each element is one argument: `${files}` must be an element
 * of its own (it becomes one argument per file; glued to text it would be
 * ambiguous), `${file}` may stand inside a larger one (`--file=${file}`).
 */
export function compileCommandLine(command: readonly string[], shell: boolean): CommandLine {
  if (shell) {
    const template = compileShellTemplate(command[0] ?? '');
    if (!template.usesFile && !template.usesFiles) throw new Error('"command" needs ${file} or ${files} outside quotes');
    // The names are the shell's positional parameters; "sh" is its $0, the name it gives in its own error messages.
    return { perFile: template.usesFile, argv: (names) => ['/bin/sh', '-c', template.script, 'sh', ...names] };
  }
  const glued = command.find((arg) => arg.includes('${files}') && arg !== '${files}');
  if (glued !== undefined) throw new Error(`\${files} must be an argument of its own (it becomes one argument per file), not part of "${glued}"; use \${file} to glue text to a name`);
  const usesFile = command.some((arg) => arg.includes('${file}'));
  if (!usesFile && !command.includes('${files}')) throw new Error('"command" needs ${file} or ${files}');
  return {
    perFile: usesFile,
    argv: (names) =>
      command.flatMap((arg) => {
        if (arg === '${files}') return [...names];
        return [arg.replaceAll('${file}', names[0] ?? '')];
      }),
  };
}
