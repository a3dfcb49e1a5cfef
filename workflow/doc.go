// Package workflow holds dondoc's rules: the task state machine, who may do
// what, deadlines and reminders, and the Service that applies them, one
// database transaction per command, in which the change, its event and
// its notices are written together.
//
// Its files are named by subject:
//
//   - service*.go: the Service, its transactions and the Idempotency-Key
//     they record; clock.go, errors.go (the kinds of domain error the API
//     maps), page.go (cursor pages of every list)
//   - task_*.go: reading tasks and their lists (task_read, task_refs),
//     writing them (task_write), the state table (task_state) and its
//     transitions, progress reports, extensions, urging, overdue figures
//   - directive_*.go, document_*.go: recording conclusions and their
//     directives, which create the tasks
//   - remind_*.go: the reminder policy, the daily scan, the leaders'
//     digest and the reporting periods of ongoing tasks
//   - agency_*.go: the catalog and the hand-over of a dissolved agency's
//     tasks; calendar_*.go: the working calendar as stored and edited
//   - user_*.go: accounts, roles, passwords, API and feed tokens
//   - event_*.go: the hash chain of a task's history and its audit
//   - notice_*.go, webhook_*.go: who may read and retry notifications, and
//     the webhooks admins register (the outbox itself is package notify)
//   - stats*.go: the Government Office's statistics and their snapshots
//
// The pure rules live in subpackages that import no database code:
// calendar (the Vietnamese working calendar), deadline, extract, catalog
// and vntext. SQL runs through package storage.
package workflow
