/**
 * Runs the real cfn-lint over synthesized templates. Every finding counts — errors, warnings and
 * informational — because users deploy these templates as they are.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface CfnLintFinding {
  readonly rule: string;
  readonly level: string;
  readonly message: string;
  readonly file: string;
  readonly path: string;
}

interface CfnLintJsonMatch {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Filename: string;
  Location?: { Path?: Array<string | number> };
}

/** Template files (`*.template.json`) that a synth wrote into a cloud assembly directory. */
export function templatesIn(assemblyDir: string): string[] {
  return fs
    .readdirSync(assemblyDir)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((f) => path.join(assemblyDir, f));
}

/** Lints the given templates and returns every finding. Throws if cfn-lint itself cannot run. */
export function cfnLint(templates: readonly string[]): CfnLintFinding[] {
  if (templates.length === 0) throw new Error('cfnLint: no templates to lint');
  let stdout: string;
  try {
    stdout = execFileSync('cfn-lint', ['--format', 'json', '--non-zero-exit-code', 'none', '--', ...templates], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    throw new Error(`cfn-lint could not run (is it installed?): ${(err as Error).message}`);
  }
  const matches = JSON.parse(stdout || '[]') as CfnLintJsonMatch[];
  return matches.map((m) => ({
    rule: m.Rule.Id,
    level: m.Level,
    message: m.Message,
    file: path.basename(m.Filename),
    path: (m.Location?.Path ?? []).join('/'),
  }));
}

/** One finding per line, for readable assertion failures. */
export function formatFindings(findings: readonly CfnLintFinding[]): string {
  return findings.map((f) => `${f.file} ${f.rule} (${f.level}) at ${f.path}: ${f.message}`).join('\n');
}
