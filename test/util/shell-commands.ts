/**
 * A small reader of the POSIX shell the presets render: finds every command a
 * script runs (at the start of a line, after `;`, `&&`, `||`, `|`, `&`, `(`,
 * `{`, `!`, the keywords `if`/`then`/`do`/…, inside `$(…)`, backticks, `${…:-$(…)}`,
 * `$((…))`, `trap` strings and after `exec`/`command`/`timeout`/`nohup`), with its
 * arguments, and every file a redirection writes. Heredoc bodies are not
 * commands (only their `$(…)` are). It does not execute anything.
 */

/** One simple command. */
export interface ShellCommand {
  /** The command word (literal), e.g. `redis-cli`. */
  readonly name: string;
  /** Its arguments as written, quotes removed (expansions kept, e.g. `$RUN_DIR/x`). */
  readonly args: string[];
  /** Files written by `>` / `>>` redirections of this command. */
  readonly writes: string[];
}

/** Commands of the shell itself (POSIX special and regular built-ins shared by dash and bash). */
export const SHELL_BUILTINS = new Set([
  ':', '.', '[', 'alias', 'bg', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false',
  'fg', 'getopts', 'hash', 'jobs', 'kill', 'local', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift',
  'source', 'test', 'times', 'trap', 'true', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait',
]);

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time', 'in']);
const SEPARATORS = new Set([';', '&', '|', '&&', '||', '(', ')', ';;', '\n', '|&']);

type Token = { kind: 'word'; text: string; literal: boolean } | { kind: 'op'; text: string } | { kind: 'redir'; text: string };

/**
 * Commands of `script`, including those inside substitutions; calls of
 * functions the script defines are left out unless `withFunctionCalls`.
 */
