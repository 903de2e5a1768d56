/**
 * Holds a synthesized pod spec against the recorded facts of its image
 * (src/presets/_image-facts.ts), as the kubelet and the container would meet
 * them: every executable the container command, its scripts (from mounted
 * ConfigMaps, or `sh -c` strings), probes and lifecycle hooks call exists in the
 * image (a shell only where the image has one); the user the container runs as
 * can write every volume it writes to and read every ConfigMap or Secret file
 * mounted for it; and every directory the server or the scripts write is a
 * writable volume when the root filesystem is read-only. Works on any workload
 * with a pod template (StatefulSet with its claim templates, Deployment).
 */
import * as path from 'path';
import { SHELL_BUILTINS, ShellCommand, expandVariables, scriptVariables, shellCommands } from './shell-commands';
import { ImageFacts, resolveImageCommand } from '../../src/presets/_image-facts';

/** One broken promise between pod spec and image. */
export interface ContractViolation {
  readonly rule: 'binary' | 'user' | 'writable';
  readonly container: string;
  readonly message: string;
}

const SHELLS = new Set(['sh', 'bash', 'dash']);

interface Mount {
  readonly path: string;
  readonly volume: string;
  readonly kind: 'emptyDir' | 'claim' | 'configMap' | 'secret' | 'other';
  readonly readOnly: boolean;
  readonly files: Record<string, string>;
  /** Permission bits of each projected file (ConfigMap/Secret: item mode, else defaultMode, else 0644). */
  readonly modes: Record<string, number>;
}

