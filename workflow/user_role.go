package workflow

// Role is what a user is allowed to do in general; the state table says
// which role may take which action.
type Role string

const (
	RoleAdmin       Role = "admin"       // users, the agency catalog, the calendar, webhooks
	RoleSecretariat Role = "secretariat" // records documents, assigns, confirms, decides extensions
	RoleAgency      Role = "agency"      // a ministry's or province's officer: its own agency's tasks
	RoleLeader      Role = "leader"      // reviews what is overdue and urges
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleSecretariat, RoleAgency, RoleLeader}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Actor is who performs a command: the signed-in user.
type Actor struct {
	UserID     int64
	Username   string
	Role       Role
	AgencyCode string // only for RoleAgency
}

// SeesAllAgencies reports whether the actor may see every agency's tasks.
func (a Actor) SeesAllAgencies() bool { return a.Role != RoleAgency }

// CanSeeAgency reports whether the actor may see the tasks of agency code.
func (a Actor) CanSeeAgency(code string) bool {
	return a.SeesAllAgencies() || a.AgencyCode == code
}

// Is reports whether the actor has one of roles.
func (a Actor) Is(roles ...Role) bool {
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

// Require answers ErrForbidden unless the actor has one of roles.
func (a Actor) Require(roles ...Role) error {
	if a.Is(roles...) {
		return nil
	}
	return E(KindForbidden, "role_not_allowed", "role %q may not do this", a.Role)
}
