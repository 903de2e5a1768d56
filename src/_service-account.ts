/**
 * Whether the pods mount their service account's token, and the rule for accounts imported by name. Pure.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { referenceNameProblem } from './_kube-rules';
import { ProblemList } from './_validation';

/** cdk8s-plus's `automountToken` of an account defined in the app; undefined for one imported by name. */
function ownAutomountToken(account: kplus.IServiceAccount | undefined): boolean | undefined {
  const own = (account as { automountToken?: unknown } | undefined)?.automountToken;
  return typeof own === 'boolean' ? own : undefined;
}

/**
 * The pod's `automountServiceAccountToken`: the prop when given, else the setting of a
 * ServiceAccount defined in the app (cdk8s-plus's `automountToken`), else false.
 */
export function automountToken(account: kplus.IServiceAccount | undefined, prop: boolean | undefined): boolean {
  return prop ?? ownAutomountToken(account) ?? false;
}

/** The account's name must be one an account can have; one whose token setting the app cannot see (imported by name) needs the prop. */
export function checkServiceAccount(account: kplus.IServiceAccount | undefined, prop: boolean | undefined, problems: ProblemList): void {
  if (account === undefined) return;
  const nameProblem = referenceNameProblem('ServiceAccount', account);
  if (nameProblem) {
    problems.add('serviceAccount', `the ${nameProblem}, and the API server refuses a pod naming it`, 'pass the ServiceAccount by the name it has in the cluster');
    return;
  }
  if (prop !== undefined || ownAutomountToken(account) !== undefined) return;
  problems.add('automountServiceAccountToken', `serviceAccount '${account.name}' is imported by name, so its automountServiceAccountToken setting is unknown here, and the pod's own field overrides it`,
    'set automountServiceAccountToken: true to mount its token, or false to keep it out of the pods');
}
