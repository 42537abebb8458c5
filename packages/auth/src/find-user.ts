// Finds a user by name or by id; undefined when there is none.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { parseInput, userIdSchema, usernameSchema } from './internal/fields.js';
import { USER_COLUMNS, toUser, type UserRow } from './internal/rows.js';
import type { User } from './types.js';

export type FindUserOptions = { readonly sql: Sql } & (
  | { readonly username: string; readonly userId?: undefined }
  | { readonly userId: number; readonly username?: undefined }
);

const byUsername = z.object({ username: usernameSchema });
const byUserId = z.object({ userId: userIdSchema });

export async function findUser(options: FindUserOptions): Promise<User | undefined> {
  const rows =
    options.userId === undefined
      ? await options.sql<UserRow[]>`select ${options.sql.unsafe(USER_COLUMNS)} from users
          where username = ${parseInput('findUser', byUsername, { username: options.username }).username}`
      : await options.sql<UserRow[]>`select ${options.sql.unsafe(USER_COLUMNS)} from users
          where id = ${parseInput('findUser', byUserId, { userId: options.userId }).userId}`;
  const row = rows[0];
  return row === undefined ? undefined : toUser(row);
}
