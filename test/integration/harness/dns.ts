/**
 * Which pods cluster DNS would publish under `<pod>.<svc>.<ns>.svc.<domain>`.
 * Kubernetes creates these records only for a headless governing Service
 * (clusterIP None) whose selector matches the pod, and only for ready pods
 * unless the Service sets publishNotReadyAddresses. Pure.
 */
import { findObject, StatefulSetFacts } from './manifest';

/** 'all' = every pod, 'ready' = ready pods only, 'none' = no peer records. */
export type DnsPublication = 'all' | 'ready' | 'none';

/** How the governing Service publishes the StatefulSet's pods, and why. */
export function dnsPublication(manifests: any[], facts: StatefulSetFacts): { mode: DnsPublication; reason: string } {
  const svc = findObject(manifests, 'Service', facts.serviceName, facts.namespace);
  const where = `governing Service '${facts.serviceName}' of StatefulSet '${facts.name}'`;
  if (!svc) return { mode: 'none', reason: `${where} is not in the manifests` };
  if (svc.spec?.clusterIP !== 'None') return { mode: 'none', reason: `${where} is not headless (clusterIP None)` };
  const selector: Record<string, string> = svc.spec?.selector ?? {};
  const labels: Record<string, string> = facts.template.metadata?.labels ?? {};
  if (Object.keys(selector).length === 0) return { mode: 'none', reason: `${where} has no selector` };
  const mismatch = Object.entries(selector).find(([k, v]) => labels[k] !== v);
  if (mismatch) return { mode: 'none', reason: `${where} selects ${mismatch[0]}=${mismatch[1]}, which the pod template lacks` };
  if (svc.spec?.publishNotReadyAddresses === true) return { mode: 'all', reason: `${where} publishes not-ready addresses` };
  return { mode: 'ready', reason: `${where} publishes ready pods only` };
}
