/**
 * The measured variant: every component of the mix as a `RainbondComponent`.
 */
import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { ComponentSpec, MixPreset } from './workload-mix';
import { RainbondComponent } from '../src/component';
import { EtcdPreset } from '../src/presets/etcd';
import { IClusterPreset } from '../src/presets/preset-config';
import { ZookeeperPreset } from '../src/presets/zookeeper';

/** The preset object of a mix preset (factories of ClusterPreset, imported directly so unfinished presets do not matter). */
function presetOf(preset: MixPreset): IClusterPreset {
  switch (preset) {
    case 'etcd': return new EtcdPreset();
    case 'zookeeper': return new ZookeeperPreset();
  }
}

/** Adds one component of the mix to `scope` as a RainbondComponent. */
export function addRainbondComponent(scope: Construct, spec: ComponentSpec): RainbondComponent {
  return new RainbondComponent(scope, spec.name, {
    deployType: spec.deployType,
    replicas: spec.replicas,
    preset: spec.preset ? presetOf(spec.preset) : undefined,
    containers: spec.image ? [{ image: spec.image, ports: spec.ports.map(p => ({ name: p.name, number: p.number })) }] : undefined,
    volumes: spec.volumes.map(v => ({ name: v.name, mountPath: v.mountPath, size: Size.gibibytes(v.sizeGi) })),
  });
}
