import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  CacheAuth,
  CacheUser,
  CacheUserAuthentication,
  CacheUserGroup,
  ReplicationGroup,
} from '../../lib/elasticache';
import { CacheConfigurationError } from '../../lib/errors';
import { cfnLint, formatFindings, templatesIn } from '../checks/cfn-lint';
import { formatNagFindings, synthWithNag } from '../checks/nag';
import { redis62, redis71, stackWithVpc, valkey82 } from './support';

function stack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
}

/** A redis group's mandatory, switched-off `default` user. */
function redisDefaultUser(scope: Stack, id = 'Default'): CacheUser {
  return new CacheUser(scope, id, {
    engine: 'redis',
    userName: 'default',
    accessString: 'off -@all',
    authentication: CacheUserAuthentication.noPassword(),
  });
}

describe('CacheUser', () => {
  test('a generated password lives in a secret and reaches ElastiCache as a dynamic reference', () => {
    const s = stack();
    const user = new CacheUser(s, 'App', { engine: 'valkey', userName: 'app', accessString: 'on ~app:* -@all +@read +@write' });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: '{"username":"app"}',
        GenerateStringKey: 'password',
        PasswordLength: 32,
        ExcludeCharacters: Match.stringLikeRegexp('@'),
      }),
    });
    const props = t.findResources('AWS::ElastiCache::User');
    const [resource] = Object.values(props) as Array<{ Properties: Record<string, unknown> }>;
    expect(resource.Properties).toMatchObject({
      Engine: 'valkey',
      UserName: 'app',
      AccessString: 'on ~app:* -@all +@read +@write',
      AuthenticationMode: { Type: 'password' },
    });
    expect(resource.Properties.UserId).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(JSON.stringify(resource.Properties.AuthenticationMode)).toContain('{{resolve:secretsmanager:');
    expect(JSON.stringify(resource.Properties.AuthenticationMode)).toContain(':SecretString:password::}}');
    expect(user.secret).toBeDefined();
  });

  test('passwords from existing secrets (two while rotating); no secret of its own', () => {
    const s = stack();
    const a = secretsmanager.Secret.fromSecretNameV2(s, 'A', 'app/password-a');
    const b = secretsmanager.Secret.fromSecretNameV2(s, 'B', 'app/password-b');
    const user = new CacheUser(s, 'App', {
      engine: 'redis',
      userName: 'app',
      userId: 'app-user',
      accessString: 'on ~* +@all',
      authentication: CacheUserAuthentication.passwordsFromSecrets({ secret: a, jsonField: 'password' }, { secret: b }),
    });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const [resource] = Object.values(t.findResources('AWS::ElastiCache::User')) as Array<{ Properties: { UserId: string; AuthenticationMode: { Passwords: unknown[] } } }>;
    expect(resource.Properties.UserId).toBe('app-user');
    expect(resource.Properties.AuthenticationMode.Passwords).toHaveLength(2);
    expect(user.secret).toBeUndefined();
  });

  test('an IAM user has userId = userName, and grantConnect covers cache and user', () => {
    const { stack: s, vpc } = stackWithVpc();
    const user = new CacheUser(s, 'Iam', { engine: 'valkey', userName: 'reporting', accessString: 'on ~* +@read', authentication: CacheUserAuthentication.iam() });
    const group = new CacheUserGroup(s, 'Group', { engine: 'valkey', users: [user] });
    const cache = new ReplicationGroup(s, 'Cache', { engine: valkey82, vpc, auth: CacheAuth.fromUserGroup(group) });
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    cache.grantConnect(role, user.userArn);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ElastiCache::User', { UserId: 'reporting', UserName: 'reporting', AuthenticationMode: { Type: 'iam' } });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: 'elasticache:Connect', Resource: Match.arrayWith([Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^Iam'), 'Arn'] })]) })],
      },
    });
  });

  test('an imported user has its ARN from the id', () => {
    const s = stack();
    const user = CacheUser.fromUserAttributes(s, 'Imported', { userId: 'ops', userName: 'ops', engine: 'redis' });
    expect(s.resolve(user.userArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:123456789012:user:ops']],
    });
  });
});

