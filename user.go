package motcua

import (
	"context"
	"slices"
	"time"
)

// Role is what a person may do at an agency.
type Role string

// Roles. Staff roles are held per agency; RoleIntegration is held by the
// accounts of outside systems (the national portal forwarding online
// dossiers); RoleSystem is the scheduler's own identity and is never granted
// to a person.
const (
	RoleReception   Role = "reception_officer"  // công chức Bộ phận Một cửa
	RoleSpecialist  Role = "specialist"         // chuyên viên xử lý
	RoleHead        Role = "head_of_department" // trưởng phòng chuyên môn
	RoleLeader      Role = "agency_leader"      // lãnh đạo cơ quan
	RoleAdmin       Role = "admin"              // quản trị hệ thống
	RoleSupervisor  Role = "supervisor"         // giám sát: reads the dossiers of an agency and those under it
	RoleIntegration Role = "integration"        // hệ thống bên ngoài
	RoleSystem      Role = "system"             // bộ lập lịch của hệ thống
)

// StaffRoles are the roles an administrator may grant to people.
var StaffRoles = []Role{RoleReception, RoleSpecialist, RoleHead, RoleLeader, RoleSupervisor, RoleAdmin}

// HandlingRoles are the roles that work on dossiers: held at an agency a
// dossier has been at, they let their holder read it. Administration and
// integration are not among them: managing accounts and forwarding online
// dossiers are no right to read citizens' data; supervision is a role of
// its own (RoleSupervisor).
var HandlingRoles = []Role{RoleReception, RoleSpecialist, RoleHead, RoleLeader}

// Valid reports whether r is a known role that can be granted.
func (r Role) Valid() bool {
	return slices.Contains(StaffRoles, r) || r == RoleIntegration
}

// Label is the Vietnamese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleReception:
		return "Công chức tiếp nhận (Một cửa)"
	case RoleSpecialist:
		return "Chuyên viên xử lý"
	case RoleHead:
		return "Trưởng phòng"
	case RoleLeader:
		return "Lãnh đạo cơ quan"
	case RoleAdmin:
		return "Quản trị hệ thống"
	case RoleSupervisor:
		return "Giám sát"
	case RoleIntegration:
		return "Hệ thống tích hợp"
	case RoleSystem:
		return "Hệ thống"
	}
	return string(r)
}

// Grant is one role held at one agency.
type Grant struct {
	AgencyID int64 `json:"agency_id"`
	Role     Role  `json:"role"`
}

// User is a staff member or an integration account. PasswordHash is never
// serialized.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	FullName     string    `json:"full_name"`
	Email        string    `json:"email,omitempty"`
	Phone        string    `json:"phone,omitempty"`
	Title        string    `json:"title,omitempty"`
	Disabled     bool      `json:"disabled"`
	Grants       []Grant   `json:"grants"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Has reports whether the user holds role at agency.
func (u *User) Has(role Role, agencyID int64) bool {
	if u == nil || u.Disabled {
		return false
	}
	return slices.Contains(u.Grants, Grant{AgencyID: agencyID, Role: role})
}

// HasRole reports whether the user holds role at any agency.
func (u *User) HasRole(role Role) bool {
	if u == nil || u.Disabled {
		return false
	}
	for _, g := range u.Grants {
		if g.Role == role {
			return true
		}
	}
	return false
}

// AgenciesWith returns the agencies at which the user holds role.
func (u *User) AgenciesWith(role Role) []int64 {
	var ids []int64
	if u == nil || u.Disabled {
		return nil
	}
	for _, g := range u.Grants {
		if g.Role == role && !slices.Contains(ids, g.AgencyID) {
			ids = append(ids, g.AgencyID)
		}
	}
	return ids
}

// AgencyIDs returns every agency at which the user holds any role.
func (u *User) AgencyIDs() []int64 {
	var ids []int64
	if u == nil || u.Disabled {
		return nil
	}
	for _, g := range u.Grants {
		if !slices.Contains(ids, g.AgencyID) {
			ids = append(ids, g.AgencyID)
		}
	}
	return ids
}

// SystemUser is the identity of the scheduler (deadline warnings, supplement
// time-outs). It holds no grants; the transition table names it explicitly.
var SystemUser = &User{ID: 0, Username: "system", FullName: "Hệ thống"}

// Session is a signed-in session. The token itself is given to the client
// once; only its hash is stored.
type Session struct {
	TokenHash []byte    `json:"-"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	UserAgent string    `json:"user_agent,omitempty"`
	IP        string    `json:"ip,omitempty"`
}

// Lifetime is how long the session lasts from its start.
func (s *Session) Lifetime() time.Duration { return s.ExpiresAt.Sub(s.CreatedAt) }

type userContextKey struct{}

// NewContextWithUser returns ctx carrying the signed-in user.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey{}, u)
}

type tokenContextKey struct{}

// NewContextWithSessionToken returns ctx carrying the token of the session
// the request came with, so that a use case can tell that session from the
// user's others (keep it when ending the rest, mark it in a list).
func NewContextWithSessionToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenContextKey{}, token)
}

// SessionTokenFromContext returns the session token of ctx, or "".
func SessionTokenFromContext(ctx context.Context) string {
	t, _ := ctx.Value(tokenContextKey{}).(string)
	return t
}

// UserFromContext returns the signed-in user of ctx, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey{}).(*User)
	return u
}

// PasswordHasher hashes and checks passwords; the encoded form carries its
// own parameters so that they can be raised later.
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Verify reports whether password matches encoded; an error means the
	// encoded form is unreadable.
	Verify(encoded, password string) (bool, error)
}
