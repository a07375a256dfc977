-- The money tables get integer account keys and per-account history chains (see host/src/wallet/schema.ts).
-- Hand-written: the data moves (text account ids become `ledger_accounts.num`, each transfer gets its accounts'
-- previous transfers, each account the head of its chain), which drizzle-kit's table rebuild cannot express.
CREATE TABLE `__new_ledger_accounts` (
	`num` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`owner_id` text NOT NULL,
	`currency` text NOT NULL,
	`balance` integer DEFAULT 0 NOT NULL,
	`held` integer DEFAULT 0 NOT NULL,
	`allow_negative` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`last_seq` integer
);
--> statement-breakpoint
INSERT INTO `__new_ledger_accounts` (`id`, `kind`, `owner_id`, `currency`, `balance`, `held`, `allow_negative`, `created_at`)
	SELECT `id`, `kind`, `owner_id`, `currency`, `balance`, `held`, `allow_negative`, `created_at` FROM `ledger_accounts` ORDER BY `created_at`, `id`;
--> statement-breakpoint
-- An account a transfer or hold names but that is missing (a broken invariant) is created empty, so no transfer is
-- lost and the invariant check reports the difference.
INSERT INTO `__new_ledger_accounts` (`id`, `kind`, `owner_id`, `currency`, `allow_negative`, `created_at`)
	SELECT x.`id`,
		CASE substr(x.`id`, 1, 2) WHEN 'w:' THEN 'person' WHEN 'm:' THEN 'merchant' ELSE 'system' END,
		substr(x.`id`, 3, length(x.`id`) - 6), x.`currency`, CASE substr(x.`id`, 1, 2) WHEN 's:' THEN 1 ELSE 0 END, min(x.`created_at`)
	FROM (
		SELECT `debit_account_id` AS `id`, `currency`, `created_at` FROM `ledger_transfers`
		UNION ALL SELECT `credit_account_id`, `currency`, `created_at` FROM `ledger_transfers`
		UNION ALL SELECT `debit_account_id`, `currency`, `expires_at` FROM `ledger_holds`
		UNION ALL SELECT `credit_account_id`, `currency`, `expires_at` FROM `ledger_holds`
	) x
	WHERE x.`id` NOT IN (SELECT `id` FROM `__new_ledger_accounts`)
	GROUP BY x.`id`;
--> statement-breakpoint
-- Every transfer is a posting on its two accounts; an account's previous posting is the link of its chain.
CREATE TEMP TABLE `ledger_chain_0009` AS
	SELECT `seq`, `side`, `account`, lag(`seq`) OVER (PARTITION BY `account` ORDER BY `seq`, `side` DESC) AS `prev`
	FROM (
		SELECT t.`seq`, 'd' AS `side`, a.`num` AS `account` FROM `ledger_transfers` t JOIN `__new_ledger_accounts` a ON a.`id` = t.`debit_account_id`
		UNION ALL
		SELECT t.`seq`, 'c', a.`num` FROM `ledger_transfers` t JOIN `__new_ledger_accounts` a ON a.`id` = t.`credit_account_id`
	);
--> statement-breakpoint
CREATE UNIQUE INDEX temp.`ledger_chain_0009_idx` ON `ledger_chain_0009` (`seq`, `side`);
--> statement-breakpoint
CREATE TABLE `__new_ledger_transfers` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`debit_account` integer NOT NULL,
	`credit_account` integer NOT NULL,
	`debit_prev` integer,
	`credit_prev` integer,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`code` text NOT NULL,
	`pending_id` text,
	`meta` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_ledger_transfers` (`seq`, `id`, `type`, `debit_account`, `credit_account`, `debit_prev`, `credit_prev`, `amount`, `currency`, `code`, `pending_id`, `meta`, `created_at`)
	SELECT t.`seq`, t.`id`, t.`type`, d.`account`, c.`account`, d.`prev`, c.`prev`, t.`amount`, t.`currency`, t.`code`, t.`pending_id`, t.`meta`, t.`created_at`
	FROM `ledger_transfers` t
	JOIN `ledger_chain_0009` d ON d.`seq` = t.`seq` AND d.`side` = 'd'
	JOIN `ledger_chain_0009` c ON c.`seq` = t.`seq` AND c.`side` = 'c'
	ORDER BY t.`seq`;
--> statement-breakpoint
UPDATE `__new_ledger_accounts` SET `last_seq` = h.`head`
	FROM (SELECT `account`, max(`seq`) AS `head` FROM `ledger_chain_0009` GROUP BY `account`) h
	WHERE h.`account` = `__new_ledger_accounts`.`num`;
--> statement-breakpoint
DROP TABLE `ledger_chain_0009`;
--> statement-breakpoint
CREATE TABLE `__new_ledger_holds` (
	`id` text PRIMARY KEY NOT NULL,
	`debit_account` integer NOT NULL,
	`credit_account` integer NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`posted_amount` integer,
	`expires_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
INSERT INTO `__new_ledger_holds` (`id`, `debit_account`, `credit_account`, `amount`, `currency`, `status`, `posted_amount`, `expires_at`, `resolved_at`)
	SELECT h.`id`, d.`num`, c.`num`, h.`amount`, h.`currency`, h.`status`, h.`posted_amount`, h.`expires_at`, h.`resolved_at`
	FROM `ledger_holds` h JOIN `__new_ledger_accounts` d ON d.`id` = h.`debit_account_id` JOIN `__new_ledger_accounts` c ON c.`id` = h.`credit_account_id`;
--> statement-breakpoint
CREATE TABLE `__new_ledger_outbox` (
	`seq` integer PRIMARY KEY NOT NULL,
	`topic` text NOT NULL,
	`transfer_seq` integer NOT NULL,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
INSERT INTO `__new_ledger_outbox` (`seq`, `topic`, `transfer_seq`, `created_at`, `delivered_at`)
	SELECT o.`seq`, o.`topic`, t.`seq`, o.`created_at`, o.`delivered_at` FROM `ledger_outbox` o JOIN `ledger_transfers` t ON t.`id` = o.`transfer_id`;
--> statement-breakpoint
DROP TABLE `ledger_outbox`;
--> statement-breakpoint
ALTER TABLE `__new_ledger_outbox` RENAME TO `ledger_outbox`;
--> statement-breakpoint
DROP TABLE `ledger_holds`;
--> statement-breakpoint
ALTER TABLE `__new_ledger_holds` RENAME TO `ledger_holds`;
--> statement-breakpoint
CREATE INDEX `ledger_holds_expiry_idx` ON `ledger_holds` (`status`,`expires_at`);
--> statement-breakpoint
DROP TABLE `ledger_transfers`;
--> statement-breakpoint
ALTER TABLE `__new_ledger_transfers` RENAME TO `ledger_transfers`;
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfers_id_unique` ON `ledger_transfers` (`id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_transfers_pending_unique` ON `ledger_transfers` (`pending_id`) WHERE "ledger_transfers"."pending_id" is not null;
--> statement-breakpoint
DROP TABLE `ledger_accounts`;
--> statement-breakpoint
ALTER TABLE `__new_ledger_accounts` RENAME TO `ledger_accounts`;
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_accounts_id_unique` ON `ledger_accounts` (`id`);
--> statement-breakpoint
CREATE INDEX `ledger_accounts_owner_idx` ON `ledger_accounts` (`owner_id`,`currency`);
