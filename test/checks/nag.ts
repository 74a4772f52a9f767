/**
 * Reads the policy-validation report that cdk-nag 3 (a validation plugin, not an Aspect) writes
 * into the cloud assembly, and returns every unacknowledged finding of any severity.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { App } from 'aws-cdk-lib';

export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly constructPath: string;
}

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{
      ruleName: string;
      description: string;
      severity: string;
      violatingConstructs: Array<{ constructPath: string }>;
    }>;
  }>;
}

/**
 * Synthesizes an app that has cdk-nag registered and returns the findings. A synth that fails for
 * any other reason than validation findings rethrows.
 */
export function synthWithNag(app: App, outdir: string): NagFinding[] {
  let validationFailed = false;
  try {
    app.synth();
  } catch (err) {
    // aws-cdk-lib 2.276 throws a ValidationFailed error listing the findings (older versions said
    // "Validation failed"); either way the findings are in the report file read below.
    const e = err as Error;
    if (e.name !== 'ValidationFailed' && !/Validation failed|validation-report\.json/.test(e.message)) throw err;
    validationFailed = true;
  }
  const reportFile = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) {
    if (validationFailed) throw new Error('validation failed but no validation-report.json was written');
    return [];
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ValidationReport;
  const findings: NagFinding[] = [];
  for (const plugin of report.pluginReports) {
    for (const v of plugin.violations) {
      for (const c of v.violatingConstructs) {
        findings.push({ rule: v.ruleName, severity: v.severity, description: v.description, constructPath: c.constructPath });
      }
    }
  }
  return findings;
}

export function formatNagFindings(findings: readonly NagFinding[]): string {
  return findings.map((f) => `${f.rule} (${f.severity}) at ${f.constructPath}: ${f.description}`).join('\n');
}
