package testdb

// TaskSummaryMismatch finds the tasks whose kept summaries (migration
// 00007: last report, reminders, urgings) differ from what the reports,
// reminders and events tables say.
const TaskSummaryMismatch = `SELECT t.id FROM tasks t WHERE
	t.last_report_id IS DISTINCT FROM (SELECT MAX(r.id) FROM reports r WHERE r.task_id = t.id)
	OR t.reminders_sent <> (SELECT COUNT(*) FROM reminders r WHERE r.task_id = t.id)
	OR t.escalations <> (SELECT COUNT(*) FROM reminders r WHERE r.task_id = t.id AND r.rule = 'escalate')
	OR t.last_reminder_rule <> COALESCE((SELECT r.rule FROM reminders r WHERE r.task_id = t.id ORDER BY r.id DESC LIMIT 1), '')
	OR t.last_reminder_on IS DISTINCT FROM (SELECT r.as_of FROM reminders r WHERE r.task_id = t.id ORDER BY r.id DESC LIMIT 1)
	OR t.urges <> (SELECT COUNT(*) FROM events e WHERE e.task_id = t.id AND e.action = 'urge')
	OR t.last_urge_at IS DISTINCT FROM (SELECT e.at FROM events e WHERE e.task_id = t.id AND e.action = 'urge' ORDER BY e.id DESC LIMIT 1)
	ORDER BY t.id`
