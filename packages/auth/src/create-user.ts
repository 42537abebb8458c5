// Creates a user: the row whose id is the engine's numeric userId. Sign-up (email, password, 2FA) comes later and
// adds to this; for now operators and the CLI create users by name.

import type { Sql } from 'postgres';
import { z } from 'zod';
import { AuthError } from './codes.js';
import { parseInput, usernameSchema } from './internal/fields.js';
import { USER_COLUMNS, toUser, type UserRow } from './internal/rows.js';
import type { User } from './types.js';

export interface CreateUserOptions {
  readonly sql: Sql;
  /** 3-32 letters, digits, '.', '_', '-'; stored in lower case. */
  readonly username: string;
}

const createUserInput = z.object({ username: usernameSchema });

/** Throws AuthError USERNAME_TAKEN when the name is in use, INPUT_INVALID (field `username`) when malformed. */
export async function createUser(options: CreateUserOptions): Promise<User> {
  const { username } = parseInput('createUser', createUserInput, { username: options.username });
  const rows = await options.sql<UserRow[]>`
    insert into users (username) values (${username})
    on conflict (username) do nothing
    returning ${options.sql.unsafe(USER_COLUMNS)}`;
  const row = rows[0];
  if (row === undefined) throw new AuthError('USERNAME_TAKEN', `createUser: username '${username}' is taken`);
  return toUser(row);
}
