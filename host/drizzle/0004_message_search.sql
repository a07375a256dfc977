-- Full-text search over message text (SQLite FTS5, external content = messages). The trigram tokenizer
-- matches substrings, so languages written without spaces (Chinese, Thai) are searchable too; queries shorter
-- than 3 characters are answered without the index (see host/src/messaging/search.ts). Triggers keep the
-- index in step with inserts, recalls (text set to null) and deletes. PostgreSQL would use a tsvector/pg_trgm
-- index behind the same search function.
CREATE VIRTUAL TABLE `message_search` USING fts5(`text`, content='messages', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `messages_search_insert` AFTER INSERT ON `messages` WHEN new.`text` IS NOT NULL BEGIN
  INSERT INTO `message_search`(rowid, `text`) VALUES (new.rowid, new.`text`);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_search_update` AFTER UPDATE OF `text` ON `messages` BEGIN
  INSERT INTO `message_search`(`message_search`, rowid, `text`) SELECT 'delete', old.rowid, old.`text` WHERE old.`text` IS NOT NULL;
  INSERT INTO `message_search`(rowid, `text`) SELECT new.rowid, new.`text` WHERE new.`text` IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `messages_search_delete` AFTER DELETE ON `messages` WHEN old.`text` IS NOT NULL BEGIN
  INSERT INTO `message_search`(`message_search`, rowid, `text`) VALUES ('delete', old.rowid, old.`text`);
END;
