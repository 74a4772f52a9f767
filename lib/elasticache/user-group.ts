import { ArnFormat, IResource, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { CacheConfigurationError, CacheErrorCodes } from '../errors';
import { CacheEngineName } from './engine';
import { ICacheUser } from './user';

/** An ElastiCache RBAC user group. */
export interface ICacheUserGroup extends IResource {
  /** The UserGroupId, as a cache's UserGroupIds takes it. */
  readonly userGroupId: string;
  /** The user group's ARN. */
  readonly userGroupArn: string;
  /** The Engine of the group: a Valkey cache accepts valkey and redis groups, a Redis OSS cache only redis groups. */
  readonly engine: CacheEngineName;
}

/** Props of {@link CacheUserGroup}. */
export interface CacheUserGroupProps {
  /**
   * The Engine of the group. A `redis` group holds only redis users and must hold one named
   * `default`; a `valkey` group holds no no-password users.
   */
  readonly engine: CacheEngineName;
  /** The users of the group (each user name at most once). */
  readonly users: readonly ICacheUser[];
  /**
   * The UserGroupId: a letter, then letters, digits and single hyphens, at most 40 characters.
   *
   * @default - a name unique to this construct's path
   */
  readonly userGroupId?: string;
}

const GROUP_ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]*$/;
const GROUP_ID_MAX_LENGTH = 40;

/**
 * An RBAC user group (AWS::ElastiCache::UserGroup): give it to a cache with
 * `auth: CacheAuth.fromUserGroup(group)`. The engine rules ElastiCache applies are checked at synth.
 */
export class CacheUserGroup extends Resource implements ICacheUserGroup {
  /** A user group created elsewhere. */
  public static fromUserGroupAttributes(scope: Construct, id: string, attrs: { userGroupId: string; engine: CacheEngineName }): ICacheUserGroup {
    class Imported extends Resource implements ICacheUserGroup {
      public readonly userGroupId = attrs.userGroupId;
      public readonly engine = attrs.engine;
      public readonly userGroupArn = Stack.of(scope).formatArn({
        service: 'elasticache',
        resource: 'usergroup',
        resourceName: attrs.userGroupId,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    }
    return new Imported(scope, id);
  }

  public readonly userGroupId: string;
  public readonly userGroupArn: string;
  public readonly engine: CacheEngineName;
  /** The users of the group. */
  public readonly users: readonly ICacheUser[];

  constructor(scope: Construct, id: string, props: CacheUserGroupProps) {
    super(scope, id);
    const groupId = props.userGroupId ?? Names.uniqueResourceName(this, { maxLength: GROUP_ID_MAX_LENGTH }).toLowerCase();
    validateGroupId(groupId);
    validateMembers(props.engine, props.users);

    this.engine = props.engine;
    this.users = [...props.users];
    const resource = new elasticache.CfnUserGroup(this, 'Resource', {
      engine: props.engine,
      userGroupId: groupId,
      userIds: props.users.map((u) => u.userId),
    });
    // Users the group refers to by plain id (imported ones) carry no reference to wait on; created ones do through their Ref.
    this.userGroupId = resource.ref;
    this.userGroupArn = resource.attrArn;
  }
}

function validateGroupId(groupId: string): void {
  if (Token.isUnresolved(groupId)) return;
  if (!GROUP_ID_PATTERN.test(groupId) || groupId.endsWith('-') || groupId.includes('--') || groupId.length > GROUP_ID_MAX_LENGTH) {
    throw CacheConfigurationError.invalid(
      CacheErrorCodes.INVALID_USER_GROUP,
      'userGroupId',
      `must start with a letter, contain only letters, digits and single hyphens, not end in a hyphen, and be at most ${GROUP_ID_MAX_LENGTH} characters`,
      groupId,
    );
  }
}

function validateMembers(engine: CacheEngineName, users: readonly ICacheUser[]): void {
  const names = new Map<string, number>();
  for (const user of users) {
    if (Token.isUnresolved(user.userName)) continue;
    names.set(user.userName, (names.get(user.userName) ?? 0) + 1);
  }
  const duplicates = [...names].filter(([, n]) => n > 1).map(([name]) => name);
  if (duplicates.length > 0) {
    throw CacheConfigurationError.invalid(CacheErrorCodes.INVALID_USER_GROUP, 'users', 'must not hold two users with the same userName', duplicates);
  }
  if (engine === 'redis') {
    const others = users.filter((u) => u.engine !== 'redis').map((u) => u.userName);
    if (others.length > 0) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_USER_GROUP,
        'users',
        "of a redis user group must all have engine 'redis'",
        others,
      );
    }
    if (!names.has('default') && !users.some((u) => Token.isUnresolved(u.userName))) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_USER_GROUP,
        'users',
        "of a redis user group must include a user named 'default' (e.g. a CacheUser with userName 'default', accessString 'off -@all' and CacheUserAuthentication.noPassword())",
        users.map((u) => u.userName),
      );
    }
  } else {
    const noPassword = users.filter((u) => u.authenticationType === 'no-password-required').map((u) => u.userName);
    if (noPassword.length > 0) {
      throw CacheConfigurationError.invalid(
        CacheErrorCodes.INVALID_USER_GROUP,
        'users',
        'of a valkey user group must authenticate with a password or IAM (no-password users are allowed only in redis groups)',
        noPassword,
      );
    }
  }
}
