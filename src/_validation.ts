/**
 * A value as one line: line breaks and other control characters written as escapes (`\n`, `\u0007`),
 * so that a key or name holding them cannot split a problem over lines or fake another problem.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, c => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
const ESCAPES: { [c: string]: string } = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Collects rule violations of one component so they can be reported together.
 * Nothing here is exported from the package index.
 */
export class ProblemList {
  private readonly problems: string[] = [];

  /** Records a violated rule: `where` names the prop, `rule` says what is wrong, `fix` how to repair it. */
  public add(where: string, rule: string, fix: string): void {
    this.problems.push(oneLine(`[${where}] ${rule}. Fix: ${fix}.`));
  }

  /** Records a problem already worded as rule plus fix (for example by a preset). */
  public addRaw(where: string, text: string): void {
    this.problems.push(oneLine(`[${where}] ${text}`));
  }

  /** Number of problems recorded so far. */
  public get size(): number {
    return this.problems.length;
  }

  /**
   * Throws one error listing every problem, naming the component (`describe` is called only then:
   * a component's description spells its construct path); does nothing when there are none.
   */
  public throwIfAny(describe: () => string): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length === 1 ? '1 problem' : `${this.problems.length} problems`;
    throw new Error(`${oneLine(describe())} has ${count}:\n${this.problems.map(p => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Records a problem at `where` when `value` is given and is none of the values of the enum `enumName`
 * (`enumObject`): a caller in plain JavaScript or another jsii language can pass any string. Returns
 * whether the value is fine (omitted or a member), so that rules reading it can stop.
 */
export function checkEnumValue(where: string, value: unknown, enumObject: object, enumName: string, what: string, problems: ProblemList): boolean {
  const values = Object.values(enumObject) as unknown[];
  if (value === undefined || values.includes(value)) return true;
  problems.add(where, `${typeof value === 'string' ? `'${value}'` : String(value)} is not ${what}`, `use one of ${values.join(', ')} (${enumName} enum)`);
  return false;
}
