/**
 * The parts of a container image reference (`[registry/]path/name[:tag][@digest]`). Pure.
 */

/** A parsed image reference. */
export interface ImageReference {
  /** Everything before the tag and digest: registry, path and name, e.g. `docker.io/library/redis`. */
  readonly repository: string;
  /** The last path segment of the repository, e.g. `redis`. */
  readonly name: string;
  /** The tag, when one is given. */
  readonly tag?: string;
  /** The digest (`sha256:…`), when one is given. */
  readonly digest?: string;
}

/** Splits an image reference; a colon before the last '/' belongs to a registry host's port, not to a tag. */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const withTag = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  const lastSlash = withTag.lastIndexOf('/');
  const colon = withTag.indexOf(':', lastSlash + 1);
  const repository = colon < 0 ? withTag : withTag.slice(0, colon);
  const tag = colon < 0 ? undefined : withTag.slice(colon + 1);
  return { repository, name: repository.slice(lastSlash + 1), tag, digest };
}

/**
 * Why the API server refuses `image` as a container's image (empty, or with leading or trailing
 * whitespace: core/v1 validation); undefined when it does not.
 */
export function imageReferenceProblem(image: string): string | undefined {
  if (image.trim() === '') return image === '' ? 'must not be empty' : 'must not be blank';
  if (image.trim() !== image) return `'${image}' has leading or trailing whitespace, which the API server refuses`;
  return undefined;
}
