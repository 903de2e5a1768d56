/**
 * A pod spec that asks for root and for runAsNonRoot at once never starts (the kubelet refuses
 * it with CreateContainerConfigError); and while the pod keeps runAsNonRoot, a pod-level user 0 is
 * refused by the Pod Security `restricted` profile even when every container sets its own user
 * ("pod must not set runAsUser=0": k8s.io/pod-security-admission/policy/check_runAsUser.go).
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { ProblemList } from './_validation';

/** A container with the prop path that names it in problems (`containers[0]`, `initContainers[1]`, ...). */
export interface PlacedContainer {
  readonly container: kplus.ContainerProps;
  readonly where: string;
}

/** Records a problem for every container that would run as root while runAsNonRoot stays true. */
export function rootUserProblems(podSecurity: kplus.PodSecurityContextProps, placed: PlacedContainer[], problems: ProblemList): void {
  const before = problems.size;
  const containers = placed.map(p => p.container);
  placed.forEach(({ container, where }, index) => {
    const user = container.securityContext?.user ?? podSecurity.user;
    const nonRoot = container.securityContext?.ensureNonRoot ?? true; // the component's container default
    if (user === 0 && nonRoot) {
      problems.add(container.securityContext?.user === 0 ? `${where}.securityContext.user` : 'securityContext.user',
        `container '${container.name ?? index}' would run as root (user 0) while runAsNonRoot stays true, so the kubelet refuses to start it`,
        'run the image as its own numeric user (e.g. securityContext: { user: 999, group: 999, fsGroup: 999 } for the official postgres and mysql images) with memoryfs volumes for the paths it writes; '
        + 'only if the image cannot run without root, set ensureNonRoot: false on the component\'s and the container\'s securityContext, which leaves the restricted Pod Security profile');
    }
  });
  const everyContainerSetsUser = containers.every(c => c.securityContext?.user !== undefined);
  if (podSecurity.user === 0 && (podSecurity.ensureNonRoot ?? true) && everyContainerSetsUser && problems.size === before) {
    problems.add('securityContext.user', 'the pod sets user 0 while it keeps runAsNonRoot; every container sets its own user, but the restricted Pod Security profile refuses a pod that sets runAsUser=0',
      'leave the pod\'s user out (the containers set theirs) or set a non-zero user such as 1000');
  }
}
