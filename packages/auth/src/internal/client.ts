// The client a request came from, as the edge reports it: recorded in sessions, login history and the audit log.

import { z } from 'zod';
import { ipTextSchema, userAgentSchema } from './account-fields.js';

export interface ClientInfo {
  /** The client's address as the edge saw it (after trusted proxies); '' when unknown. */
  readonly ip?: string;
  readonly userAgent?: string;
}

const clientSchema = z.object({ ip: ipTextSchema, userAgent: userAgentSchema });

export function readClient(client: ClientInfo): { ip: string; userAgent: string } {
  return clientSchema.parse({ ip: client.ip ?? '', userAgent: client.userAgent ?? '' });
}