export function shellCommands(script: string, withFunctionCalls = false): ShellCommand[] {
  const functions = new Set<string>();
  for (const m of script.matchAll(/(?:^|[\s;&|({])([A-Za-z_][A-Za-z0-9_-]*)\s*\(\)\s*\{/g)) functions.add(m[1]);
  const out: ShellCommand[] = [];
  const queue = [script];
  while (queue.length > 0) {
    const text = queue.shift()!;
    const { tokens, nested } = tokenize(text);
    queue.push(...nested);
    for (const c of commandsOf(tokens, queue)) {
      if (withFunctionCalls || !functions.has(c.name)) out.push(c);
    }
  }
  return out;
}

/** Splits shell text into words, operators and redirections; collects the code inside substitutions. */
function tokenize(text: string): { tokens: Token[]; nested: string[] } {
  const tokens: Token[] = [];
  const nested: string[] = [];
  const heredocs: { delim: string; strip: boolean; quoted: boolean }[] = [];
  let i = 0;
  let word = '';
  let inWord = false;
  let literal = true;
  const flush = () => {
    if (inWord) tokens.push({ kind: 'word', text: word, literal });
    word = '';
    inWord = false;
    literal = true;
  };
  /** Index just past the `close` that matches the opener before `from` (quotes respected). */
  const matching = (from: number, open: string, close: string): number => {
    let depth = 1;
    let j = from;
    while (j < text.length && depth > 0) {
      const ch = text[j];
      if (ch === '\\') { j += 2; continue; }
      if (ch === '\'') { j = text.indexOf('\'', j + 1) + 1 || text.length; continue; }
      if (ch === '"') { j = skipDouble(text, j + 1); continue; }
      if (text.startsWith(open, j)) depth++;
      else if (text.startsWith(close, j)) depth--;
      j += depth === 0 ? close.length : 1;
    }
    return j;
  };
  /** Handles `$…` at text[i]; returns the new index. Adds command substitutions to `nested`. */
  const dollar = (at: number): number => {
    if (text.startsWith('$((', at)) {
      const end = matching(at + 3, '((', '))');
      scanForSubstitutions(text.slice(at + 3, end - 2), nested);
      return end;
    }
    if (text.startsWith('$(', at)) {
      const end = matching(at + 2, '(', ')');
      nested.push(text.slice(at + 2, end - 1));
      return end;
    }
    if (text.startsWith('${', at)) {
      const end = matching(at + 2, '{', '}');
      scanForSubstitutions(text.slice(at + 2, end - 1), nested);
      return end;
    }
    return at + 1;
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '\n') { i += 2; continue; }
    if (ch === '\\') { word += text[i + 1] ?? ''; inWord = true; i += 2; continue; }
    if (ch === '\'') {
      const end = text.indexOf('\'', i + 1);
      word += text.slice(i + 1, end < 0 ? text.length : end);
      inWord = true;
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (ch === '"') {
      const end = skipDouble(text, i + 1);
      const body = text.slice(i + 1, end - 1);
      scanForSubstitutions(body, nested);
      if (/[$`]/.test(body)) literal = false;
      word += body.replace(/\\(["\\$`])/g, '$1');
      inWord = true;
      i = end;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      nested.push(text.slice(i + 1, end));
      word += text.slice(i, end + 1);
      inWord = true;
      literal = false;
      i = end + 1;
      continue;
    }
    if (ch === '$') {
      const end = dollar(i);
      word += text.slice(i, end);
      inWord = true;
      literal = false;
      i = end;
      continue;
    }
    if (ch === '#' && !inWord) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === ' ' || ch === '\t') { flush(); i++; continue; }
    if (ch === '\n') {
      flush();
      tokens.push({ kind: 'op', text: '\n' });
      i++;
      // heredoc bodies follow the line that opened them
      for (const h of heredocs.splice(0)) {
        const start = i;
        for (;;) {
          const eol = text.indexOf('\n', i);
          const line = text.slice(i, eol < 0 ? text.length : eol);
          i = eol < 0 ? text.length : eol + 1;
          if ((h.strip ? line.replace(/^\t+/, '') : line) === h.delim || eol < 0) break;
        }
        if (!h.quoted) scanForSubstitutions(text.slice(start, i), nested);
      }
      continue;
    }
    if (ch === '<' || ch === '>') {
      // a file-descriptor number right before the operator belongs to it
      let op = '';
      if (inWord && /^\d+$/.test(word)) { op = word; word = ''; inWord = false; } else {flush();}
      if (text.startsWith('<<', i) && text[i + 2] !== '<') {
        const m = /^<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(text.slice(i));
        if (m) {
          heredocs.push({ delim: m[3], strip: m[1] === '-', quoted: m[2] !== '' });
          i += m[0].length;
          continue;
        }
      }
      const m = /^(<>|>>|>\||<&|>&|<|>)(\d+|-)?/.exec(text.slice(i))!;
      op += m[0];
      i += m[0].length;
      tokens.push({ kind: 'redir', text: op });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['&&', '||', ';;', '|&'].includes(two)) { flush(); tokens.push({ kind: 'op', text: two }); i += 2; continue; }
    if (';&|()'.includes(ch)) { flush(); tokens.push({ kind: 'op', text: ch }); i++; continue; }
    word += ch;
    inWord = true;
    i++;
  }
  flush();
  return { tokens, nested };
}

/** Index just past the closing `"` of a double-quoted string starting at `from`. */
function skipDouble(text: string, from: number): number {
  let j = from;
  while (j < text.length && text[j] !== '"') {
    if (text[j] === '\\') {j++;} else if (text.startsWith('$(', j)) {
      let depth = 1;
      j += 2;
      while (j < text.length && depth > 0) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')') depth--;
        else if (text[j] === '"') j = skipDouble(text, j + 1) - 1;
        else if (text[j] === '\'') j = text.indexOf('\'', j + 1);
        j++;
      }
      continue;
    }
    j++;
  }
  return j + 1;
}

