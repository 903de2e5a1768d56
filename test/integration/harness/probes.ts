/**
 * One probe attempt, like the kubelet's prober: exec probes run inside the
 * container; tcpSocket and httpGet connect to the pod IP (from inside the
 * pod's network namespace, the only place the pod IP is reachable from).
 */
import { ContainerTarget, execInContainer } from './container-exec';
import { ResolvedProbe } from './pod-spec';
import { ExecResult, run, sleep } from './system';

/** Where a probe runs. */
export interface ProbeContext {
  readonly netns: string;
  readonly podIP: string;
  readonly container: ContainerTarget;
}

const HTTP_PROBE = `
const [scheme, host, port, path, headers, timeout] = process.argv.slice(1);
const lib = require(scheme === 'HTTPS' ? 'https' : 'http');
const req = lib.request({ host, port: Number(port), path, method: 'GET', headers: JSON.parse(headers), timeout: Number(timeout), rejectUnauthorized: false }, (res) => {
  res.resume();
  console.log('HTTP ' + res.statusCode);
  process.exit(res.statusCode >= 200 && res.statusCode < 400 ? 0 : 1);
});
req.on('timeout', () => { console.error('timeout'); process.exit(1); });
req.on('error', (e) => { console.error(String(e)); process.exit(1); });
req.end();
`;

/** Runs one attempt of `probe` (or a lifecycle handler); success is `code === 0`. */
export async function probeOnce(probe: ResolvedProbe, ctx: ProbeContext): Promise<ExecResult> {
  const timeoutMs = Math.max(1, probe.timeoutSeconds) * 1000;
  switch (probe.kind) {
    case 'exec':
      return execInContainer(ctx.container, probe.command ?? [], { timeoutMs });
    case 'tcpSocket':
      return run('/usr/sbin/ip', ['netns', 'exec', ctx.netns, '/bin/nc', '-z', '-w', String(Math.max(1, probe.timeoutSeconds)), probe.host ?? ctx.podIP, String(probe.port)], { timeoutMs: timeoutMs + 2000 });
    case 'httpGet': {
      const headers: Record<string, string> = {};
      for (const h of probe.headers ?? []) headers[h.name] = h.value;
      return run('/usr/sbin/ip', ['netns', 'exec', ctx.netns, process.execPath, '-e', HTTP_PROBE,
        probe.scheme ?? 'HTTP', probe.host ?? ctx.podIP, String(probe.port), probe.path ?? '/', JSON.stringify(headers), String(timeoutMs)],
      { timeoutMs: timeoutMs + 5000 });
    }
    case 'sleep':
      await sleep((probe.sleepSeconds ?? 0) * 1000);
      return { code: 0, stdout: '', stderr: '' };
    default:
      return { code: 1, stdout: '', stderr: `harness: ${probe.kind} probes are not supported` };
  }
}
