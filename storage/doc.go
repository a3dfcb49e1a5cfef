// Package storage holds dondoc's storage mechanics, below the rules:
// opening SQLite or PostgreSQL (pools, pragmas, the WAL checkpointer), the
// embedded migrations of both, SQLite's statement cache, the runner of the
// statements written by hand with its dialect rewriting and row helpers,
// and the group commit of SQLite's writes. It owns no table's rules: the
// packages that own tables (workflow, notify) write their queries and run
// them here.
package storage
