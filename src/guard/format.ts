import { GuardFinding, GuardReport, GuardSeverity } from './report';

function label(finding: GuardFinding): string {
  if (finding.severity === GuardSeverity.NOTICE) return 'NOTICE';
  return finding.acknowledged ? 'ALLOWED' : 'BLOCKING';
}

function formatFinding(finding: GuardFinding): string[] {
  return [
    `  ${label(finding)} [${finding.rule}] ${finding.message}`,
    `    objects: ${finding.objects.join(', ')}`,
    '    what to do:',
    ...finding.steps.map((step, i) => `      ${i + 1}. ${step}`),
  ];
}

/** The report as plain text for a terminal or a CI log. */
export function formatReport(report: GuardReport): string {
  const lines: string[] = [];
  for (const component of report.components) {
    const id = component.namespace ? `${component.namespace}/${component.component}` : component.component;
    lines.push(`${id} (${component.change})${component.findings.length === 0 ? ': no findings' : ''}`);
    for (const finding of component.findings) lines.push(...formatFinding(finding));
  }
  if (report.skipped.length > 0) {
    lines.push('', `skipped ${report.skipped.length} object(s):`, ...report.skipped.map(s => `  - ${s}`));
  }
  lines.push('', `${report.blocked ? 'BLOCKED' : 'OK'}: ${report.blockingCount} blocking, ${report.acknowledgedCount} allowed, ${report.noticeCount} notice(s)`);
  return lines.join('\n') + '\n';
}
