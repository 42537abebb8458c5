// A pool or a transaction: what the helpers that run inside a caller's transaction accept.

import type { ISql } from 'postgres';

export type Queryable = ISql;
