/**
 * Manifest fields the guard reads that hold the wrong type (manifests are YAML from users' files): the
 * guard's own GuardInputError naming the file, the object, the field and the fix, never a raw TypeError
 * from inside. Random mutations of whole manifests: test/guard/fuzz.test.ts.
 */
import { db, etcd, findObject, inputError, synthObjects, synthYaml, toYaml, web } from './synth';
import { ManifestGuard } from '../../src/guard';

/** The manifests with one object edited. */
function editedYaml(objects: any[], kind: string, name: string, edit: (obj: any) => void): string {
  edit(findObject(objects, kind, name));
  return toYaml(objects);
}

const API_SERVER_TOO = 'the API server refuses such an object too';

describe('manifest fields of the wrong type are unusable input naming the object and the field', () => {
  const LIST_FIX = `${API_SERVER_TOO}: write it as a list (one "- " item per entry), or leave the field out`;
  const MAPPING_FIX = `${API_SERVER_TOO}: write it as a mapping (key: value lines), or leave the field out`;
  const COUNT_FIX = `${API_SERVER_TOO}: write an unquoted whole number, e.g. 3`;
  const MARKER_FIX = `${API_SERVER_TOO}: quote the value (YAML 1.1 reads unquoted yes/no/on/off as booleans and digits as numbers)`;

  test.each([
    ['claim templates as a string', 'StatefulSet', 'db', (o: any) => { o.spec.volumeClaimTemplates = ''; },
      `StatefulSet apps/db: spec.volumeClaimTemplates must be a list, got string ""; ${LIST_FIX}`],
    ['containers as a string', 'StatefulSet', 'db', (o: any) => { o.spec.template.spec.containers = 'x'; },
      `StatefulSet apps/db: spec.template.spec.containers must be a list, got string "x"; ${LIST_FIX}`],
    ['containers as a number', 'StatefulSet', 'db', (o: any) => { o.spec.template.spec.containers = 5; },
      `StatefulSet apps/db: spec.template.spec.containers must be a list, got number 5; ${LIST_FIX}`],
    ['a container that is null', 'StatefulSet', 'db', (o: any) => { o.spec.template.spec.containers = [null]; },
      `StatefulSet apps/db: spec.template.spec.containers[0] must be a mapping, got null; ${MAPPING_FIX}`],
    ['volume mounts as a string', 'StatefulSet', 'db', (o: any) => { o.spec.template.spec.containers[0].volumeMounts = 'data'; },
      `StatefulSet apps/db: spec.template.spec.containers[0].volumeMounts must be a list, got string "data"; ${LIST_FIX}`],
    ['access modes of a claim template as a number', 'StatefulSet', 'db', (o: any) => { o.spec.volumeClaimTemplates[0].spec.accessModes = 5; },
      `StatefulSet apps/db: spec.volumeClaimTemplates[0].spec.accessModes must be a list, got number 5; ${LIST_FIX}`],
    ['replicas as a quoted number', 'StatefulSet', 'db', (o: any) => { o.spec.replicas = '3'; },
      `StatefulSet apps/db: spec.replicas must be a whole number from 0 to 2147483647, got string "3"; ${COUNT_FIX}`],
    ['replicas as .inf', 'StatefulSet', 'db', (o: any) => { o.spec.replicas = Infinity; },
      `StatefulSet apps/db: spec.replicas must be a whole number from 0 to 2147483647, got number Infinity; ${COUNT_FIX}`],
    ['the deploy type annotation as a number', 'StatefulSet', 'db', (o: any) => { o.metadata.annotations['rainbond.io/deploy-type'] = 5; },
      `StatefulSet apps/db: metadata.annotations["rainbond.io/deploy-type"] must be a string, got number 5; ${MARKER_FIX}`],
    ['annotations as a string', 'StatefulSet', 'db', (o: any) => { o.metadata.annotations = 'rainbond.io/component=db'; },
      `StatefulSet apps/db: metadata.annotations must be a mapping, got string "rainbond.io/component=db"; ${MAPPING_FIX}`],
  ])('%s', (_name, kind, name, edit, problem) => {
    const before = synthYaml(db());
    const after = editedYaml(synthObjects(db()), kind, name, edit);
    const error = inputError(() => ManifestGuard.compare(before, after));
    expect(error.message).toMatch(/^after \(document \d+\): /);
    expect(error.message.replace(/^after \(document \d+\): /, '')).toBe(problem);
    // the deployed side is read the same way
    expect(inputError(() => ManifestGuard.compare(after, before)).message).toMatch(/^before \(document \d+\): StatefulSet apps\/db: /);
  });

  test('a stateless component: pod volumes and claim access modes', () => {
    const before = synthYaml(web());
    expect(inputError(() => ManifestGuard.compare(before, editedYaml(synthObjects(web()), 'Deployment', 'web', o => { o.spec.template.spec.volumes = ''; }))).message)
      .toMatch(/: Deployment apps\/web: spec\.template\.spec\.volumes must be a list, got string ""; /);
    expect(inputError(() => ManifestGuard.compare(before, editedYaml(synthObjects(web()), 'PersistentVolumeClaim', 'web-files', o => { o.spec.accessModes = 'x'; }))).message)
      .toMatch(/: PersistentVolumeClaim apps\/web-files: spec\.accessModes must be a list, got string "x"; /);
  });

  test('a preset annotation of the wrong type', () => {
    const after = editedYaml(synthObjects(etcd(5)), 'Service', 'etcd', o => { o.metadata.annotations['rainbond.io/cluster-preset'] = 5; });
    expect(inputError(() => ManifestGuard.compare(synthYaml(etcd(3)), after)).message)
      .toMatch(/: Service db\/etcd: metadata\.annotations\["rainbond\.io\/cluster-preset"\] must be a string, got number 5; /);
  });

  test('an autoscaler whose maxReplicas is not a count, even one not made by cdk8s-rainbond', () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: Infinity },
    };
    expect(inputError(() => ManifestGuard.compare(synthYaml(web()), toYaml([...synthObjects(web()), hpa]))).message)
      .toMatch(/: HorizontalPodAutoscaler apps\/web: spec\.maxReplicas must be a whole number from 0 to 2147483647, got number Infinity; /);
  });

  test('objects not made by cdk8s-rainbond are not checked beyond their markers', () => {
    const foreign = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'other', namespace: 'apps' }, spec: { replicas: 'many', template: 'x' } };
    const report = ManifestGuard.compare(synthYaml(web()), toYaml([...synthObjects(web()), foreign]));
    expect(report.foreign).toEqual(['Deployment apps/other: not made by cdk8s-rainbond (no rainbond.io/component annotation)']);
  });

  test('null fields are unset, as the API server reads them', () => {
    const after = editedYaml(synthObjects(db()), 'StatefulSet', 'db', o => {
      o.spec.template.spec.initContainers = null;
      o.metadata.labels = null;
    });
    expect(ManifestGuard.compare(synthYaml(db()), after).blocked).toBe(false);
  });
});