describe('CacheUserGroup', () => {
  test('a valkey group of password users, attached to a Valkey cache that waits for it', () => {
    const { stack: s, vpc } = stackWithVpc();
    const app = new CacheUser(s, 'App', { engine: 'valkey', userName: 'app', accessString: 'on ~app:* +@all' });
    const group = new CacheUserGroup(s, 'Group', { engine: 'valkey', users: [app], userGroupId: 'app-users' });
    new ReplicationGroup(s, 'Cache', { engine: valkey82, vpc, auth: CacheAuth.fromUserGroup(group) });
    const t = Template.fromStack(s);
    const groupLogicalId = Object.keys(t.findResources('AWS::ElastiCache::UserGroup'))[0];
    t.hasResourceProperties('AWS::ElastiCache::UserGroup', {
      Engine: 'valkey',
      UserGroupId: 'app-users',
      UserIds: [{ Ref: Match.stringLikeRegexp('^App') }],
    });
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { UserGroupIds: [{ Ref: groupLogicalId }], TransitEncryptionEnabled: true });
  });

  test('a redis group with its default user works on a Redis OSS cache and on a Valkey cache', () => {
    const { stack: s, vpc } = stackWithVpc();
    const app = new CacheUser(s, 'App', { engine: 'redis', userName: 'app', accessString: 'on ~* +@all' });
    const group = new CacheUserGroup(s, 'Group', { engine: 'redis', users: [redisDefaultUser(s), app] });
    new ReplicationGroup(s, 'Redis', { engine: redis71, vpc, auth: CacheAuth.fromUserGroup(group) });
    new ReplicationGroup(s, 'Valkey', { engine: valkey82, vpc, auth: CacheAuth.fromUserGroup(group) });
    Template.fromStack(s).resourceCountIs('AWS::ElastiCache::ReplicationGroup', 2);
  });

  test('a Redis OSS cache refuses a valkey group (the cache validation reads the group engine)', () => {
    const { stack: s, vpc } = stackWithVpc();
    const group = new CacheUserGroup(s, 'Group', {
      engine: 'valkey',
      users: [new CacheUser(s, 'App', { engine: 'valkey', userName: 'app', accessString: 'on ~* +@all' })],
    });
    expect(() => new ReplicationGroup(s, 'Cache', { engine: redis62, vpc, auth: CacheAuth.fromUserGroup(group) })).toThrow(CacheConfigurationError);
  });

  test('templates pass cfn-lint and cdk-nag AwsSolutions (secret rotation acknowledged with a reason)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'users-'));
    try {
      const app = new App({ outdir });
      const s = new Stack(app, 'Users', { env: { account: '123456789012', region: 'us-east-1' } });
      const valkeyUsers = [
        new CacheUser(s, 'App', { engine: 'valkey', userName: 'app', accessString: 'on ~app:* -@all +@read +@write -@dangerous' }),
        new CacheUser(s, 'Reporting', { engine: 'valkey', userName: 'reporting', accessString: 'on ~* %R~* -@all +@read', authentication: CacheUserAuthentication.iam() }),
      ];
      new CacheUserGroup(s, 'ValkeyGroup', { engine: 'valkey', users: valkeyUsers });
      new CacheUserGroup(s, 'RedisGroup', {
        engine: 'redis',
        users: [redisDefaultUser(s), new CacheUser(s, 'Admin', { engine: 'redis', userName: 'admin', accessString: 'on ~* &* +@all' })],
      });
      for (const id of ['App', 'Admin']) {
        Validations.of(s.node.findChild(id)).acknowledge({
          id: 'AwsSolutions-SMG4',
          reason: 'ElastiCache user passwords are rotated by adding a second password to the user, which Secrets Manager rotation cannot do alone.',
        });
      }
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const findings = synthWithNag(app, outdir);
      expect(formatNagFindings(findings)).toBe('');
      expect(formatFindings(cfnLint(templatesIn(outdir)))).toBe('');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('refused at synth, with the prop, the rule and the value', () => {
  const cases: Array<[string, (s: Stack) => void, string]> = [
    [
      'access string without on/off',
      (s) => new CacheUser(s, 'U', { engine: 'valkey', userName: 'app', accessString: '~* +@all' }),
      "accessString must say 'on' or 'off' (without either, ElastiCache creates the user switched off); received '~* +@all'",
    ],
    [
      'access string setting a password',
      (s) => new CacheUser(s, 'U', { engine: 'valkey', userName: 'app', accessString: 'on >secret ~* +@all' }),
      "accessString must not set passwords ('>secret'): give them through the user's authentication instead; received 'on >secret ~* +@all'",
    ],
    [
      'access string with reset',
      (s) => new CacheUser(s, 'U', { engine: 'valkey', userName: 'app', accessString: 'reset on ~* +@all' }),
      "accessString must not contain 'reset' (it would remove the passwords ElastiCache manages); received 'reset on ~* +@all'",
    ],
    [
      'unknown category',
      (s) => new CacheUser(s, 'U', { engine: 'valkey', userName: 'app', accessString: 'on ~* +@reads' }),
      "accessString names an unknown ACL category '@reads' (known: keyspace, read, write, set, sortedset, list, hash, string, bitmap, hyperloglog, geo, stream, pubsub, admin, fast, slow, blocking, dangerous, connection, transaction, scripting, all); received 'on ~* +@reads'",
    ],
    [
      'a token that is no rule',
      (s) => new CacheUser(s, 'U', { engine: 'valkey', userName: 'app', accessString: 'on ~* all' }),
      "accessString has a token that is not an ACL rule: 'all'; received 'on ~* all'",
    ],
    [
      'IAM user with another userId',
      (s) => new CacheUser(s, 'U', { engine: 'valkey', userName: 'svc', userId: 'svc-1', accessString: 'on ~* +@all', authentication: CacheUserAuthentication.iam() }),
      "userId must equal userName ('svc') for an IAM-authenticated user; received 'svc-1'",
    ],
    [
      'IAM user whose name cannot be a UserId',
      (s) => new CacheUser(s, 'U', { engine: 'valkey', userName: 'Svc', accessString: 'on ~* +@all', authentication: CacheUserAuthentication.iam() }),
      "userName must be lowercase for an IAM user (ElastiCache stores the UserId lowercase, and an IAM user's UserId must equal its name); received 'Svc'",
    ],
    [
      'malformed userId',
      (s) => new CacheUser(s, 'U', { engine: 'valkey', userName: 'app', userId: '1app', accessString: 'on ~* +@all' }),
      "userId must start with a letter and contain only letters, digits and single hyphens, not ending in a hyphen; received '1app'",
    ],
    [
      "userId 'default'",
      (s) => new CacheUser(s, 'U', { engine: 'redis', userName: 'default', userId: 'default', accessString: 'off -@all' }),
      "userId must not be 'default' (the UserId of ElastiCache's built-in default user); a user named 'default' needs another userId; received 'default'",
    ],
    [
      'three passwords',
      (s) => {
        const secret = secretsmanager.Secret.fromSecretNameV2(s, 'S', 'x');
        CacheUserAuthentication.passwordsFromSecrets({ secret }, { secret }, { secret });
      },
      'CacheUserAuthentication.passwordsFromSecrets(...) takes one or two passwords (ElastiCache keeps at most two per user); received 3',
    ],
    [
      'generated password too short',
      () => CacheUserAuthentication.generatedPassword({ length: 12 }),
      'CacheUserAuthentication.generatedPassword({ length }) must be an integer between 16 and 128 (ElastiCache user password length); received 12',
    ],
    [
      'redis group without a default user',
      (s) => new CacheUserGroup(s, 'G', { engine: 'redis', users: [new CacheUser(s, 'U', { engine: 'redis', userName: 'app', accessString: 'on ~* +@all' })] }),
      "users of a redis user group must include a user named 'default' (e.g. a CacheUser with userName 'default', accessString 'off -@all' and CacheUserAuthentication.noPassword()); received [\"app\"]",
    ],
    [
      'valkey user in a redis group',
      (s) => new CacheUserGroup(s, 'G', { engine: 'redis', users: [redisDefaultUser(s), new CacheUser(s, 'U', { engine: 'valkey', userName: 'app', accessString: 'on ~* +@all' })] }),
      "users of a redis user group must all have engine 'redis'; received [\"app\"]",
    ],
    [
      'no-password user in a valkey group',
      (s) => new CacheUserGroup(s, 'G', { engine: 'valkey', users: [redisDefaultUser(s)] }),
      'users of a valkey user group must authenticate with a password or IAM (no-password users are allowed only in redis groups); received ["default"]',
    ],
    [
      'two users with one name',
      (s) => new CacheUserGroup(s, 'G', {
        engine: 'valkey',
        users: [
          new CacheUser(s, 'A', { engine: 'valkey', userName: 'app', accessString: 'on ~* +@all' }),
          new CacheUser(s, 'B', { engine: 'valkey', userName: 'app', accessString: 'on ~* +@read' }),
        ],
      }),
      'users must not hold two users with the same userName; received ["app"]',
    ],
    [
      'malformed userGroupId',
      (s) => new CacheUserGroup(s, 'G', { engine: 'valkey', users: [], userGroupId: 'app--users' }),
      "userGroupId must start with a letter, contain only letters, digits and single hyphens, not end in a hyphen, and be at most 40 characters; received 'app--users'",
    ],
  ];

  test.each(cases)('%s', (_name, build, message) => {
    const s = stack();
    let error: unknown;
    try {
      build(s);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CacheConfigurationError);
    expect((error as Error).message).toBe(message);
  });
});
