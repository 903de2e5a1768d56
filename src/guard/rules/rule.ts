import { ComponentChange } from '../component-state';
import { GuardRule, GuardSeverity } from '../report';

/** A finding as a rule reports it; the comparison adds the component and the acknowledgement. */
export interface RuleFinding {
  readonly rule: GuardRule;
  readonly objects: string[];
  readonly message: string;
  readonly steps: string[];
  /**
   * Milder than the rule's severity for this finding only, e.g. a notice where nothing is deployed yet.
   * @default - the rule's severity
   */
  readonly severity?: GuardSeverity;
}

/** One check the guard runs on every component change. */
export interface RuleDefinition {
  readonly id: GuardRule;
  readonly severity: GuardSeverity;
  /** One line for the CLI help. */
  readonly description: string;
  readonly check: (change: ComponentChange) => RuleFinding[];
}

/** `kubectl ... -n <namespace>` suffix, empty without a namespace. */
export function nsFlag(namespace: string): string {
  return namespace ? ` -n ${namespace}` : '';
}
