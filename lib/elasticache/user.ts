import { ArnFormat, IResource, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { validateAccessString } from './access-string';
import { AUTH_TOKEN_EXCLUDED_CHARACTERS, AUTH_TOKEN_MAX_LENGTH, AUTH_TOKEN_MIN_LENGTH } from './auth';
import { CacheEngineName } from './engine';

/** How an RBAC user proves who it is: the AuthenticationMode Type of AWS::ElastiCache::User. */
export type CacheUserAuthenticationType = 'password' | 'iam' | 'no-password-required';

/** Options of {@link CacheUserAuthentication.generatedPassword}. */
export interface GeneratedPasswordOptions {
  /**
   * Length of the generated password: 16–128.
   *
   * @default 32
   */
  readonly length?: number;
  /**
   * KMS key of the secret.
   *
   * @default - Secrets Manager's AWS managed key
   */
  readonly encryptionKey?: kms.IKey;
}

/** A secret, and the JSON field of it that holds a password. */
export interface PasswordSecret {
  /** The secret. */
  readonly secret: secretsmanager.ISecret;
  /**
   * The JSON field that holds the password.
   *
   * @default - the whole secret string is the password
   */
  readonly jsonField?: string;
}

/**
 * How a {@link CacheUser} authenticates.
 *
 * @example
 * CacheUserAuthentication.generatedPassword();                 // a new secret {"username","password"}
 * CacheUserAuthentication.passwordsFromSecrets({ secret });    // one or two existing passwords
 * CacheUserAuthentication.iam();                               // IAM auth tokens (elasticache:Connect)
 * CacheUserAuthentication.noPassword();                        // Redis OSS groups' disabled default user
 */
export class CacheUserAuthentication {
  /** A password generated in a new Secrets Manager secret, passed to ElastiCache as a dynamic reference. */
  public static generatedPassword(options: GeneratedPasswordOptions = {}): CacheUserAuthentication {
    const length = options.length ?? 32;
    if (!Token.isUnresolved(length) && (!Number.isInteger(length) || length < AUTH_TOKEN_MIN_LENGTH || length > AUTH_TOKEN_MAX_LENGTH)) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_USER,
        'CacheUserAuthentication.generatedPassword({ length })',
        `must be an integer between ${AUTH_TOKEN_MIN_LENGTH} and ${AUTH_TOKEN_MAX_LENGTH} (ElastiCache user password length)`,
        length,
      );
    }
    return new CacheUserAuthentication('password', { passwordLength: length, encryptionKey: options.encryptionKey });
  }

  /**
   * One or two passwords held in existing secrets (two while rotating: both are accepted). Each
   * must be 16–128 printable characters.
   */
  public static passwordsFromSecrets(...passwords: PasswordSecret[]): CacheUserAuthentication {
    if (passwords.length < 1 || passwords.length > 2) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_USER,
        'CacheUserAuthentication.passwordsFromSecrets(...)',
        'takes one or two passwords (ElastiCache keeps at most two per user)',
        passwords.length,
      );
    }
    return new CacheUserAuthentication('password', { passwords });
  }

  /** IAM authentication: clients sign a token with credentials allowed `elasticache:Connect`. Needs userId equal to userName. */
  public static iam(): CacheUserAuthentication {
    return new CacheUserAuthentication('iam', {});
  }

  /**
   * No password. ElastiCache allows it only in redis user groups; its use is the switched-off
   * `default` user a Redis OSS group must contain (`off -@all`).
   */
  public static noPassword(): CacheUserAuthentication {
    return new CacheUserAuthentication('no-password-required', {});
  }

  /** The AuthenticationMode Type. */
  public readonly type: CacheUserAuthenticationType;
  /** Length of a generated password. */
  public readonly passwordLength?: number;
  /** KMS key of a generated password's secret. */
  public readonly encryptionKey?: kms.IKey;
  /** Existing passwords. */
  public readonly passwords?: readonly PasswordSecret[];

  private constructor(
    type: CacheUserAuthenticationType,
    fields: { passwordLength?: number; encryptionKey?: kms.IKey; passwords?: readonly PasswordSecret[] },
  ) {
    this.type = type;
    this.passwordLength = fields.passwordLength;
    this.encryptionKey = fields.encryptionKey;
    this.passwords = fields.passwords;
  }
}

