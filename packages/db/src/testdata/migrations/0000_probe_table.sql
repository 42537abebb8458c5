-- Test fixture, not a domain table: proves the migrator applies drizzle-kit-style folders.
CREATE TABLE "migration_probe" (
	"id" bigint PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"amount_minor" numeric(38, 0) DEFAULT '0' NOT NULL
);
