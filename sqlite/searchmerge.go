package sqlite

import "context"

// searchMergePages is how much of the search index one idle merge step
// writes: about this many FTS5 leaf pages of 4 kB. A write that arrives
// meanwhile waits for the step (a few milliseconds) and no longer.
const searchMergePages = 64

// mergeStep runs one merge step and, once merging finds no more work,
// stops it until the next catch-up and signals mergeIdle (for tests).
func (w *writer) mergeStep() {
	if w.searchMerging = w.mergeSearchIndex(); w.searchMerging {
		return
	}
	select {
	case w.mergeIdle <- struct{}{}:
	default: // a signal waits already
	}
}

// mergeSearchIndex runs one step of merging the search index's segments
// (FTS5's 'merge' command, a level at a time once it holds usermerge
// segments, see migration 0015) in a transaction of its own, and reports
// whether there was work to do. Each catch-up of the index adds a segment,
// and a search seeks every term in every segment, so the writer merges
// them whenever no write waits (see loop).
func (w *writer) mergeSearchIndex() bool {
	if err := w.begin(); err != nil {
		return false
	}
	before := w.changes()
	if _, err := w.run.ExecContext(context.Background(), `INSERT INTO client_terms (client_terms, rank) VALUES ('merge', ?)`, searchMergePages); err != nil {
		w.rollback()
		return false
	}
	worked := w.changes()-before >= 2 // FTS5 changes two rows or more when it merged something
	if _, err := w.run.ExecContext(context.Background(), "COMMIT"); err != nil {
		w.rollback()
		return false
	}
	w.committed.Store(true)
	return worked
}
