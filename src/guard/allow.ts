import { GuardInputError } from './load';
import { GuardRule } from './report';

/** One acknowledgement: a rule, for every component or for one. */
export interface AllowEntry {
  readonly rule: GuardRule;
  /** `name` or `namespace/name`; undefined for every component. */
  readonly component?: string;
}

const RULE_IDS = Object.values(GuardRule) as string[];

/** Parses `<rule>`, `<rule>:<component>` or `<rule>:<namespace>/<component>`. */
export function parseAllow(entries: readonly string[]): AllowEntry[] {
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
