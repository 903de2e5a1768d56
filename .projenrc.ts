import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-rainbond',
  packageName: 'cdk8s-rainbond',
  description: 'cdk8s constructs for Rainbond component deploy types (stateful/stateless, single/multiple) and clustered middleware presets that form real quorum clusters.',
  author: 'cdk8s-rainbond developers',
  authorAddress: 'https://github.com/cdk8s-rainbond',
  authorOrganization: true,
  repositoryUrl: 'https://github.com/cdk8s-rainbond/cdk8s-rainbond.git',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'kubernetes', 'rainbond', 'statefulset', 'etcd', 'zookeeper', 'redis', 'mysql'],
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.16.0',

  cdk8sVersion: '2.70.98',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  // This repo runs its own CI script (.ci/run); no GitHub workflows or release tooling.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  integrationTestAutoDiscover: false,

  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: [
    'ajv@^8',
    'fast-check@^3',
    // Type metadata of Kubernetes 1.29 to 1.34 for the strict schema check (test/util/k8s-schema.ts)
    // and newer cdk8s-plus versions for the compatibility fixture (test/compat).
    'cdk8s-plus-29@2.6.0',
    'cdk8s-plus-30@2.4.10',
    'cdk8s-plus-31@2.6.43',
    'cdk8s-plus-32@2.5.92',
    'cdk8s-plus-33@2.5.57',
    'cdk8s-plus-34@2.0.54',
    // peer-dependency range checks of the compatibility test
    'semver@^7',
    '@types/semver@^7',
  ],
  bundledDeps: ['yaml@^2'],

  bin: { 'cdk8s-rainbond': 'bin/cdk8s-rainbond' },

  // jsii targets, named the way Construct Hub libraries name theirs, after the GitHub organization
  // that is the package's home (github.com/cdk8s-rainbond): Maven Central's io.github.<org> group,
  // a separate -go repository for the Go module (jsii-pacmak adds the package directory
  // cdk8srainbond). .ci/jsii-targets builds and installs Python, Java and Go from their registries
  // and runs the example app in each; .NET is generated only (no NuGet here).
  publishToPypi: { distName: 'cdk8s-rainbond', module: 'cdk8s_rainbond' },
  publishToMaven: { javaPackage: 'io.github.cdk8srainbond', mavenGroupId: 'io.github.cdk8s-rainbond', mavenArtifactId: 'cdk8s-rainbond' },
  publishToNuget: { dotNetNamespace: 'Cdk8sRainbond', packageId: 'Cdk8sRainbond' },
  publishToGo: { moduleName: 'github.com/cdk8s-rainbond/cdk8s-rainbond-go' },

  // No source maps in the package: lib/*.js is what runs and what stack traces name; maps would point
  // to src/*.ts, which is not shipped (see "files" below). test/package.test.ts checks both.
  tsconfig: {
    compilerOptions: {
      inlineSourceMap: false,
      inlineSources: false,
    },
  },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Every Testing.synth of every test is validated against Kubernetes 1.28 to 1.37 (test/util/k8s-schema.ts).
      setupFilesAfterEnv: ['<rootDir>/test/util/validate-every-synth.ts'],
      // Compiles the validators of every minor once into node_modules/.cache before the workers start.
      globalSetup: '<rootDir>/test/util/k8s-schema-global-setup.ts',
    },
  },
  gitignore: ['/dist-example/', '/bench-out/', '.tmp/', '/example/java/target/'],
});

// The npm tarball is an allowlist: the compiled library, its jsii assembly, the CLI, the API reference.
// npm always adds package.json, README.md and LICENSE, and the bundled dependencies under node_modules/.
// bench/, example/, test/, src/, .ci/ and BENCHMARKS.md stay out. test/package.test.ts packs and checks it.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'bin/cdk8s-rainbond', 'API.md']);

// Synthesizes the bundled example app (example/main.ts) into dist/*.k8s.yaml, as `cdk8s synth` would.
project.addTask('synth:example', {
  description: 'Synthesize the example app into dist/*.k8s.yaml',
  exec: 'ts-node --project test/tsconfig.json example/main.ts',
});

// Real-server integration tests: installs Debian packages when run as root, then runs test/integration/**/*.itest.ts.
project.addTask('test:integration', {
  description: 'Run the preset integration tests against real servers (needs root)',
  steps: [
    { exec: 'bash test/integration/setup.sh' },
    { exec: 'jest --ci --runInBand --config test/integration/jest.config.json', receiveArgs: true },
  ],
});

// A real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
// kubectl) built from Go modules, and the tier that applies every synthesized object to it.
project.addTask('control-plane:build', {
  description: 'Build the real control plane from Go modules into the cache dir (control-plane/build; needs Go)',
  exec: 'control-plane/build',
});
project.addTask('control-plane:start', {
  description: 'Start the real control plane on loopback; prints KUBECONFIG=<path> last (control-plane/start)',
  exec: 'control-plane/start',
  receiveArgs: true,
});
project.addTask('control-plane:stop', {
  description: 'Stop every process control-plane:start started (control-plane/stop)',
  exec: 'control-plane/stop',
  receiveArgs: true,
});
project.addTask('control-plane:openapi-v3', {
  description: 'Fetch the real API server\'s OpenAPI v3 documents as fixtures (control-plane/openapi-v3 [OUT_DIR])',
  exec: 'control-plane/openapi-v3',
  receiveArgs: true,
});
project.addTask('test:apiserver', {
  description: 'Apply every object the tests, README snippets and example synthesize to the real API server (Pod Security restricted)',
  exec: 'bash test/apiserver/run',
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Benchmark synthesis of RainbondComponent against hand-written cdk8s-plus (writes BENCHMARKS.md)',
  exec: 'node --expose-gc -r ts-node/register bench/synth-bench.ts',
  receiveArgs: true,
});

// Operations benchmark: real servers through the integration harness (needs root), library vs anchor parameters.
project.addTask('bench:ops', {
  description: 'Benchmark cold start, leader loss, partition and rolling update against the anchors\' parameters (needs root; --quick, --json FILE)',
  steps: [
    { exec: 'bash test/integration/setup.sh' },
    { exec: 'node -r ts-node/register bench/ops-bench.ts', receiveArgs: true },
  ],
});

project.eslint?.addLintPattern('example');
project.eslint?.addLintPattern('bench');

project.synth();
