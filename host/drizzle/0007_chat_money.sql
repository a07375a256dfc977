CREATE TABLE `chat_transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`message_id` text NOT NULL,
	`sender_id` text NOT NULL,
	`recipient_id` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`note` text,
	`status` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`send_transfer_id` text NOT NULL,
	`resolve_transfer_id` text,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sender_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recipient_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_transfers_message_unique` ON `chat_transfers` (`message_id`);--> statement-breakpoint
CREATE INDEX `chat_transfers_expiry_idx` ON `chat_transfers` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `red_packet_claims` (
	`packet_id` text NOT NULL,
	`user_id` text NOT NULL,
	`position` integer NOT NULL,
	`amount` integer NOT NULL,
	`transfer_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`packet_id`, `user_id`),
	FOREIGN KEY (`packet_id`) REFERENCES `red_packets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `red_packet_claims_position_unique` ON `red_packet_claims` (`packet_id`,`position`);--> statement-breakpoint
CREATE TABLE `red_packets` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`message_id` text NOT NULL,
	`sender_id` text NOT NULL,
	`mode` text NOT NULL,
	`currency` text NOT NULL,
	`total` integer NOT NULL,
	`shares` integer NOT NULL,
	`remaining_amount` integer NOT NULL,
	`remaining_count` integer NOT NULL,
	`note` text,
	`status` text NOT NULL,
	`refunded_amount` integer DEFAULT 0 NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`send_transfer_id` text NOT NULL,
	`refund_transfer_id` text,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sender_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `red_packets_message_unique` ON `red_packets` (`message_id`);--> statement-breakpoint
CREATE INDEX `red_packets_expiry_idx` ON `red_packets` (`status`,`expires_at`);