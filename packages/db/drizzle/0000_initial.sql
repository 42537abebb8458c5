CREATE TABLE "ledger_balances" (
	"owner_id" bigint NOT NULL,
	"asset" text NOT NULL,
	"bucket" text NOT NULL,
	"amount" numeric(38, 0) NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "ledger_balances_pk" PRIMARY KEY("owner_id","asset","bucket"),
	CONSTRAINT "ledger_balances_bucket_known" CHECK ("ledger_balances"."bucket" IN ('AVAILABLE', 'LOCKED', 'WITHDRAWING', 'FEES', 'CUSTODY', 'DEPOSITS_IN_FLIGHT', 'WITHDRAWALS_IN_FLIGHT', 'ADJUSTMENTS', 'INSURANCE')),
	CONSTRAINT "ledger_balances_user_non_negative" CHECK ("ledger_balances"."bucket" NOT IN ('AVAILABLE', 'LOCKED', 'WITHDRAWING') OR "ledger_balances"."amount" >= 0),
	CONSTRAINT "ledger_balances_owner_kind" CHECK (("ledger_balances"."owner_id" = 0) = ("ledger_balances"."bucket" NOT IN ('AVAILABLE', 'LOCKED', 'WITHDRAWING')))
);
--> statement-breakpoint
CREATE TABLE "ledger_transfers" (
	"id" bigint PRIMARY KEY NOT NULL,
	"sequence" bigint NOT NULL,
	"debit_owner_id" bigint NOT NULL,
	"debit_bucket" text NOT NULL,
	"credit_owner_id" bigint NOT NULL,
	"credit_bucket" text NOT NULL,
	"asset" text NOT NULL,
	"amount" numeric(38, 0) NOT NULL,
	"code" text NOT NULL,
	"reference" bigint NOT NULL,
	"hold_id" bigint,
	"hold_action" text,
	"external_key" text,
	"memo" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_transfers_amount_positive" CHECK ("ledger_transfers"."amount" > 0),
	CONSTRAINT "ledger_transfers_accounts_differ" CHECK ("ledger_transfers"."debit_owner_id" <> "ledger_transfers"."credit_owner_id" OR "ledger_transfers"."debit_bucket" <> "ledger_transfers"."credit_bucket"),
	CONSTRAINT "ledger_transfers_debit_bucket_known" CHECK ("ledger_transfers"."debit_bucket" IN ('AVAILABLE', 'LOCKED', 'WITHDRAWING', 'FEES', 'CUSTODY', 'DEPOSITS_IN_FLIGHT', 'WITHDRAWALS_IN_FLIGHT', 'ADJUSTMENTS', 'INSURANCE')),
	CONSTRAINT "ledger_transfers_credit_bucket_known" CHECK ("ledger_transfers"."credit_bucket" IN ('AVAILABLE', 'LOCKED', 'WITHDRAWING', 'FEES', 'CUSTODY', 'DEPOSITS_IN_FLIGHT', 'WITHDRAWALS_IN_FLIGHT', 'ADJUSTMENTS', 'INSURANCE')),
	CONSTRAINT "ledger_transfers_code_known" CHECK ("ledger_transfers"."code" IN ('DEPOSIT', 'DEPOSIT_CONFIRM', 'WITHDRAWAL_HOLD', 'WITHDRAWAL_SETTLE', 'WITHDRAWAL_RELEASE', 'WITHDRAWAL_CONFIRM', 'WITHDRAWAL_FEE', 'ORDER_HOLD', 'ORDER_RELEASE', 'TRADE_BASE', 'TRADE_QUOTE', 'TRADE_FEE', 'ADJUSTMENT', 'SYSTEM_MOVE')),
	CONSTRAINT "ledger_transfers_hold_action_known" CHECK ("ledger_transfers"."hold_action" IS NULL OR "ledger_transfers"."hold_action" IN ('NONE', 'CREATE', 'INCREASE', 'POST', 'RELEASE'))
);
--> statement-breakpoint
CREATE TABLE "engine_journal" (
	"first_seq" bigint PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL,
	"command_count" integer NOT NULL,
	"committed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payload" text NOT NULL,
	CONSTRAINT "engine_journal_last_seq_unique" UNIQUE("last_seq")
);
--> statement-breakpoint
CREATE TABLE "engine_meta" (
	"id" smallint PRIMARY KEY NOT NULL,
	"rules_version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engine_projection" (
	"id" smallint PRIMARY KEY NOT NULL,
	"last_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engine_snapshots" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"state_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payload" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"order_id" bigint PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"symbol" text NOT NULL,
	"client_order_id" text NOT NULL,
	"order_list_id" bigint NOT NULL,
	"side" text NOT NULL,
	"type" text NOT NULL,
	"time_in_force" text NOT NULL,
	"price_ticks" bigint NOT NULL,
	"stop_price_ticks" bigint NOT NULL,
	"quantity_lots" bigint NOT NULL,
	"quote_order_qty_minor" numeric(38, 0) NOT NULL,
	"executed_lots" bigint NOT NULL,
	"cumulative_quote_minor" numeric(38, 0) NOT NULL,
	"status" text NOT NULL,
	"stp_mode" text NOT NULL,
	"created_seq" bigint NOT NULL,
	"updated_seq" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trades" (
	"symbol" text NOT NULL,
	"trade_id" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"price_ticks" bigint NOT NULL,
	"quantity_lots" bigint NOT NULL,
	"quote_minor" numeric(38, 0) NOT NULL,
	"buy_order_id" bigint NOT NULL,
	"sell_order_id" bigint NOT NULL,
	"buy_user_id" bigint NOT NULL,
	"sell_user_id" bigint NOT NULL,
	"taker_side" text NOT NULL,
	"buy_fee_minor" numeric(38, 0) NOT NULL,
	"sell_fee_minor" numeric(38, 0) NOT NULL,
	"executed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "trades_symbol_trade_id_pk" PRIMARY KEY("symbol","trade_id")
);
--> statement-breakpoint
CREATE INDEX "ledger_transfers_reference_idx" ON "ledger_transfers" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_external_key_idx" ON "ledger_transfers" USING btree ("external_key") WHERE "ledger_transfers"."external_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_user_symbol_idx" ON "orders" USING btree ("user_id","symbol","order_id");--> statement-breakpoint
CREATE INDEX "orders_user_client_idx" ON "orders" USING btree ("user_id","client_order_id");--> statement-breakpoint
CREATE INDEX "trades_buy_user_idx" ON "trades" USING btree ("buy_user_id","symbol","trade_id");--> statement-breakpoint
CREATE INDEX "trades_sell_user_idx" ON "trades" USING btree ("sell_user_id","symbol","trade_id");--> statement-breakpoint
CREATE INDEX "trades_time_idx" ON "trades" USING btree ("symbol","executed_at");