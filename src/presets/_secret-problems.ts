/**
 * The rules for a Secret a preset's pods refer to and the keys they read from it, as preset problems
 * ("what. Fix: how."). Pure. Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { configKeyProblem, referenceNameProblem } from '../_kube-rules';

/** The Secret given as option `label`: named as a Secret can be; no problem when it is not given. */
export function secretOptionProblems(label: string, secret: kplus.ISecret | undefined): string[] {
  const problem = secret === undefined ? undefined : referenceNameProblem('Secret', secret);
  return problem ? [`${label}: the ${problem}. Fix: pass the Secret by the name it has in the cluster.`] : [];
}

/** The key given as option `prop`, read from the preset's Secret; `fallback` says what omitting it uses. */
export function secretKeyOptionProblems(prop: string, key: string, fallback: string): string[] {
  const problem = configKeyProblem(key);
  return problem ? [`'${prop}' ${problem} (a Secret key). Fix: omit it to use ${fallback}, or name the key as the Secret has it.`] : [];
}
