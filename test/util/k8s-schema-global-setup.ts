/**
 * Jest globalSetup: compiles the strict validators of every supported Kubernetes minor once,
 * before any worker starts, into the on-disk cache (see k8s-schema.ts), so parallel workers
 * on a fresh clone load them instead of each compiling all ten.
 */
import { K8sSchema, KUBERNETES_MINORS } from './k8s-schema';

export default function compileSchemas(): void {
  for (const minor of KUBERNETES_MINORS) new K8sSchema(minor);
}
