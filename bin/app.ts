#!/usr/bin/env node
/**
 * The example CDK app (cdk.json points here): `npx cdk synth` writes one template per stack into
 * cdk.out, offline and without AWS credentials, and runs cdk-nag's AwsSolutions checks.
 */
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from './example-stacks';
import { buildSelfHostedExamples } from './self-hosted-example-stacks';

const app = new App();
buildExampleApp(app);
// In a test of their own (test/self-hosted/example-stacks.test.ts): their templates name the
// server bundle by its hash, which changes with every server change.
buildSelfHostedExamples(app);
app.synth();
