/**
 * Turns a `"shell": true` command into a /bin/sh script in which the file
 * names are never part of the script text: `${file}` becomes `"${1}"` and
 * `${files}` becomes `"$@"`, and the names travel as the shell's positional
 * parameters (`sh -c SCRIPT sh NAME…`). A name is then expanded as data, so
 * `$(…)`, backticks, quotes, `;` or a newline in it never run; the only
 * question is whether the expansion stands where it is quoted, which is what
 * the scan below settles, refusing the places where it could not be.
 */

/** Where a position of the template stands, as /bin/sh reads it. */
type Context = 'bare' | 'double' | 'single' | 'ansi' | 'backtick' | 'arithmetic' | 'comment';

interface Frame {
  readonly context: Context;
  /** Parentheses opened inside this frame and not yet closed (a subshell, a `case` pattern's group, an arithmetic group). */
  parens: number;
  /** A `$(` frame ends at its unmatched `)`; the script's own top frame never ends. */
  readonly substitution: boolean;
}

export interface ShellTemplate {
  readonly script: string;
  readonly usesFile: boolean;
  readonly usesFiles: boolean;
}

/** Characters that end a shell word (besides the end of the text). */
const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

const PLACES: Readonly<Record<Exclude<Context, 'bare' | 'double' | 'comment'>, string>> = {
  single: 'inside single quotes, where nothing expands',
  ansi: "inside $'…' quotes",
  backtick: 'inside backticks (use $(…) instead)',
  arithmetic: 'inside $((…))',
};

/**
 * Compiles the template, or throws an Error saying which placeholder stands
 * where it cannot be expanded safely (the caller adds the task's name).
 */
export function compileShellTemplate(template: string): ShellTemplate {
  const stack: Frame[] = [{ context: 'bare', parens: 0, substitution: false }];
  let script = '';
  let usesFile = false;
  let usesFiles = false;
  let i = 0;
  const top = (): Frame => stack[stack.length - 1] as Frame;
  const push = (context: Context, substitution = false): void => {
    stack.push({ context, parens: 0, substitution });
  };
  const copy = (n: number): void => {
    script += template.slice(i, i + n);
    i += n;
  };

  while (i < template.length) {
    const frame = top();
    const c = template[i] as string;
    const placeholder = template.startsWith('${files}', i) ? '${files}' : template.startsWith('${file}', i) ? '${file}' : undefined;

    if (placeholder && frame.context !== 'comment') {
      if (frame.context !== 'bare' && frame.context !== 'double') {
        throw new Error(`${placeholder} stands ${PLACES[frame.context]}: placeholders must stand outside quotes (the file names are quoted for you)`);
      }
      if (placeholder === '${files}') {
        if (frame.context === 'double') throw new Error('${files} stands inside double quotes: it must stand outside quotes, as a word of its own (the file names are quoted for you)');
        const before = i === 0 ? ' ' : (template[i - 1] as string);
        const after = template[i + placeholder.length] ?? ' ';
        if (!WORD_BREAK.has(before) || !WORD_BREAK.has(after)) {
          throw new Error('${files} must be a word of its own (it becomes one argument per file); to glue text to a name, use ${file}');
        }
        script += '"$@"';
        usesFiles = true;
      } else {
        // Braces keep a digit after it from reading as part of the number ($10 is ${1}0).
        script += frame.context === 'double' ? '${1}' : '"${1}"';
        usesFile = true;
      }
      i += placeholder.length;
      continue;
    }

    switch (frame.context) {
      case 'single':
        if (c === "'") stack.pop();
        copy(1);
        break;
      case 'comment':
        if (c === '\n') stack.pop();
        copy(1);
        break;
      case 'ansi':
      case 'backtick':
        if (c === '\\') copy(2);
        else {
          if ((frame.context === 'ansi' && c === "'") || (frame.context === 'backtick' && c === '`')) stack.pop();
          copy(1);
        }
        break;
      case 'arithmetic':
        if (c === '(') frame.parens++;
        if (c === ')' && frame.parens > 0) frame.parens--;
        else if (template.startsWith('))', i)) {
          stack.pop();
          copy(2);
          break;
        }
        copy(1);
        break;
      case 'double':
        if (c === '\\') copy(2);
        else if (c === '"') {
          stack.pop();
          copy(1);
        } else if (!openExpansion()) copy(1);
        break;
      case 'bare':
        if (c === '\\') copy(2);
        else if (c === "'") {
          push('single');
          copy(1);
        } else if (c === '"') {
          push('double');
          copy(1);
        } else if (template.startsWith("$'", i)) {
          push('ansi');
          copy(2);
        } else if (c === '#' && (i === 0 || WORD_BREAK.has(template[i - 1] as string))) {
          push('comment');
          copy(1);
        } else if (c === '(') {
          frame.parens++;
          copy(1);
        } else if (c === ')') {
          if (frame.parens > 0) frame.parens--;
          else if (frame.substitution) stack.pop();
          copy(1);
        } else if (!openExpansion()) copy(1);
        break;
    }
  }
  // A comment may run to the end of the text.
  if (top().context === 'comment') stack.pop();
  if (stack.length > 1) throw new Error(`unterminated ${describe(top().context)}`);
  return { script, usesFile, usesFiles };

  /** `$$`, `$((`, `$(` and a backtick, which mean the same in bare words and inside double quotes. */
  function openExpansion(): boolean {
    if (template.startsWith('$$', i)) copy(2);
    else if (template.startsWith('$((', i)) {
      push('arithmetic');
      copy(3);
    } else if (template.startsWith('$(', i)) {
      // What runs inside $(…) is a script of its own: quoting starts afresh there.
      push('bare', true);
      copy(2);
    } else if (template[i] === '`') {
      push('backtick');
      copy(1);
    } else return false;
    return true;
  }
}

function describe(context: Context): string {
  switch (context) {
    case 'single':
    case 'ansi':
      return 'single quote';
    case 'double':
      return 'double quote';
    case 'backtick':
      return 'backtick';
    case 'arithmetic':
      return '$((';
    default:
      return '$(';
  }
}