/** An ElastiCache RBAC user. */
export interface ICacheUser extends IResource {
  /** The UserId (lowercase; unique in the account and region). */
  readonly userId: string;
  /** The name clients give to AUTH / HELLO. */
  readonly userName: string;
  /** The user's ARN, for `elasticache:Connect` grants of IAM users. */
  readonly userArn: string;
  /** The Engine of the user: `valkey` or `redis`. */
  readonly engine: CacheEngineName;
  /** How the user authenticates, when known (undefined for an imported user given without it). */
  readonly authenticationType?: CacheUserAuthenticationType;
}

/** Props of {@link CacheUser}. */
export interface CacheUserProps {
  /**
   * The Engine of the user. A redis user group holds only redis users; a valkey group takes
   * valkey users (and redis ones).
   */
  readonly engine: CacheEngineName;
  /** The name clients give to AUTH / HELLO. `default` replaces the built-in default user of the group's caches. */
  readonly userName: string;
  /**
   * The UserId: a letter, then letters, digits and hyphens; ElastiCache stores it lowercase and it
   * must be unique in the account and region. IAM users need it equal to `userName`.
   *
   * @default - `userName` for IAM users; otherwise a name unique to this construct's path
   */
  readonly userId?: string;
  /**
   * The ACL rules, as ElastiCache's access string: e.g. `on ~* +@all`, or
   * `on ~app:* -@all +@read`. Checked at synth: known rules only, no passwords, no `reset`, and
   * an explicit `on` or `off`.
   */
  readonly accessString: string;
  /**
   * How the user authenticates.
   *
   * @default CacheUserAuthentication.generatedPassword()
   */
  readonly authentication?: CacheUserAuthentication;
}

/** Attributes of {@link CacheUser.fromUserAttributes}. */
export interface CacheUserAttributes {
  /** The UserId. */
  readonly userId: string;
  /** The user name. */
  readonly userName: string;
  /** The Engine of the user. */
  readonly engine: CacheEngineName;
  /**
   * How the user authenticates; user groups check it (a valkey group refuses no-password users).
   *
   * @default - unknown: not checked
   */
  readonly authenticationType?: CacheUserAuthenticationType;
}

const USER_ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]*$/;

