// wallet: the signed-in user's deposit and withdrawal history, read from the ledger's append-only transfers
// (ledger_transfers, written by the engine's projection). Balances themselves come from the gateway (account and
// the user data stream); this is the history the gateway has no endpoint for. Two partial indexes (deposits and
// corrections in, withdrawal holds and corrections out, by owner) keep it off a scan of every trade transfer.
//
// How the engine records them (packages/engine creditDeposit/holdWithdrawal/settleWithdrawal/releaseWithdrawal,
// packages/ledger):
// - a deposit is one DEPOSIT transfer to the user's AVAILABLE, external_key `deposit:<depositId>`;
// - a withdrawal opens a hold (WITHDRAWAL_HOLD, AVAILABLE -> WITHDRAWING, reference = the hold's id), then either
//   settles it (WITHDRAWAL_SETTLE to the system, plus WITHDRAWAL_FEE when there is a fee) or gives it back
//   (WITHDRAWAL_RELEASE); every transfer of one withdrawal carries the same reference;
// - a staff correction is one ADJUSTMENT transfer, to or from the user.
// Amounts leave as decimal strings with the asset's decimals from the tenant config (the ledger counts minor units).

import { loadTenantConfigFromEnvironment, minorToDecimal, type TenantConfig } from '@exbox/config';
import { TRPCError } from '@trpc/server';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc.js';
import { iso, isoDate } from './schemas.js';

const isoFromMs = (ms: number) => iso(new Date(Math.round(ms)));

/** Entries one call returns at most, and by default. */
export const walletHistoryLimitMax = 200;
export const walletHistoryLimitDefault = 100;

const withdrawalCodes = ['WITHDRAWAL_HOLD', 'WITHDRAWAL_SETTLE', 'WITHDRAWAL_FEE', 'WITHDRAWAL_RELEASE'] as const;

export const walletHistoryEntry = z.object({
  /** Stable per entry: `deposit:<transfer id>`, `withdrawal:<hold id>`, `adjustment:<transfer id>`. */
  id: z.string(),
  kind: z.enum(['DEPOSIT', 'WITHDRAWAL', 'ADJUSTMENT']),
  asset: z.string(),
  /**
   * Decimal string. A deposit: what was credited. A withdrawal: what left the balance (the payout plus the fee).
   * An adjustment: signed, negative when it took from the balance.
   */
  amount: z.string(),
  /** The withdrawal fee; "0" otherwise. */
  fee: z.string(),
  /** A deposit or adjustment is COMPLETED when recorded; a withdrawal is PENDING until settled or CANCELLED. */
  status: z.enum(['COMPLETED', 'PENDING', 'CANCELLED']),
  /** A deposit's external id (a chain transaction, a bank reference); a withdrawal's id; null for adjustments. */
  reference: z.string().nullable(),
  createdAt: isoDate,
  /** When the status last changed (a withdrawal's settlement or release). */
  updatedAt: isoDate,
});

export type WalletHistoryEntry = z.infer<typeof walletHistoryEntry>;

interface TransferRow {
  id: string;
  code: string;
  asset: string;
  amount: string;
  reference: string;
  debit_owner_id: string;
  credit_owner_id: string;
  external_key: string | null;
  /** Epoch milliseconds: the database client does not parse timestamps into Dates. */
  created_ms: number;
}

/** The tenant config, read once per process (its asset decimals turn minor units into decimal strings). */
let tenant: Promise<TenantConfig> | null = null;
const tenantConfig = (): Promise<TenantConfig> => {
  tenant ??= loadTenantConfigFromEnvironment().catch((error: unknown) => {
    tenant = null;
    throw error;
  });
  return tenant;
};

