import { compareManifests } from './guard/compare';
import { formatReport } from './guard/format';
import { loadDeployedManifests, loadDeployedText, loadManifests, loadManifestText, stringArgument } from './guard/load';
import { GuardFormatOptions, GuardOptions, GuardReport } from './guard/report';

export * from './guard/report';

/**
 * The change guard: compares the synthesized manifests of what is deployed now
 * with the manifests about to be applied, and reports changes that lose data,
 * that the API server refuses, or that break a clustered system's membership.
 *
 * Objects are matched by kind, namespace and name; findings are grouped per
 * component (`rainbond.io/component`). Invalid input throws an error naming the problem.
 */
export class ManifestGuard {
  /**
   * Compares two YAML (or JSON) texts, each holding one or more documents.
   * @param before manifests of what is deployed now; text without objects (`''`) means nothing is deployed yet
   * @param after manifests about to be applied
   */
  public static compare(before: string, after: string, options: GuardOptions = {}): GuardReport {
    const beforeText = stringArgument(before, 'ManifestGuard.compare: before', 'YAML or JSON text', true);
    const afterText = stringArgument(after, 'ManifestGuard.compare: after', 'YAML or JSON text', false);
    return compareManifests(loadDeployedText(beforeText, 'before'), loadManifestText(afterText, 'after'), options);
  }

  /**
   * Compares two files or directories of manifests (`*.yaml`, `*.yml`, `*.json`, read recursively).
   * @param beforePath a file or directory with the manifests of what is deployed now; `''`, an empty
   * file or a directory without manifests means nothing is deployed yet (a missing path is an error)
   * @param afterPath a file or directory with the manifests about to be applied
   */
  public static compareFiles(beforePath: string, afterPath: string, options: GuardOptions = {}): GuardReport {
    const from = stringArgument(beforePath, 'ManifestGuard.compareFiles: beforePath', 'the path of a file or directory', true);
    const to = stringArgument(afterPath, 'ManifestGuard.compareFiles: afterPath', 'the path of a file or directory', false);
    return compareManifests(loadDeployedManifests(from), loadManifests(to), options);
  }

  /**
   * Renders a report as human-readable text: the components a finding concerns
   * (every component with `verbose`), then the totals.
   */
  public static format(report: GuardReport, options: GuardFormatOptions = {}): string {
    return formatReport(report, options);
  }

  private constructor() {}
}
