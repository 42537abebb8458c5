CREATE SEQUENCE "public"."api_key_change_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"api_key" text NOT NULL,
	"key_type" text NOT NULL,
	"label" text NOT NULL,
	"permissions" text[] NOT NULL,
	"ip_allow_list" text[] DEFAULT '{}'::text[] NOT NULL,
	"secret_ciphertext" "bytea",
	"secret_iv" "bytea",
	"secret_tag" "bytea",
	"master_key_id" text,
	"public_key" "bytea",
	"change_seq" bigint DEFAULT nextval('api_key_change_seq') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_api_key_format" CHECK ("api_keys"."api_key" ~ '^[A-Za-z0-9]{64}$'),
	CONSTRAINT "api_keys_key_type_known" CHECK ("api_keys"."key_type" IN ('HMAC', 'ED25519')),
	CONSTRAINT "api_keys_label_length" CHECK (char_length("api_keys"."label") <= 64),
	CONSTRAINT "api_keys_permissions_known" CHECK (cardinality("api_keys"."permissions") >= 1 AND "api_keys"."permissions" <@ ARRAY['read', 'trade', 'withdraw']::text[]),
	CONSTRAINT "api_keys_ip_allow_list_length" CHECK (cardinality("api_keys"."ip_allow_list") <= 30),
	CONSTRAINT "api_keys_withdraw_needs_ip_allow_list" CHECK (NOT ('withdraw' = ANY("api_keys"."permissions")) OR cardinality("api_keys"."ip_allow_list") >= 1),
	CONSTRAINT "api_keys_key_material" CHECK (CASE "api_keys"."key_type"
        WHEN 'HMAC' THEN "api_keys"."public_key" IS NULL AND CASE WHEN "api_keys"."revoked_at" IS NULL
          THEN "api_keys"."secret_ciphertext" IS NOT NULL AND "api_keys"."master_key_id" IS NOT NULL
            AND coalesce(octet_length("api_keys"."secret_iv"), 0) = 12
            AND coalesce(octet_length("api_keys"."secret_tag"), 0) = 16
          ELSE "api_keys"."secret_ciphertext" IS NULL AND "api_keys"."secret_iv" IS NULL AND "api_keys"."secret_tag" IS NULL
            AND "api_keys"."master_key_id" IS NULL END
        ELSE "api_keys"."public_key" IS NOT NULL AND "api_keys"."secret_ciphertext" IS NULL AND "api_keys"."secret_iv" IS NULL
          AND "api_keys"."secret_tag" IS NULL AND "api_keys"."master_key_id" IS NULL END)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"username" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_id_range" CHECK ("users"."id" BETWEEN 1 AND 8589934591),
	CONSTRAINT "users_username_format" CHECK ("users"."username" = lower("users"."username") AND char_length("users"."username") BETWEEN 3 AND 32)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_api_key_idx" ON "api_keys" USING btree ("api_key");--> statement-breakpoint
CREATE INDEX "api_keys_user_id_idx" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "api_keys_change_seq_idx" ON "api_keys" USING btree ("change_seq");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_idx" ON "users" USING btree ("username");