import { GuardInputError } from './load';
import { GuardRule } from './report';
import { describeValue } from './shape';

/** One acknowledgement: a rule, for every component or for one. */
export interface AllowEntry {
  readonly rule: GuardRule;
  /** `name` or `namespace/name`; undefined for every component. */
  readonly component?: string;
}

const RULE_IDS = Object.values(GuardRule) as string[];

const ALLOW_FORMS = '<rule>, <rule>:<component> or <rule>:<namespace>/<component>';

/**
 * Parses `<rule>`, `<rule>:<component>` or `<rule>:<namespace>/<component>`. `entries` comes from the CLI
 * or from `GuardOptions.allow`, which callers in any jsii language can fill with anything.
 */
export function parseAllow(entries: readonly string[]): AllowEntry[] {
  if (!Array.isArray(entries)) {
    const wrap = typeof entries === 'string' ? `: put the entry in a list, e.g. allow: [${JSON.stringify(entries)}]` : ` (each entry ${ALLOW_FORMS})`;
    throw new GuardInputError(`allow (GuardOptions.allow) must be a list of strings, got ${describeValue(entries)}${wrap}`);
  }
  entries.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string') {
      throw new GuardInputError(`allow[${i}] (GuardOptions.allow) must be a string (${ALLOW_FORMS}), got ${describeValue(entry)}; `
        + `valid rules: ${RULE_IDS.join(', ')}`);
    }
  });
  return entries.map(entry => {
    const [rule, ...rest] = entry.trim().split(':');
    const component = rest.join(':');
    if (!RULE_IDS.includes(rule)) {
      throw new GuardInputError(`--allow ${entry}: unknown rule '${rule}'; valid rules: ${RULE_IDS.join(', ')}`);
    }
    if (rest.length > 0 && component === '') {
      throw new GuardInputError(`--allow ${entry}: missing component after ':' (use ${rule}:<component> or ${rule}:<namespace>/<component>)`);
    }
    return { rule: rule as GuardRule, component: component || undefined };
  });
}

/** Whether a finding of `rule` on the component is acknowledged. */
export function isAllowed(allow: readonly AllowEntry[], rule: GuardRule, namespace: string, component: string): boolean {
  return allow.some(a => a.rule === rule
    && (a.component === undefined || a.component === component || a.component === `${namespace}/${component}`));
}
