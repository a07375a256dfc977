CREATE TABLE `app_members` (
	`app_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`app_id`, `user_id`),
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `app_members_user_idx` ON `app_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `app_release_history` (
	`id` text PRIMARY KEY NOT NULL,
	`app_id` text NOT NULL,
	`version_code` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `app_release_history_app_idx` ON `app_release_history` (`app_id`,`at`);--> statement-breakpoint
CREATE TABLE `app_releases` (
	`app_id` text PRIMARY KEY NOT NULL,
	`stable_version` integer,
	`rollout_version` integer,
	`rollout_percent` integer NOT NULL,
	`rollout_paused` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `developer_audit` (
	`id` text PRIMARY KEY NOT NULL,
	`app_id` text,
	`actor_id` text,
	`token_id` text,
	`action` text NOT NULL,
	`detail` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `developer_audit_app_idx` ON `developer_audit` (`app_id`,`at`);--> statement-breakpoint
CREATE TABLE `developer_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`scopes` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `developer_tokens_user_idx` ON `developer_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `device_authorizations` (
	`id` text PRIMARY KEY NOT NULL,
	`device_code_hash` text NOT NULL,
	`user_code` text NOT NULL,
	`client_name` text NOT NULL,
	`status` text NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`last_polled_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_authorizations_device_code_idx` ON `device_authorizations` (`device_code_hash`);--> statement-breakpoint
CREATE INDEX `device_authorizations_user_code_idx` ON `device_authorizations` (`user_code`);--> statement-breakpoint
CREATE TABLE `launch_scenes` (
	`token` text PRIMARY KEY NOT NULL,
	`app_id` text NOT NULL,
	`page` text NOT NULL,
	`query` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `platform_roles` (
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`granted_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `role`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `preview_links` (
	`token` text PRIMARY KEY NOT NULL,
	`app_id` text NOT NULL,
	`version_code` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `preview_links_app_idx` ON `preview_links` (`app_id`);--> statement-breakpoint
ALTER TABLE `app_versions` ADD `package` blob;--> statement-breakpoint
ALTER TABLE `app_versions` ADD `package_sha256` text;--> statement-breakpoint
ALTER TABLE `app_versions` ADD `package_signature` text;--> statement-breakpoint
ALTER TABLE `app_versions` ADD `package_bytes` integer;--> statement-breakpoint
ALTER TABLE `app_versions` ADD `uploaded_by` text;--> statement-breakpoint
ALTER TABLE `app_versions` ADD `submitted_at` integer;--> statement-breakpoint
ALTER TABLE `app_versions` ADD `reviewed_by` text;--> statement-breakpoint
ALTER TABLE `app_versions` ADD `reviewed_at` integer;--> statement-breakpoint
ALTER TABLE `app_versions` ADD `review_note` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `description` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `apps` ADD `icon_url` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `webhook_url` text;