CREATE INDEX "migration_probe_label_idx" ON "migration_probe" USING btree ("label");--> statement-breakpoint
INSERT INTO "migration_probe" ("id", "label", "amount_minor") VALUES (1, 'seeded by 0001', 123456789012345678901234567890);
