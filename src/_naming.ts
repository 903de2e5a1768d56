/**
 * Pure naming rules shared by the component, the presets and the guard.
 * Nothing here is exported from the package index.
 */
import { posix } from 'path';

/** Longest StatefulSet name whose pods still get a valid `controller-revision-hash` label (63 - 11). */
export const MAX_STATEFULSET_NAME_LENGTH = 52;
/** Longest DNS-1123 label (Service names, label values, pod hostnames). */
export const MAX_DNS_LABEL_LENGTH = 63;

/** Longest DNS-1123 subdomain (most object names, Ingress hosts, label-key prefixes). */
export const MAX_DNS_SUBDOMAIN_LENGTH = 253;

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `value` is an RFC 1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= MAX_DNS_SUBDOMAIN_LENGTH && DNS_1123_SUBDOMAIN.test(value);
}

/** True when `value` is an RFC 1123 label: lowercase alphanumerics and '-', at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= MAX_DNS_LABEL_LENGTH && DNS_1123_LABEL.test(value);
}

/** True when `value` is an RFC 1035 label (a DNS-1123 label that starts with a letter), as Service names must be. */
export function isDns1035Label(value: string): boolean {
  return value.length <= MAX_DNS_LABEL_LENGTH && DNS_1035_LABEL.test(value);
}

/**
 * Derives a Kubernetes name from a construct id: lowercase, every run of
 * characters outside `[a-z0-9]` becomes one '-', leading and trailing '-' trimmed.
 * Deterministic and without a hash suffix, so peers can address each other by it.
 */
export function nameFromConstructId(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Name of the pod with the given ordinal: `<statefulset>-<ordinal>`. */
export function podName(statefulSetName: string, ordinal: number): string {
  return `${statefulSetName}-${ordinal}`;
}

/** FQDN of a StatefulSet pod: `<pod>.<governing service>.<namespace>.svc.<clusterDomain>`. */
export function podFqdn(statefulSetName: string, ordinal: number, namespace: string, clusterDomain: string): string {
  return `${podName(statefulSetName, ordinal)}.${statefulSetName}.${namespace}.svc.${clusterDomain}`;
}

/** FQDNs of pods 0..replicas-1. */
export function podFqdns(statefulSetName: string, replicas: number, namespace: string, clusterDomain: string): string[] {
  return Array.from({ length: replicas }, (_, ordinal) => podFqdn(statefulSetName, ordinal, namespace, clusterDomain));
}

/** Name of the PersistentVolumeClaim the StatefulSet controller creates: `<template>-<statefulset>-<ordinal>`. */
export function claimName(templateName: string, statefulSetName: string, ordinal: number): string {
  return `${templateName}-${statefulSetName}-${ordinal}`;
}

/**
 * Name of a component's client Service: `<name>-client` for every deploy type.
 * It never depends on the deploy type, so clients keep their address across a
 * stateful ⇄ stateless switch; `<name>` itself is the governing headless Service of a
 * stateful component (the StatefulSet's `serviceName`, part of every pod's DNS name).
 */
export function clientServiceName(componentName: string): string {
  return `${componentName}-client`;
}

/** DNS name of a component's client Service: `<name>-client.<namespace>.svc.<clusterDomain>`. */
export function clientServiceFqdn(componentName: string, namespace: string, clusterDomain: string): string {
  return `${clientServiceName(componentName)}.${namespace}.svc.${clusterDomain}`;
}

/** An absolute path with no empty, `.` or `..` segment and no trailing '/': already normal. */
const NORMAL_ABSOLUTE_PATH = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)+$/;

/** A mount path as the container sees it: `/data/`, `/data//` and `/./data` are all `/data`. */
export function normalizedMountPath(path: string): string {
  if (NORMAL_ABSOLUTE_PATH.test(path)) return path; // the usual case, without posix.normalize's copies
  const normalized = posix.normalize(path);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}
