CREATE TABLE `merchant_app_links` (
	`merchant_id` text NOT NULL,
	`app_id` text NOT NULL,
	`linked_by` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `app_id`)
);
--> statement-breakpoint
CREATE INDEX `merchant_app_links_app_idx` ON `merchant_app_links` (`app_id`);--> statement-breakpoint
CREATE TABLE `merchant_prepays` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`order_id` text NOT NULL,
	`app_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `merchant_prepays_order_app_unique` ON `merchant_prepays` (`order_id`,`app_id`);