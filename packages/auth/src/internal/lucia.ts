// lucia v3 over @lucia-auth/adapter-drizzle's PostgreSQL adapter: one Lucia per pool. lucia owns session ids,
// expiry and sliding renewal; our attributes (public id, address, user agent, second factor) ride along as columns.

import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { bigint, pgTable } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { Lucia, TimeSpan } from 'lucia';
import type { Sql } from 'postgres';
import { SESSION_LIFETIME_MS } from '../limits.js';
import { sessions } from '../schema.js';

/** What lucia stores with a session besides id, user and expiry (columns of `sessions`). */
export interface SessionAttributes {
  publicId: string;
  ip: string;
  userAgent: string;
  twoFactorVerified: boolean;
  createdAt: Date;
}

// lucia joins sessions to users to find the user; a view of the table with its id alone keeps password hashes
// and TOTP material out of every session check. Not in schema.ts: drizzle-kit must not see a second `users`.
const sessionUsers = pgTable('users', { id: bigint('id', { mode: 'number' }).primaryKey() });

function buildLucia(sql: Sql) {
  // drizzle over the caller's pool (as createDb does); raw queries here select timestamps as text either way.
  const adapter = new DrizzlePostgreSQLAdapter(drizzle({ client: sql }), sessions, sessionUsers);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(SESSION_LIFETIME_MS / 1000, 's'),
    getSessionAttributes: (attributes) => ({
      publicId: attributes.publicId,
      ip: attributes.ip,
      userAgent: attributes.userAgent,
      twoFactorVerified: attributes.twoFactorVerified,
      createdAt: attributes.createdAt,
    }),
  });
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof buildLucia>;
    UserId: number;
    DatabaseSessionAttributes: SessionAttributes;
  }
}

const luciaByPool = new WeakMap<Sql, ReturnType<typeof buildLucia>>();

export function luciaFor(sql: Sql): ReturnType<typeof buildLucia> {
  let lucia = luciaByPool.get(sql);
  if (lucia === undefined) {
    lucia = buildLucia(sql);
    luciaByPool.set(sql, lucia);
  }
  return lucia;
}
