import * as l10n from '@vscode/l10n';
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
    refuseSecondShell(command[0] ?? '');
    const template = compileShellTemplate(command[0] ?? '');
    if (!template.usesFile && !template.usesFiles) throw new Error(l10n.t('"command" needs ${file} or ${files} outside quotes'));
    // The names are the shell's positional parameters; "sh" is its $0, the name it gives in its own error messages.
    return { perFile: template.usesFile, argv: (names) => ['/bin/sh', '-c', template.script, 'sh', ...names] };
  }
  refuseShellScriptArgument(command);
  const glued = command.find((arg) => arg.includes('${files}') && arg !== '${files}');
  if (glued !== undefined) throw new Error(l10n.t('${files} must be an argument of its own (it becomes one argument per file), not part of "{0}"; use ${file} to glue text to a name', glued));
  const usesFile = command.some((arg) => arg.includes('${file}'));
  if (!usesFile && !command.includes('${files}')) throw new Error(l10n.t('"command" needs ${file} or ${files}'));
  return {
    perFile: usesFile,
    argv: (names) =>
      command.flatMap((arg) => {
        if (arg === '${files}') return [...names];
        // A function, not a string: in a replacement string `$&`, `$'` and `$\`` in a file name would be patterns.
        return [arg.replaceAll('${file}', () => names[0] ?? '')];
      }),
  };
}

/**
 * A shell or `eval` that receives a name as its script: `sh -c "cat ${file}"`,
 * `bash -c ${file}`, `eval echo ${file}`. However the name is quoted for the
 * first shell, the second one reads it as code, so a file named
 * `$(touch PWNED)` would run. Such templates are refused; a script that needs
 * the names gets them as its own arguments (`sh -c 'cat "$@"' sh ${files}`).
 */
const SECOND_SHELL = /(?:^|[\s;&|(`"'])(?:eval|(?:ba|da|z|k|mk|fi)?sh\s+(?:-[a-z]+\s+)*-[a-z]*c[a-z]*)(?=[\s"']|$)/;

function refuseSecondShell(text: string): void {
  const match = SECOND_SHELL.exec(text);
  if (!match) return;
  const rest = text.slice(match.index + match[0].length);
  // The idiom that is safe: the script in single quotes, the names after it as arguments.
  const script = /^\s*'[^']*'/.exec(rest);
  const inScript = script ? script[0] : rest;
  if (inScript.includes('${file}') || inScript.includes('${files}')) {
    throw new Error(l10n.t('"{0}" would read the file names as code: pass them as arguments instead (e.g. sh -c \'cat "$@"\' sh ${files})', match[0].trim()));
  }
}

const SHELL_PROGRAM = /^(?:.*\/)?(?:ba|da|z|k|mk|fi)?sh$/;

/** Without our shell: `["bash", "-c", "cat ${file}"]` hands the name to a shell as script text all the same. */
function refuseShellScriptArgument(argv: readonly string[]): void {
  if (!SHELL_PROGRAM.test(argv[0] ?? '')) return;
  const flag = argv.findIndex((arg, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(arg));
  const script = flag < 0 ? undefined : argv[flag + 1];
  if (script !== undefined && (script.includes('${file}') || script.includes('${files}'))) {
    throw new Error(l10n.t('the script given to {0} {1} would read the file names as code: pass them as arguments after it instead (e.g. ["sh", "-c", "cat \\"$@\\"", "sh", "${files}"])', argv[0] ?? '', argv[flag] ?? ''));
  }
}
