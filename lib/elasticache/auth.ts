import { Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { CacheEngineName } from './engine';
import type { ICacheUserGroup } from './user-group';

/**
 * The printable ASCII characters an AUTH token may not contain. ElastiCache allows letters,
 * digits and only the specials `! & # $ ^ < > -`; spaces are excluded separately.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
 */
export const AUTH_TOKEN_EXCLUDED_CHARACTERS = '"%\'()*+,./:;=?@[\\]_`{|}~';

/** AUTH tokens are 16–128 characters. */
export const AUTH_TOKEN_MIN_LENGTH = 16;
/** AUTH tokens are 16–128 characters. */
export const AUTH_TOKEN_MAX_LENGTH = 128;

/**
 * Options of {@link CacheAuth.token}.
 */
export interface GeneratedAuthTokenOptions {
  /**
   * Length of the generated token: 16–128.
   *
   * @default 64
   */
  readonly length?: number;
  /**
   * The KMS key that encrypts the secret.
   *
   * @default - the account's AWS managed key for Secrets Manager
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Options of {@link CacheAuth.tokenFromSecret}.
 */
export interface AuthTokenFromSecretOptions {
  /**
   * The JSON field of the secret that holds the token.
   *
   * @default - the whole secret string is the token
   */
  readonly jsonField?: string;
}

/**
 * Options of {@link CacheAuth.userGroup}.
 */
export interface UserGroupAuthOptions {
  /** The UserGroupId of an AWS::ElastiCache::UserGroup. */
  readonly userGroupId: string;
  /**
   * The Engine of the user group. A Valkey cache accepts valkey and redis groups, a Redis OSS
   * cache only redis groups.
   */
  readonly engine: CacheEngineName;
}

/** Which kind of authentication a {@link CacheAuth} configures. */
export type CacheAuthKind = 'generated-token' | 'token-from-secret' | 'user-group' | 'none';

/**
 * How clients authenticate to the cache.
 *
 * Switching an existing replication group from an AUTH token to a user group replaces the
 * replication group in CloudFormation (a new, empty cache with a new endpoint):
 * https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2356.
 * Choose user groups at creation time, or migrate outside CloudFormation.
 *
 * @example
 * CacheAuth.token();                                    // generated in Secrets Manager
 * CacheAuth.tokenFromSecret(secret);
 * CacheAuth.userGroup({ userGroupId: 'app-users', engine: 'valkey' });
 * CacheAuth.fromUserGroup(group);                      // a CacheUserGroup
 * CacheAuth.none();
 */
export class CacheAuth {
  /**
   * An AUTH token generated in an AWS::SecretsManager::Secret (16–128 characters of letters,
   * digits and `! & # $ ^ < > -`) and passed to ElastiCache as a dynamic reference, never as
   * plain text. Needs transit encryption.
   */
  public static token(options: GeneratedAuthTokenOptions = {}): CacheAuth {
    const length = options.length ?? 64;
    if (!Token.isUnresolved(length) && (!Number.isInteger(length) || length < AUTH_TOKEN_MIN_LENGTH || length > AUTH_TOKEN_MAX_LENGTH)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_AUTH_TOKEN,
        'CacheAuth.token({ length })',
        `must be an integer between ${AUTH_TOKEN_MIN_LENGTH} and ${AUTH_TOKEN_MAX_LENGTH} (ElastiCache AUTH token length)`,
        length,
      );
    }
    return new CacheAuth('generated-token', { tokenLength: length, secretEncryptionKey: options.encryptionKey });
  }

  /**
   * An AUTH token held in an existing secret, passed as a dynamic reference. The token must be
   * 16–128 characters of letters, digits and `! & # $ ^ < > -`. Needs transit encryption.
   */
  public static tokenFromSecret(secret: secretsmanager.ISecret, options: AuthTokenFromSecretOptions = {}): CacheAuth {
    return new CacheAuth('token-from-secret', { secret, jsonField: options.jsonField });
  }

  /**
   * An RBAC user group (Valkey, Redis OSS 6.0+). Needs transit encryption.
   *
   * Switching from an AUTH token to a user group replaces the replication group.
   */
  public static userGroup(options: UserGroupAuthOptions): CacheAuth {
    return new CacheAuth('user-group', { userGroupId: options.userGroupId, userGroupEngine: options.engine });
  }

  /**
   * A {@link CacheUserGroup} of this app, or one imported with `CacheUserGroup.fromUserGroupAttributes`.
   * Needs transit encryption; the cache waits for the group (and its users) to exist.
   */
  public static fromUserGroup(group: ICacheUserGroup): CacheAuth {
    return new CacheAuth('user-group', { userGroupId: group.userGroupId, userGroupEngine: group.engine });
  }

  /** No authentication: anyone who can reach the port can use the cache. */
  public static none(): CacheAuth {
    return new CacheAuth('none', {});
  }

  /** Which kind of authentication this is. */
  public readonly kind: CacheAuthKind;
  /** Length of a generated token. */
  public readonly tokenLength?: number;
  /** KMS key of a generated token's secret. */
  public readonly secretEncryptionKey?: kms.IKey;
  /** The secret of {@link CacheAuth.tokenFromSecret}. */
  public readonly secret?: secretsmanager.ISecret;
  /** The JSON field of {@link CacheAuth.tokenFromSecret}. */
  public readonly jsonField?: string;
  /** The user group of {@link CacheAuth.userGroup}. */
  public readonly userGroupId?: string;
  /** The engine of the user group of {@link CacheAuth.userGroup}. */
  public readonly userGroupEngine?: CacheEngineName;

  private constructor(kind: CacheAuthKind, fields: Omit<CacheAuthFields, 'kind'>) {
    this.kind = kind;
    this.tokenLength = fields.tokenLength;
    this.secretEncryptionKey = fields.secretEncryptionKey;
    this.secret = fields.secret;
    this.jsonField = fields.jsonField;
    this.userGroupId = fields.userGroupId;
    this.userGroupEngine = fields.userGroupEngine;
  }

  /** True when this authentication sends an AUTH token. */
  public get usesToken(): boolean {
    return this.kind === 'generated-token' || this.kind === 'token-from-secret';
  }
}

type CacheAuthFields = Pick<
  CacheAuth,
  'kind' | 'tokenLength' | 'secretEncryptionKey' | 'secret' | 'jsonField' | 'userGroupId' | 'userGroupEngine'
>;
