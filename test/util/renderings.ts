/**
 * The proof that RainbondComponent's two renderings write the same manifests: a component renders
 * its workload and Services as plain manifests until a cdk8s-plus member (`workload`, `service`, …)
 * is read, and through those cdk8s-plus objects from then on. Every `Testing.synth` and every
 * `synthValid` of the unit tests calls this after synthesizing.
 */
import { Chart } from 'cdk8s';
import { RainbondComponent } from '../../src/component';

/** Switches every plainly rendering component of `chart` to cdk8s-plus and compares the manifests. */
export function compareWithCdk8sPlusRendering(chart: Chart, plain: any[]): void {
  const switched = chart.node.findAll().filter((c): c is RainbondComponent => c instanceof RainbondComponent && c.rendersPlainly);
  if (switched.length === 0) return;
  for (const component of switched) void component.workload;
  const viaCdk8sPlus = chart.toJson();
  const first = plain.findIndex((object, i) => JSON.stringify(object) !== JSON.stringify(viaCdk8sPlus[i]));
  if (first >= 0 || plain.length !== viaCdk8sPlus.length) {
    const index = first >= 0 ? first : Math.min(plain.length, viaCdk8sPlus.length);
    throw new Error('the plain rendering and the cdk8s-plus rendering of '
      + `${switched.map(c => c.node.path).join(', ')} differ at object ${index} (test/util/renderings.ts):\n`
      + `plain:       ${JSON.stringify(plain[index])}\ncdk8s-plus:  ${JSON.stringify(viaCdk8sPlus[index])}`);
  }
}
