/**
 * Jest setup file (setupFilesAfterEnv): every `Testing.synth(chart)` of every test validates
 * the synthesized objects strictly against each supported Kubernetes minor (1.28 to 1.37) and
 * throws on the first invalid one, so no test can synthesize an invalid object unnoticed.
 * With RAINBOND_GOLDEN_DIR set it also records a fingerprint of every synthesis (`golden.ts`).
 *
 * Objects of API groups that are not Kubernetes' own (a CRD group such as `cert-manager.io`)
 * have no schema here and are not checked by this hook; `synthValid` still refuses them.
 */
import { Testing } from 'cdk8s';
import { recordGolden } from './golden';
import { groupOf, recordEverySynth } from './record-synth';
import { k8sErrors } from './synth';

/** Built-in groups are unqualified (`apps`, `batch`, `policy`) or end in `.k8s.io`. */
export function isKubernetesGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

const synth = Testing.synth.bind(Testing);
Testing.synth = (chart => {
  const objects = synth(chart);
  const errors = k8sErrors(objects.filter(o => isKubernetesGroup(groupOf(o?.apiVersion))));
  if (errors.length > 0) throw new Error(`Testing.synth: invalid Kubernetes objects (test/util/validate-every-synth.ts):\n${errors.join('\n')}`);
  recordGolden(objects);
  return objects;
}) as typeof Testing.synth;

recordEverySynth(isKubernetesGroup); // only with RAINBOND_RECORD_SYNTH_DIR set (test/apiserver)