/** Checks every container of the pod template of `workload` (configMaps from `manifests`) against `facts`. */
export function checkImageContract(manifests: any[], workload: any, facts: ImageFacts): ContractViolation[] {
  const spec = workload.spec.template.spec;
  const claimNames = new Set((workload.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata.name));
  const configMaps = new Map<string, Record<string, string>>(manifests.filter(o => o.kind === 'ConfigMap').map(o => [o.metadata.name, o.data ?? {}]));
  const volumes = new Map<string, Omit<Mount, 'path' | 'readOnly'>>();
  for (const v of spec.volumes ?? []) {
    const plain = (kind: Mount['kind']) => ({ volume: v.name, kind, files: {}, modes: {} });
    if (v.configMap) {
      const files = configMapFiles(configMaps.get(v.configMap.name) ?? {}, v.configMap.items);
      volumes.set(v.name, { ...plain('configMap'), files, modes: projectedModes(Object.keys(files), v.configMap) });
    } else if (v.secret) {
      // Secret data is not in the manifests: the items (or one entry for every key) carry the modes
      const keys = v.secret.items ? v.secret.items.map((i: any) => i.path) : ['*'];
      volumes.set(v.name, { ...plain('secret'), modes: projectedModes(keys, v.secret) });
    } else {
      volumes.set(v.name, plain(v.emptyDir ? 'emptyDir' : v.persistentVolumeClaim ? 'claim' : 'other'));
    }
  }
  for (const name of claimNames) volumes.set(name as string, { volume: name as string, kind: 'claim', files: {}, modes: {} });

  const out: ContractViolation[] = [];
  for (const c of [...spec.initContainers ?? [], ...spec.containers]) {
    const problem = (rule: ContractViolation['rule'], message: string) => out.push({ rule, container: c.name, message });
    const mounts: Mount[] = (c.volumeMounts ?? []).map((m: any) => {
      const v = volumes.get(m.name);
      if (!v) throw new Error(`container '${c.name}' mounts undefined volume '${m.name}'`);
      const readOnly = m.readOnly === true || v.kind === 'configMap' || v.kind === 'secret';
      return { ...v, path: m.mountPath, readOnly };
    });
    const env: Record<string, string> = { ...facts.env };
    for (const e of c.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
    const sc = { ...spec.securityContext, ...c.securityContext };
    const uid: number = sc.runAsUser ?? facts.defaultUser.uid;
    const gid: number = sc.runAsGroup ?? (sc.runAsUser === undefined ? facts.defaultUser.gid : 0);
    const podSc = spec.securityContext ?? {};
    const groups = new Set<number>([gid, ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : []), ...(podSc.supplementalGroups ?? [])]);
    const readOnlyRoot = c.securityContext?.readOnlyRootFilesystem === true;

    // --- user: the kubelet refuses runAsNonRoot with an image that runs as root; claims need fsGroup or a matching owner
    if (sc.runAsNonRoot === true && sc.runAsUser === undefined && facts.defaultUser.uid === 0) {
      problem('user', `runAsNonRoot is set but no runAsUser: the image ${facts.image} runs as root (no USER), so the kubelet refuses to start the container`);
    }
    const fsGroup = spec.securityContext?.fsGroup;
    for (const m of mounts.filter(x => !x.readOnly && x.kind === 'claim')) {
      if (uid !== 0 && (fsGroup === undefined || !groups.has(fsGroup))) {
        problem('user', `uid ${uid} cannot write the claim '${m.volume}' at ${m.path}: a new volume is owned by root (0755) and no fsGroup makes it group-writable`);
      }
    }

    // ConfigMap and Secret files are owned by root, their group is the fsGroup when one is set
    for (const m of mounts.filter(x => x.kind === 'configMap' || x.kind === 'secret')) {
      for (const [file, mode] of Object.entries(m.modes)) {
        // eslint-disable-next-line no-bitwise
        const readable = uid === 0 || (mode & 0o004) !== 0 || (fsGroup !== undefined && groups.has(fsGroup) && (mode & 0o040) !== 0);
        if (!readable) {
          const where = file === '*' ? `the files of ${m.kind} volume '${m.volume}' at ${m.path}` : `${path.posix.join(m.path, file)}`;
          problem('user', `uid ${uid} cannot read ${where}: mode ${mode.toString(8).padStart(4, '0')}, owned by root${fsGroup !== undefined ? `, group ${fsGroup}` : ' (no fsGroup)'}`);
        }
      }
    }

    // --- every executable: command, probes, hooks, and the scripts they run
    const scripts: { where: string; text: string }[] = [];
    const argvs: { where: string; argv: string[] }[] = [];
    if (!c.command || c.command.length === 0) {
      argvs.push({ where: 'image entrypoint', argv: [...facts.entrypoint, ...(c.args ?? facts.cmd)] });
    } else {
      argvs.push({ where: 'command', argv: [...c.command, ...c.args ?? []] });
    }
    for (const [key, probe] of [['startupProbe', c.startupProbe], ['livenessProbe', c.livenessProbe], ['readinessProbe', c.readinessProbe]] as const) {
      if (probe?.exec) argvs.push({ where: key, argv: probe.exec.command });
    }
    for (const hook of ['postStart', 'preStop'] as const) {
      const h = c.lifecycle?.[hook];
      if (h?.exec) argvs.push({ where: `${hook} hook`, argv: h.exec.command });
    }
    for (const { where, argv } of argvs) {
      const exe = argv[0];
      const file = fileAt(mounts, exe);
      if (file !== undefined) {
        // a script executed directly: its #! interpreter must exist
        const interp = /^#!\s*(\S+)/.exec(file)?.[1];
        if (!interp || !resolveImageCommand(facts, interp)) problem('binary', `${where} runs ${exe}, whose interpreter '${interp ?? '(none)'}' is not in ${facts.image}`);
        scripts.push({ where: `${where} ${exe}`, text: file });
        continue;
      }
      if (!resolveImageCommand(facts, exe)) {
        problem('binary', `${where} runs '${exe}', which ${facts.image} does not have${SHELLS.has(path.basename(exe)) ? ' (the image has no shell)' : ''}`);
        continue;
      }
      if (SHELLS.has(path.basename(exe))) {
        if (argv[1] === '-c' && argv[2] !== undefined) {scripts.push({ where: `${where} (${exe} -c)`, text: argv[2] });} else if (argv[1] !== undefined) {
          const script = fileAt(mounts, argv[1]);
          if (script === undefined) problem('binary', `${where} runs the script ${argv[1]}, which is in no mounted ConfigMap`);
          else scripts.push({ where: `${where} ${argv[1]}`, text: script });
        }
      }
    }
    // every script of the mounted ConfigMaps may be run by another one
    for (const m of mounts.filter(x => x.kind === 'configMap')) {
      for (const [name, text] of Object.entries(m.files)) {
        if (/^#!/.test(text) && !scripts.some(s => s.text === text)) scripts.push({ where: `script ${m.path}/${name}`, text });
      }
    }
    const writes: { path: string; why: string }[] = [];
    for (const s of scripts) {
      const commands = shellCommands(s.text);
      const vars = scriptVariables(s.text, env);
      for (const cmd of commands) {
        if (SHELL_BUILTINS.has(cmd.name)) continue;
        const resolved = cmd.name.includes('$') ? cmd.name : resolveImageCommand(facts, cmd.name);
        if (!resolved) {
          problem('binary', `${s.where} calls '${cmd.name}', which ${facts.image} does not have`);
        }
      }
      for (const w of scriptWrites(commands, vars, env)) writes.push({ path: w.path, why: `${s.where}: ${w.why}` });
    }
    for (const w of facts.serverWrites.filter(x => x.path.startsWith('/'))) writes.push({ path: w.path, why: `the server writes ${w.what}` });
    const files = mounts.filter(x => x.kind === 'configMap').flatMap(x => Object.values(x.files));
    for (const w of serverConfigWrites([...new Set([...scripts.map(s => s.text), ...files])], env)) writes.push(w);

    // --- every written directory must be writable
    for (const w of writes) {
      if (w.path.startsWith('/dev/') || w.path === '/dev/null') continue;
      const m = mountOf(mounts, w.path);
      if (!m) {
        if (readOnlyRoot) problem('writable', `${w.path} (${w.why}) is on the read-only root filesystem: give it a writable volume (emptyDir)`);
        else if (!imageDirWritable(facts, w.path, uid, groups)) problem('writable', `${w.path} (${w.why}) is not writable by uid ${uid} in ${facts.image}`);
      } else if (m.readOnly) {
        problem('writable', `${w.path} (${w.why}) is on the read-only ${m.kind} volume '${m.volume}' mounted at ${m.path}`);
      }
    }
  }
  return out.filter((v, i) => out.findIndex(o => o.container === v.container && o.message === v.message) === i);
}

/** The mode of each projected file, as the kubelet writes it: the item's mode, else the volume's defaultMode, else 0644. */
function projectedModes(
  files: string[], source: { defaultMode?: number; items?: { key: string; path: string; mode?: number }[] },
): Record<string, number> {
  const byPath = new Map((source.items ?? []).map(i => [i.path, i.mode]));
  return Object.fromEntries(files.map(f => [f, byPath.get(f) ?? source.defaultMode ?? 0o644]));
}

function configMapFiles(data: Record<string, string>, items?: { key: string; path: string }[]): Record<string, string> {
  if (!items) return { ...data };
  return Object.fromEntries(items.map(i => [i.path, data[i.key] ?? '']));
}

/** Content of the mounted ConfigMap file at `file`, if any. */
function fileAt(mounts: Mount[], file: string): string | undefined {
  for (const m of mounts) {
    const rel = path.posix.relative(m.path, file);
    if (!rel.startsWith('..') && m.files[rel] !== undefined) return m.files[rel];
  }
  return undefined;
}

/** The innermost mount holding `target` (the mount point itself included). */
function mountOf(mounts: Mount[], target: string): Mount | undefined {
  const norm = path.posix.normalize(target);
  return mounts
    .filter(m => norm === m.path || norm.startsWith(m.path.replace(/\/$/, '') + '/'))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

function imageDirWritable(facts: ImageFacts, target: string, uid: number, groups: Set<number>): boolean {
  if (uid === 0) return true;
  const dir = facts.directories.filter(d => target === d.path || target.startsWith(d.path + '/')).sort((a, b) => b.path.length - a.path.length)[0];
  // eslint-disable-next-line no-bitwise
  return !!dir && (dir.uid === uid || (groups.has(dir.gid) && ((dir.mode ?? 0o755) & 0o020) !== 0) || ((dir.mode ?? 0o755) & 0o002) !== 0);
}

/** Paths the script writes: redirections, mkdir, touch, mv, rm, tee (directories of files). */
function scriptWrites(commands: ShellCommand[], vars: Record<string, string>, env: Record<string, string>): { path: string; why: string }[] {
  const out: { path: string; why: string }[] = [];
  const add = (raw: string, why: string, isDir: boolean) => {
    const p = expandVariables(raw, vars, env);
    if (p === undefined || !p.startsWith('/') || p.startsWith('/dev/')) return;
    out.push({ path: isDir ? p : path.posix.dirname(p), why: `${why} ${p}` });
  };
  for (const c of commands) {
    for (const w of c.writes) add(w, 'writes', false);
    const operands = c.args.filter(a => !a.startsWith('-'));
    if (c.name === 'mkdir') operands.forEach(a => add(a, 'creates', true));
    if (c.name === 'touch' || c.name === 'tee') operands.forEach(a => add(a, 'writes', false));
    if (c.name === 'rm') operands.forEach(a => add(a, 'removes', false));
    if (c.name === 'mv') operands.forEach(a => add(a, 'moves', false));
  }
  return out;
}

/**
 * What the servers write because of how the scripts start them: Redis and
 * Sentinel rewrite the config file they are given (its directory), mysqld its
 * datadir, socket, pid file, X socket and tmpdir (from `--opt=` arguments and
 * `opt=` lines the scripts write into the option file), HAProxy the `pidfile`
 * and UNIX `stats socket` its configuration names (`-p` on its command line).
 */
function serverConfigWrites(scripts: string[], env: Record<string, string>): { path: string; why: string }[] {
  const out: { path: string; why: string }[] = [];
  for (const text of scripts) {
    const vars = scriptVariables(text, env);
    for (const c of shellCommands(text)) {
      if ((c.name === 'redis-server' || c.name === 'redis-sentinel') && c.args[0] && !c.args[0].startsWith('-')) {
        const p = expandVariables(c.args[0], vars, env);
        if (p) out.push({ path: path.posix.dirname(p), why: `${c.name} rewrites its config file ${p}` });
      }
    }
    for (const m of text.matchAll(/^\s*(pidfile|stats socket)\s+("?)(\/[^"\s]+)\2/gm)) {
      const p = expandVariables(m[3], vars, env) ?? m[3];
      out.push({ path: path.posix.dirname(p), why: `haproxy writes its ${m[1]} ${p}` });
    }
    for (const c of shellCommands(text)) {
      const i = c.name === 'haproxy' ? c.args.indexOf('-p') : -1;
      const p = i >= 0 && c.args[i + 1] ? expandVariables(c.args[i + 1], vars, env) : undefined;
      if (p && p.startsWith('/')) out.push({ path: path.posix.dirname(p), why: `haproxy writes its pid file ${p}` });
    }
    for (const m of text.matchAll(/(?:^|[\s"'])(?:--)?(datadir|socket|pid[-_]file|mysqlx[-_]socket|tmpdir)=("?)([^"\s]+)\2/gm)) {
      const p = expandVariables(m[3], vars, env);
      if (!p || !p.startsWith('/')) continue;
      const isDir = m[1] === 'datadir' || m[1] === 'tmpdir';
      out.push({ path: isDir ? p : path.posix.dirname(p), why: `mysqld writes its ${m[1]} ${p}` });
    }
  }
  return out;
}

/** Every program (not a shell built-in) the first container's command, probes, hooks and mounted scripts call. */
export function calledPrograms(manifests: any[], workload: any): string[] {
  const c = workload.spec.template.spec.containers[0];
  const names = new Set<string>();
  const argvs: string[][] = [[...c.command ?? []]];
  for (const p of [c.startupProbe, c.livenessProbe, c.readinessProbe, c.lifecycle?.postStart, c.lifecycle?.preStop]) {
    if (p?.exec) argvs.push(p.exec.command);
  }
  const configMaps = new Set((workload.spec.template.spec.volumes ?? []).filter((v: any) => v.configMap).map((v: any) => v.configMap.name));
  const texts: string[] = manifests.filter(o => o.kind === 'ConfigMap' && configMaps.has(o.metadata.name))
    .flatMap(o => Object.values(o.data ?? {}) as string[]).filter(t => t.startsWith('#!'));
  for (const argv of argvs) {
    if (argv[0] !== undefined) names.add(path.basename(argv[0]));
    if (SHELLS.has(path.basename(argv[0] ?? '')) && argv[1] === '-c' && argv[2] !== undefined) texts.push(argv[2]);
  }
  for (const t of texts) {
    for (const cmd of shellCommands(t)) if (!SHELL_BUILTINS.has(cmd.name)) names.add(cmd.name);
  }
  return [...names].sort();
}
