/**
 * Turns a `"shell": true` command into a /bin/sh script in which the file
 * names are never part of the script text: `${file}` becomes `"${1}"` and
 * `${files}` becomes `"$@"`, and the names travel as the shell's positional
 * parameters (`sh -c SCRIPT sh NAME…`). A name is then expanded as data, so
 * `$(…)`, backticks, quotes, `;` or a newline in it never run; the only
 * question is whether the expansion stands where it is quoted, which is what
 * the scan below settles, refusing the places where it could not be.
 */

import * as l10n from '@vscode/l10n';

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

/** A placeholder where its expansion would not stay quoted: one whole sentence per place. */
function misplaced(placeholder: string, context: Exclude<Context, 'bare' | 'double' | 'comment'>): string {
  switch (context) {
    case 'single':
      return l10n.t('{0} stands inside single quotes, where nothing expands: placeholders must stand outside quotes (the file names are quoted for you)', placeholder);
    case 'ansi':
      return l10n.t("{0} stands inside $'…' quotes: placeholders must stand outside quotes (the file names are quoted for you)", placeholder);
    case 'backtick':
      return l10n.t('{0} stands inside backticks (use $(…) instead): placeholders must stand outside quotes (the file names are quoted for you)', placeholder);
    case 'arithmetic':
      return l10n.t('{0} stands inside $((…)): placeholders must stand outside quotes (the file names are quoted for you)', placeholder);
  }
}

/**
 * Compiles the template, or throws an Error saying which placeholder stands
 * where it cannot be expanded safely (the caller adds the task's name).
 */
export function compileShellTemplate(template: string): ShellTemplate {
  return new ShellScan(template).run();
}

/**
 * One left-to-right pass over the template with a stack of quoting contexts:
 * each character is copied to the script, except placeholders, which are
 * replaced by the positional parameters they stand for.
 */
class ShellScan {
  private readonly stack: Frame[] = [{ context: 'bare', parens: 0, substitution: false }];
  private script = '';
  private usesFile = false;
  private usesFiles = false;
  private i = 0;

  constructor(private readonly template: string) {}

  run(): ShellTemplate {
    while (this.i < this.template.length) {
      const frame = this.top();
      const placeholder = this.template.startsWith('${files}', this.i) ? '${files}' : this.template.startsWith('${file}', this.i) ? '${file}' : undefined;
      if (placeholder && frame.context !== 'comment') this.substitute(placeholder, frame.context);
      else this.step(frame, this.template[this.i] as string);
    }
    // A comment may run to the end of the text.
    if (this.top().context === 'comment') this.stack.pop();
    if (this.stack.length > 1) throw new Error(unterminated(this.top().context));
    return { script: this.script, usesFile: this.usesFile, usesFiles: this.usesFiles };
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1] as Frame;
  }

  private push(context: Context, substitution = false): void {
    this.stack.push({ context, parens: 0, substitution });
  }

  private copy(n: number): void {
    this.script += this.template.slice(this.i, this.i + n);
    this.i += n;
  }

  /** Replaces a placeholder by `"${1}"` or `"$@"`, or refuses it where its expansion would not stay quoted. */
  private substitute(placeholder: '${file}' | '${files}', context: Exclude<Context, 'comment'>): void {
    if (context !== 'bare' && context !== 'double') {
      throw new Error(misplaced(placeholder, context));
    }
    if (placeholder === '${files}') {
      if (context === 'double') throw new Error(l10n.t('${files} stands inside double quotes: it must stand outside quotes, as a word of its own (the file names are quoted for you)'));
      const before = this.i === 0 ? ' ' : (this.template[this.i - 1] as string);
      const after = this.template[this.i + placeholder.length] ?? ' ';
      if (!WORD_BREAK.has(before) || !WORD_BREAK.has(after)) {
        throw new Error(l10n.t('${files} must be a word of its own (it becomes one argument per file); to glue text to a name, use ${file}'));
      }
      this.script += '"$@"';
      this.usesFiles = true;
    } else {
      // Braces keep a digit after it from reading as part of the number ($10 is ${1}0).
      this.script += context === 'double' ? '${1}' : '"${1}"';
      this.usesFile = true;
    }
    this.i += placeholder.length;
  }

  /** Copies the character at the scan position (or the few that belong together), opening and closing contexts. */
  private step(frame: Frame, c: string): void {
    switch (frame.context) {
      case 'single':
      case 'comment':
        if (c === (frame.context === 'single' ? "'" : '\n')) this.stack.pop();
        this.copy(1);
        break;
      case 'ansi':
      case 'backtick':
        if (c === '\\') this.copy(2);
        else {
          if ((frame.context === 'ansi' && c === "'") || (frame.context === 'backtick' && c === '`')) this.stack.pop();
          this.copy(1);
        }
        break;
      case 'arithmetic':
        this.stepArithmetic(frame, c);
        break;
      case 'double':
        if (c === '\\') this.copy(2);
        else if (c === '"') {
          this.stack.pop();
          this.copy(1);
        } else if (!this.openExpansion()) this.copy(1);
        break;
      case 'bare':
        this.stepBare(frame, c);
        break;
    }
  }

  private stepArithmetic(frame: Frame, c: string): void {
    if (c === '(') frame.parens++;
    if (c === ')' && frame.parens > 0) frame.parens--;
    else if (this.template.startsWith('))', this.i)) {
      this.stack.pop();
      this.copy(2);
      return;
    }
    this.copy(1);
  }

  private stepBare(frame: Frame, c: string): void {
    if (c === '\\') this.copy(2);
    else if (c === "'") {
      this.push('single');
      this.copy(1);
    } else if (c === '"') {
      this.push('double');
      this.copy(1);
    } else if (this.template.startsWith("$'", this.i)) {
      this.push('ansi');
      this.copy(2);
    } else if (c === '#' && (this.i === 0 || WORD_BREAK.has(this.template[this.i - 1] as string))) {
      this.push('comment');
      this.copy(1);
    } else if (c === '(') {
      frame.parens++;
      this.copy(1);
    } else if (c === ')') {
      if (frame.parens > 0) frame.parens--;
      else if (frame.substitution) this.stack.pop();
      this.copy(1);
    } else if (!this.openExpansion()) this.copy(1);
  }

  /** `$$`, `$((`, `$(` and a backtick, which mean the same in bare words and inside double quotes. */
  private openExpansion(): boolean {
    if (this.template.startsWith('$$', this.i)) this.copy(2);
    else if (this.template.startsWith('$((', this.i)) {
      this.push('arithmetic');
      this.copy(3);
    } else if (this.template.startsWith('$(', this.i)) {
      // What runs inside $(…) is a script of its own: quoting starts afresh there.
      this.push('bare', true);
      this.copy(2);
    } else if (this.template[this.i] === '`') {
      this.push('backtick');
      this.copy(1);
    } else return false;
    return true;
  }
}

/** The template ends inside a quote or substitution: which one, in a whole sentence. */
function unterminated(context: Context): string {
  switch (context) {
    case 'single':
    case 'ansi':
      return l10n.t('unterminated single quote');
    case 'double':
      return l10n.t('unterminated double quote');
    case 'backtick':
      return l10n.t('unterminated backtick');
    case 'arithmetic':
      return l10n.t('unterminated $((');
    default:
      return l10n.t('unterminated $(');
  }
}
