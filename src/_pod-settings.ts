/**
 * The rules of the settings that shape the pod as a whole: the StatefulSet's pod management policy, the
 * pod security context's fsGroup change policy and the termination grace period.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { describeValue } from './_kube-rules';
import { checkEnumValue, ProblemList } from './_validation';
import { RainbondComponentProps } from './component-props';

/** Records every rule the pod-wide settings of `props` break. */
export function checkPodSettings(props: RainbondComponentProps, problems: ProblemList): void {
  checkEnumValue('podManagementPolicy', props.podManagementPolicy, kplus.PodManagementPolicy, 'PodManagementPolicy', 'a pod management policy', problems);
  checkEnumValue('securityContext.fsGroupChangePolicy', props.securityContext?.fsGroupChangePolicy, kplus.FsGroupChangePolicy, 'FsGroupChangePolicy',
    'an fsGroup change policy', problems);
  const grace: unknown = props.terminationGracePeriod;
  if (grace !== undefined && !wholeSeconds(grace)) {
    problems.add('terminationGracePeriod', typeof grace === 'object' && grace !== null && typeof (grace as { toSeconds?: unknown }).toSeconds === 'function'
      ? 'must be a whole number of seconds, 0 or more (the pod spec counts it in seconds)'
      : `must be a cdk8s Duration, got ${describeValue(grace)}`, 'give e.g. Duration.seconds(30)');
  }
}

function wholeSeconds(value: unknown): boolean {
  try {
    const seconds = (value as { toSeconds(): number }).toSeconds();
    return Number.isInteger(seconds) && seconds >= 0;
  } catch {
    return false;
  }
}
