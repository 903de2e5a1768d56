/**
 * Kubernetes `$(VAR)` expansion, as the kubelet applies it to env values,
 * command and args: `$(NAME)` is replaced when NAME is defined and kept
 * verbatim otherwise; `$$` is an escaped `$`; an unterminated `$(` is literal.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i += 1;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 2;
      } else {
        const name = input.slice(i + 2, close);
        const value = lookup(name);
        out += value === undefined ? `$(${name})` : value;
        i = close + 1;
      }
    } else {
      out += '$' + next;
      i += 2;
    }
  }
  return out;
}
