/**
 * A pod spec that asks for root and for runAsNonRoot at once never starts (the kubelet refuses
 * it with CreateContainerConfigError). Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { ProblemList } from './_validation';

/** Records a problem for every container that would run as root while runAsNonRoot stays true. */
export function rootUserProblems(podSecurity: kplus.PodSecurityContextProps, containers: kplus.ContainerProps[], problems: ProblemList): void {
  containers.forEach((container, index) => {
    const user = container.securityContext?.user ?? podSecurity.user;
    const nonRoot = container.securityContext?.ensureNonRoot ?? true; // the component's container default
    if (user === 0 && nonRoot) {
      problems.add(container.securityContext?.user === 0 ? `containers[${index}].securityContext.user` : 'securityContext.user',
        `container '${container.name ?? index}' would run as root (user 0) while runAsNonRoot stays true, so the kubelet refuses to start it`,
        'run the image as its own numeric user (e.g. securityContext: { user: 999, group: 999, fsGroup: 999 } for the official postgres and mysql images) with memoryfs volumes for the paths it writes; '
        + 'only if the image cannot run without root, set ensureNonRoot: false on the component\'s and the container\'s securityContext, which leaves the restricted Pod Security profile');
    }
  });
}
