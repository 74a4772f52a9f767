#!/usr/bin/env node
/**
 * The example CDK app (cdk.json points here): `npx cdk synth` writes one template per stack into
 * cdk.out, offline and without AWS credentials, and runs cdk-nag's AwsSolutions checks.
 */
import { App } from 'aws-cdk-lib';
import { buildExampleApp } from './example-stacks';

const app = new App();
buildExampleApp(app);
app.synth();
