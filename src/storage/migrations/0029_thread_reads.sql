-- Unread (issue 10, item 3): how far each member has read each thread.
--
-- One row per member and thread, moved forward (never back) when the member
-- opens a page of the thread: the last post that page showed. A thread is
-- unread when a visible post by someone else comes after that post (in the
-- thread's order: created_at, id). When that post is gone, `read_at` stands in.
CREATE TABLE thread_reads (
  member_id integer NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  thread_id integer NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  last_read_post_id integer REFERENCES posts (id) ON DELETE SET NULL,
  read_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, thread_id)
);
CREATE INDEX thread_reads_by_thread ON thread_reads (thread_id);