/** Adds the code of every `$(…)` (not `$((…))`) and backtick substitution in `text` to `nested`. */
function scanForSubstitutions(text: string, nested: string[]): void {
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$((', i)) { i += 3; continue; }
    if (text.startsWith('$(', i)) {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        const ch = text[j];
        if (ch === '\'') { j = text.indexOf('\'', j + 1) + 1 || text.length; continue; }
        if (ch === '"') { j = skipDouble(text, j + 1); continue; }
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        j++;
      }
      nested.push(text.slice(i + 2, j - 1));
      i = j;
      continue;
    }
    if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return;
      nested.push(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    i++;
  }
}

/** Groups tokens into simple commands, following `case`, `for`, function definitions, wrappers and `trap`. */
function commandsOf(tokens: Token[], nested: string[]): ShellCommand[] {
  const out: ShellCommand[] = [];
  const caseDepth: boolean[] = []; // true while reading patterns of the innermost case
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.kind === 'op') {
      if (t.text === ';;' && caseDepth.length > 0) caseDepth[caseDepth.length - 1] = true;
      i++;
      continue;
    }
    if (caseDepth.length > 0 && caseDepth[caseDepth.length - 1]) {
      if (t.kind === 'word' && t.text === 'esac') { caseDepth.pop(); i++; continue; }
      // a pattern list ends at `)`
      while (i < tokens.length && !(tokens[i].kind === 'op' && tokens[i].text === ')')) i++;
      caseDepth[caseDepth.length - 1] = false;
      i++;
      continue;
    }
    if (t.kind === 'word' && t.text === 'esac') { caseDepth.pop(); i++; continue; }
    if (t.kind === 'word' && t.text === 'case') {
      while (i < tokens.length && !(tokens[i].kind === 'word' && tokens[i].text === 'in')) i++;
      caseDepth.push(true);
      i++;
      continue;
    }
    if (t.kind === 'word' && t.text === 'for') {
      while (i < tokens.length && !(tokens[i].kind === 'word' && tokens[i].text === 'do')) i++;
      i++;
      continue;
    }
    if (t.kind === 'word' && RESERVED.has(t.text)) { i++; continue; }
    // function definition: name ( )
    if (t.kind === 'word' && tokens[i + 1]?.text === '(' && tokens[i + 2]?.text === ')') { i += 3; continue; }
    // one simple command up to the next separator
    const words: Token[] = [];
    const writes: string[] = [];
    while (i < tokens.length && !(tokens[i].kind === 'op' && SEPARATORS.has(tokens[i].text))) {
      const w = tokens[i];
      if (w.kind === 'redir') {
        const target = tokens[i + 1];
        const fdOnly = /[<>]&/.test(w.text);
        if (!fdOnly && target?.kind === 'word') {
          if (w.text.includes('>')) writes.push(target.text);
          i += 2;
        } else {
          i += 1;
        }
        continue;
      }
      if (w.kind === 'word' && w.text === '}' && words.length > 0) break;
      words.push(w);
      i++;
    }
    // assignments before the command word
    let k = 0;
    while (k < words.length && words[k].kind === 'word' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k].text)) k++;
    const rest = words.slice(k) as Array<Extract<Token, { kind: 'word' }>>;
    unwrap(rest, writes, out, nested);
  }
  return out;
}

/** Records the command of `words`, looking through `exec`, `command`, `nohup`, `timeout`, `env`, `trap`. */
function unwrap(words: Array<Extract<Token, { kind: 'word' }>>, writes: string[], out: ShellCommand[], nested: string[]): void {
  if (words.length === 0) {
    if (writes.length > 0) out.push({ name: ':', args: [], writes });
    return;
  }
  const [first, ...rest] = words;
  if (!first.literal) return; // "$@" or a variable: not a fixed command
  out.push({ name: first.text, args: rest.map(w => w.text), writes });
  const skipOptions = (ws: typeof rest) => {
    let j = 0;
    while (j < ws.length && ws[j].text.startsWith('-')) j++;
    return ws.slice(j);
  };
  switch (first.text) {
    case 'exec':
    case 'command':
    case 'nohup':
      unwrap(skipOptions(rest), [], out, nested);
      break;
    case 'timeout':
      unwrap(skipOptions(rest).slice(1), [], out, nested);
      break;
    case 'env': {
      const ws = skipOptions(rest);
      let j = 0;
      while (j < ws.length && ws[j].text.includes('=')) j++;
      unwrap(ws.slice(j), [], out, nested);
      break;
    }
    case 'trap':
      if (rest.length > 0) nested.push(rest[0].text);
      break;
    default:
  }
}

/**
 * Values of the variables a script assigns at the top of a line
 * (`NAME="${ENV:-default}"`, `NAME='literal'`, `NAME="$OTHER/x"`), expanded with
 * `env`; a value that depends on anything else is left out.
 */
export function scriptVariables(script: string, env: Record<string, string>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const m of script.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|([^\s;]*))\s*$/gm)) {
    const raw = m[3] ?? m[4] ?? m[5] ?? '';
    const value = m[4] !== undefined ? raw : expandVariables(raw, { ...env, ...vars }, env);
    if (value !== undefined) vars[m[1]] = value;
  }
  return vars;
}

/** Expands `$NAME`, `${NAME}` and `${NAME:-default}`; undefined when something stays unknown. */
export function expandVariables(text: string, vars: Record<string, string>, env: Record<string, string> = {}): string | undefined {
  let unknown = false;
  const value = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, hasDefault, def, plain) => {
    const name = braced ?? plain;
    const v = vars[name] ?? env[name];
    if (v !== undefined && v !== '') return v;
    if (hasDefault !== undefined) return def;
    unknown = true;
    return '';
  });
  return unknown || /[$`]/.test(value) ? undefined : value;
}