/** The user's deposits, withdrawals and adjustments, newest first. */
export async function listWalletHistory(options: {
  sql: Sql;
  userId: number;
  limit: number;
  decimalsOf: (asset: string) => number | undefined;
}): Promise<WalletHistoryEntry[]> {
  const { sql, userId, limit } = options;
  // The entries' first transfers, newest first; a withdrawal's later transfers are fetched by their reference.
  const heads = await sql<TransferRow[]>`
    select id::text, code, asset, amount::text, reference::text, debit_owner_id::text, credit_owner_id::text,
           external_key,
           (extract(epoch from created_at) * 1000)::float8 as created_ms
    from ledger_transfers
    where (code = 'DEPOSIT' and credit_owner_id = ${userId})
       or (code = 'WITHDRAWAL_HOLD' and debit_owner_id = ${userId})
       or (code = 'ADJUSTMENT' and credit_owner_id = ${userId})
       or (code = 'ADJUSTMENT' and debit_owner_id = ${userId})
    order by ledger_transfers.id desc
    limit ${limit}`;
  const holdReferences = heads.filter((row) => row.code === 'WITHDRAWAL_HOLD').map((row) => row.reference);
  const followUps =
    holdReferences.length === 0
      ? []
      : await sql<TransferRow[]>`
          select id::text, code, asset, amount::text, reference::text, debit_owner_id::text, credit_owner_id::text,
                 external_key,
           (extract(epoch from created_at) * 1000)::float8 as created_ms
          from ledger_transfers
          where reference = any(${holdReferences}::bigint[]) and debit_owner_id = ${userId}
            and code in ${sql(withdrawalCodes.filter((code) => code !== 'WITHDRAWAL_HOLD'))}
          order by ledger_transfers.id`;
  const byReference = new Map<string, TransferRow[]>();
  for (const row of followUps) byReference.set(row.reference, [...(byReference.get(row.reference) ?? []), row]);

  const decimal = (asset: string, minor: bigint): string => {
    const decimals = options.decimalsOf(asset);
    // The engine refuses unknown assets, so an asset with history that the config lacks is a broken config.
    if (decimals === undefined) throw new Error(`wallet history: asset ${asset} is not in the tenant config`);
    return minorToDecimal(minor, decimals);
  };

  return heads.map((row): WalletHistoryEntry => {
    const minor = BigInt(row.amount);
    const createdAt = isoFromMs(row.created_ms);
    switch (row.code) {
      case 'DEPOSIT':
        return {
          id: `deposit:${row.id}`,
          kind: 'DEPOSIT',
          asset: row.asset,
          amount: decimal(row.asset, minor),
          fee: '0',
          status: 'COMPLETED',
          reference: row.external_key?.replace(/^deposit:/, '') ?? null,
          createdAt,
          updatedAt: createdAt,
        };
      case 'WITHDRAWAL_HOLD': {
        const later = byReference.get(row.reference) ?? [];
        const feeMinor = later
          .filter((transfer) => transfer.code === 'WITHDRAWAL_FEE')
          .reduce((sum, transfer) => sum + BigInt(transfer.amount), 0n);
        const settled = later.some((transfer) => transfer.code === 'WITHDRAWAL_SETTLE');
        const released = later.some((transfer) => transfer.code === 'WITHDRAWAL_RELEASE');
        const last = later.at(-1);
        return {
          id: `withdrawal:${row.reference}`,
          kind: 'WITHDRAWAL',
          asset: row.asset,
          amount: decimal(row.asset, minor),
          fee: decimal(row.asset, feeMinor),
          status: settled ? 'COMPLETED' : released ? 'CANCELLED' : 'PENDING',
          reference: row.reference,
          createdAt,
          updatedAt: last === undefined ? createdAt : isoFromMs(last.created_ms),
        };
      }
      default: {
        const credit = row.credit_owner_id === String(userId);
        return {
          id: `adjustment:${row.id}`,
          kind: 'ADJUSTMENT',
          asset: row.asset,
          amount: decimal(row.asset, credit ? minor : -minor),
          fee: '0',
          status: 'COMPLETED',
          // The memo names the staff member; it stays in the back office.
          reference: null,
          createdAt,
          updatedAt: createdAt,
        };
      }
    }
  });
}

export const walletRouter = router({
  /** The session user's deposits, withdrawals and balance corrections, newest first. */
  history: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(walletHistoryLimitMax).optional() }).optional())
    .output(z.array(walletHistoryEntry))
    .query(async ({ ctx, input }) => {
      let config: TenantConfig;
      try {
        config = await tenantConfig();
      } catch (error) {
        throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal error', cause: error });
      }
      const decimals = new Map(config.assets.map((asset) => [asset.code, asset.decimals]));
      return listWalletHistory({
        sql: ctx.sql,
        userId: ctx.session.session.userId,
        limit: input?.limit ?? walletHistoryLimitDefault,
        decimalsOf: (asset) => decimals.get(asset),
      });
    }),
});
