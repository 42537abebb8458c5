// Gets a user by name, creating it when missing: what `apikey create --user NAME` needs, and safe to run twice or
// concurrently (the unique username decides; the loser reads the winner's row).

import type { Sql } from 'postgres';
import { z } from 'zod';
import { assert } from './codes.js';
import { parseInput, usernameSchema } from './internal/fields.js';
import { USER_COLUMNS, toUser, type UserRow } from './internal/rows.js';
import type { User } from './types.js';

export interface EnsureUserOptions {
  readonly sql: Sql;
  readonly username: string;
}

const ensureUserInput = z.object({ username: usernameSchema });

export async function ensureUser(options: EnsureUserOptions): Promise<{ user: User; created: boolean }> {
  const { username } = parseInput('ensureUser', ensureUserInput, { username: options.username });
  const inserted = await options.sql<UserRow[]>`
    insert into users (username) values (${username})
    on conflict (username) do nothing
    returning ${options.sql.unsafe(USER_COLUMNS)}`;
  const row = inserted[0];
  if (row !== undefined) return { user: toUser(row), created: true };
  const existing = await options.sql<
    UserRow[]
  >`select ${options.sql.unsafe(USER_COLUMNS)} from users where username = ${username}`;
  const found = existing[0];
  assert(found !== undefined, 'a username that conflicted exists (users are never deleted)');
  return { user: toUser(found), created: false };
}