function userArn(scope: Construct, userId: string): string {
  return Stack.of(scope).formatArn({ service: 'elasticache', resource: 'user', resourceName: userId, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * An RBAC user (AWS::ElastiCache::User) for Valkey 7.2+ and Redis OSS 6.0+ caches. Users reach a
 * cache through a {@link CacheUserGroup} given to it with `CacheAuth.fromUserGroup(group)`.
 *
 * With a generated password the user's `secret` holds `{"username": …, "password": …}`; the
 * password reaches ElastiCache as a dynamic reference, never as template text.
 */
export class CacheUser extends Resource implements ICacheUser {
  /** A user created elsewhere. */
  public static fromUserAttributes(scope: Construct, id: string, attrs: CacheUserAttributes): ICacheUser {
    class Imported extends Resource implements ICacheUser {
      public readonly userId = attrs.userId;
      public readonly userName = attrs.userName;
      public readonly engine = attrs.engine;
      public readonly authenticationType = attrs.authenticationType;
      public readonly userArn = userArn(this, attrs.userId);
    }
    return new Imported(scope, id);
  }

  public readonly userId: string;
  public readonly userName: string;
  public readonly userArn: string;
  public readonly engine: CacheEngineName;
  public readonly authenticationType: CacheUserAuthenticationType;
  /** The secret of a generated password, with fields `username` and `password`. */
  public readonly secret?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: CacheUserProps) {
    super(scope, id);
    const authentication = props.authentication ?? CacheUserAuthentication.generatedPassword();
    validateUserName(props.userName);
    validateAccessString('accessString', props.accessString);
    if (authentication.type === 'iam' && props.userId !== undefined && !Token.isUnresolved(props.userId) && props.userId !== props.userName) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_USER,
        'userId',
        `must equal userName ('${props.userName}') for an IAM-authenticated user`,
        props.userId,
      );
    }
    const userId = props.userId ?? (authentication.type === 'iam' ? props.userName : defaultUserId(this));
    validateUserId(authentication.type === 'iam' && props.userId === undefined ? 'userName' : 'userId', userId, authentication.type === 'iam');

    this.engine = props.engine;
    this.userName = props.userName;
    this.authenticationType = authentication.type;

    let passwords: string[] | undefined;
    if (authentication.type === 'password') {
      if (authentication.passwords !== undefined) {
        passwords = authentication.passwords.map((p) => passwordReference(p));
      } else {
        this.secret = new secretsmanager.Secret(this, 'Password', {
          description: `Password of ElastiCache user ${props.userName} (${this.node.path})`,
          encryptionKey: authentication.encryptionKey,
          generateSecretString: {
            secretStringTemplate: JSON.stringify({ username: props.userName }),
            generateStringKey: 'password',
            passwordLength: authentication.passwordLength,
            excludeCharacters: AUTH_TOKEN_EXCLUDED_CHARACTERS,
            includeSpace: false,
          },
        });
        passwords = [passwordReference({ secret: this.secret, jsonField: 'password' })];
      }
    }

    const resource = new elasticache.CfnUser(this, 'Resource', {
      engine: props.engine,
      userId,
      userName: props.userName,
      accessString: props.accessString,
      authenticationMode: passwords !== undefined ? { Type: 'password', Passwords: passwords } : { Type: authentication.type },
    });
    this.userId = resource.ref;
    this.userArn = resource.attrArn;
  }
}

/** `{{resolve:secretsmanager:...}}`: the password never enters the template. */
function passwordReference(p: PasswordSecret): string {
  const value = p.jsonField === undefined ? p.secret.secretValue : p.secret.secretValueFromJson(p.jsonField);
  return value.unsafeUnwrap();
}

function defaultUserId(scope: Construct): string {
  // Unique per construct path (two stacks' "app" users must not collide), lowercase as ElastiCache stores it.
  return Names.uniqueResourceName(scope, { maxLength: 40 }).toLowerCase().replace(/^[^a-z]+/, 'u');
}

function validateUserName(userName: string): void {
  if (Token.isUnresolved(userName)) return;
  if (userName.length === 0 || /\s/.test(userName)) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_USER, 'userName', 'must be a non-empty name without spaces', userName);
  }
}

function validateUserId(prop: string, userId: string, iam: boolean): void {
  if (Token.isUnresolved(userId)) return;
  if (!USER_ID_PATTERN.test(userId) || userId.endsWith('-') || userId.includes('--')) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_USER,
      prop,
      'must start with a letter and contain only letters, digits and single hyphens, not ending in a hyphen' +
        (iam ? ' (an IAM user\'s userId is its userName)' : ''),
      userId,
    );
  }
  if (iam && userId !== userId.toLowerCase()) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_USER,
      prop,
      'must be lowercase for an IAM user (ElastiCache stores the UserId lowercase, and an IAM user\'s UserId must equal its name)',
      userId,
    );
  }
  if (userId.toLowerCase() === 'default') {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_USER,
      prop,
      "must not be 'default' (the UserId of ElastiCache's built-in default user); a user named 'default' needs another userId",
      userId,
    );
  }
}
