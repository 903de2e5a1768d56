/**
 * The `cdk8s.io/metadata.addr` pod label cdk8s-plus puts on a workload's pods: cdk8s's
 * `Names.toLabelValue(workload)`, computed with fewer allocations. Pure.
 * Nothing here is exported from the package index.
 */
import { hash } from 'crypto';
import { Names } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Longest label value (cdk8s's default `maxLen`). */
const MAX_LENGTH = 63;
/** Characters of the construct address that end the label (cdk8s's `HASH_LEN`). */
const HASH_LENGTH = 8;
/** A construct id that constructs leaves out of the address. */
const HIDDEN_ID = 'Default';
/** Characters a label value may not hold. */
const NOT_LABEL_CHARACTERS = /[^0-9a-zA-Z-_.]/g;
/** A valid label value. */
const LABEL_VALUE = /^(([0-9a-zA-Z][0-9a-zA-Z-_.]*)?[0-9a-zA-Z])?$/;

/** A component cdk8s would change when forming the label: empty or `resource`/`default` parts between '-'. */
const CHANGED_COMPONENT = /^-|-$|--|(^|-)(resource|default)(-|$)/i;
/** A part cdk8s leaves out of the label, as the id of a default child. */
const DEFAULT_CHILD = /^(resource|default)$/i;
/** Characters cdk8s strips from the start of the label. */
const LEADING_NON_ALPHANUMERIC = /^[^0-9a-zA-Z]+/;

/**
 * `Names.toLabelValue(construct)` with the default options, the same string for every path.
 *
 * On the plain synthesis path every workload needs this label once. cdk8s derives it through
 * `node.path`, `node.addr` (a streaming SHA-1 over the path) and a chain of array and string
 * copies: about 3.4 KiB per call, allocated during the synthesis, when every allocation makes the
 * young generation's collections copy the still young construct tree (bench/PROFILE.md, seventh
 * step). This walks the scopes once, hashes in one shot and copies a component only when cdk8s
 * would change it. With `CDK8S_LEGACY_HASH` set cdk8s hashes otherwise, so cdk8s computes the label.
 */
export function addressLabel(construct: IConstruct): string {
  if (process.env.CDK8S_LEGACY_HASH) return Names.toLabelValue(construct);
  const reversedIds: string[] = []; // the construct's own id first, the root's (empty) id left out
  let hashed = '';
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
    const id = scope.node.id;
    if (id) reversedIds.push(id);
    if (id !== HIDDEN_ID) hashed = id + '\n' + hashed;
  }
  if (reversedIds.length <= 1) {
    const only = reversedIds[0] ?? '';
    if (LABEL_VALUE.test(only) && only.length <= MAX_LENGTH) return only;
  }
  // constructs' address: 'c8' + the SHA-1 of every id (the root's too) followed by a newline
  const components = ['c8' + hash('sha1', hashed, 'hex').substring(0, HASH_LENGTH - 2)];
  for (const id of reversedIds) {
    const normalized = labelCharacters(id);
    if (normalized !== components[components.length - 1]) components.push(normalized);
  }
  const label = humanForm(components);
  return LEADING_NON_ALPHANUMERIC.test(label) ? label.replace(LEADING_NON_ALPHANUMERIC, '') : label;
}

/** cdk8s's `normalizeToLabelValue`: only label characters, at most 63; the id itself when it already is. */
function labelCharacters(id: string): string {
  NOT_LABEL_CHARACTERS.lastIndex = 0;
  const cleaned = NOT_LABEL_CHARACTERS.test(id) ? id.replace(NOT_LABEL_CHARACTERS, '') : id;
  return cleaned.length > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH) : cleaned;
}

/**
 * cdk8s's `toHumanForm` for components in reverse path order without consecutive duplicates:
 * the first 63 characters of the components joined by '/' (so the end of the path survives),
 * back in path order, then their '-'-separated parts without empty ones and without parts named
 * `resource` or `default` (any case), joined by '-'.
 */
function humanForm(reversed: string[]): string {
  const kept: string[] = [];
  let length = 0;
  for (const component of reversed) {
    const room = MAX_LENGTH - length - (kept.length > 0 ? 1 : 0); // a '/' before every component but the first
    if (room <= 0) break;
    kept.push(component.length > room ? component.substring(0, room) : component);
    length += component.length + (kept.length > 1 ? 1 : 0);
  }
  const parts: string[] = [];
  for (let i = kept.length - 1; i >= 0; i--) {
    const component = kept[i];
    if (!CHANGED_COMPONENT.test(component)) {
      if (component) parts.push(component);
      continue;
    }
    for (const part of component.split('-')) {
      if (part && !DEFAULT_CHILD.test(part)) parts.push(part);
    }
  }
  return parts.join('-');
}
