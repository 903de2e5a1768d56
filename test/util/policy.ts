/**
 * Policy checks every default workload of the library must pass: the Pod Security
 * Standards "restricted" profile plus the reliability defaults of the library.
 * Returns the violations as readable strings (empty when compliant).
 */

const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

/** Violations of the restricted profile and the library's defaults in one workload object. */
export function workloadPolicyViolations(workload: any): string[] {
  const where = `${workload.kind} ${workload.metadata?.name}`;
  const pod = workload.spec?.template?.spec;
  if (!pod) return [`${where}: no pod template`];
  const violations: string[] = [];
  const podSecurity = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) violations.push(`${where}: uses host namespaces`);
  if (pod.automountServiceAccountToken !== false) violations.push(`${where}: service account token is mounted`);
  for (const volume of pod.volumes ?? []) {
    const source = Object.keys(volume).find(k => k !== 'name');
    if (!source || !RESTRICTED_VOLUME_SOURCES.has(source)) violations.push(`${where}: volume ${volume.name} uses ${source}`);
  }
  const mountsSomething = (pod.containers ?? []).some((c: any) => (c.volumeMounts ?? []).length > 0);
  const hasPersistentStorage = (workload.spec.volumeClaimTemplates ?? []).length > 0
    || (pod.volumes ?? []).some((v: any) => v.persistentVolumeClaim);
  if (hasPersistentStorage && typeof podSecurity.fsGroup !== 'number') violations.push(`${where}: persistent volumes mounted without fsGroup`);
  if (!mountsSomething && hasPersistentStorage) violations.push(`${where}: storage declared but not mounted`);

  for (const container of [...pod.initContainers ?? [], ...pod.containers ?? []]) {
    const at = `${where} container ${container.name}`;
    const security = container.securityContext ?? {};
    const runAsNonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
    const runAsUser = security.runAsUser ?? podSecurity.runAsUser;
    if (runAsNonRoot !== true) violations.push(`${at}: runAsNonRoot is not true`);
    if (typeof runAsUser !== 'number' || runAsUser === 0) violations.push(`${at}: no numeric non-root runAsUser`);
    if (security.privileged === true) violations.push(`${at}: privileged`);
    if (security.allowPrivilegeEscalation !== false) violations.push(`${at}: allowPrivilegeEscalation is not false`);
    const drops: string[] = security.capabilities?.drop ?? [];
    if (!drops.includes('ALL')) violations.push(`${at}: capabilities do not drop ALL`);
    const added: string[] = security.capabilities?.add ?? [];
    if (added.some(c => c !== 'NET_BIND_SERVICE')) violations.push(`${at}: adds capabilities ${added.join(',')}`);
    const seccomp = security.seccompProfile?.type ?? podSecurity.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') violations.push(`${at}: seccompProfile is not RuntimeDefault`);
    if (security.readOnlyRootFilesystem !== true) violations.push(`${at}: root filesystem is writable`);
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[kind]?.[resource] === undefined) violations.push(`${at}: no ${resource} ${kind.slice(0, -1)}`);
      }
    }
  }

  const required = pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required?.length) violations.push(`${where}: anti-affinity is required, which leaves instances Pending on small clusters`);
  const preferred = pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  if (!preferred.some((t: any) => t.podAffinityTerm?.topologyKey === 'kubernetes.io/hostname')) {
    violations.push(`${where}: instances are not spread across nodes`);
  }
  return violations;
}
