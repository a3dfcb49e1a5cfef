package workflow

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"unicode"

	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"

	"github.com/dondoc/dondoc/models"
)

// Keep names the credential a password change came with, which stays
// valid while every other one of the user's is revoked: the session (an
// access token's id) or the API token.
type Keep struct {
	Session  string
	APIToken int64
}

// ErrWrongPassword answers a password change whose current password is
// wrong: invalid input, not an unauthenticated request (the session is
// fine).
var ErrWrongPassword = &Error{Kind: KindInvalid, Code: "wrong_password", Message: "the current password is wrong",
	Fields: []FieldError{{Field: "current_password", Message: "is not your current password"}}}

// ChangePassword changes the actor's own password, given the current one.
// Every other session and every API token of the actor is revoked; the
// credential in keep stays valid. A wrong current password is
// ErrWrongPassword (the caller counts it as a failed login).
func (s *Service) ChangePassword(ctx context.Context, actor Actor, current, next string, keep Keep) error {
	var u models.User
	if err := s.reader(ctx).First(&u, actor.UserID).Error; err != nil {
		return err
	}
	if !CheckPassword(u.PasswordHash, current) {
		return ErrWrongPassword
	}
	var bad Invalid
	if p := PasswordProblem(u.Username, next); p != "" {
		bad.Add("new_password", "%s", p)
	} else if next == current {
		bad.Add("new_password", "must differ from the current password")
	}
	if err := bad.Err(); err != nil {
		return err
	}
	hash := HashPassword(next)
	return s.inTx(ctx, func(tx *gorm.DB) error {
		// Only if the password is still the one checked: two changes at
		// once do not both win.
		res := tx.Model(&models.User{}).Where("id = ? AND password_hash = ?", u.ID, u.PasswordHash).Updates(map[string]any{
			"password_hash": hash, "token_version": gorm.Expr("token_version + 1"), "kept_session": keep.Session,
			"updated_at": s.clock.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return E(KindConflict, "password_changed", "the password was changed meanwhile; sign in again")
		}
		if err := s.revokeAPITokens(tx, u.ID, keep.APIToken); err != nil {
			return err
		}
		return bumpAuthEpoch(tx)
	})
}

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// argonCost is the cost of the hashes HashPassword makes.
type argonCost struct {
	memory, time uint32
	threads      uint8
}

// hashCost is the cost of new hashes: the production cost unless a test
// process has called CheapPasswordHashing. A hash keeps its cost in its
// PHC string, so CheckPassword verifies hashes of either cost.
var hashCost atomic.Pointer[argonCost]

// dummyHash is checked against when a login names no user, so that an
// unknown username costs the same time as a wrong password.
var dummyHash atomic.Pointer[string]

func init() {
	hashCost.Store(&argonCost{memory: argonMemory, time: argonTime, threads: argonThreads})
	h := HashPassword("dondoc-no-such-user")
	dummyHash.Store(&h)
}

// CheapPasswordHashing makes the hashes this process makes from now on
// nearly free (8 KiB, one pass) instead of tens of milliseconds of a core
// each. It is for tests only, which create and log in users by the
// thousand: a server never calls it, and its hashes keep the production
// cost, which TestPasswordHashCost checks.
func CheapPasswordHashing() {
	hashCost.Store(&argonCost{memory: 8, time: 1, threads: 1})
	h := HashPassword("dondoc-no-such-user")
	dummyHash.Store(&h)
}

// hashSlots caps how many password hashes run at once: each takes 19 MiB
// and a core for tens of milliseconds, and a burst of logins must not take
// the server's memory or every core.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

// HashPassword returns the PHC-format argon2id hash of password.
func HashPassword(password string) string {
	c := hashCost.Load()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	key := argonKey(password, salt, c.time, c.memory, c.threads)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.memory, c.time, c.threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

func argonKey(password string, salt []byte, t, m uint32, p uint8) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(password), salt, t, m, p, argonKeyLen)
}

// CheckPassword reports whether password matches the PHC hash, comparing in
// constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 16 || p == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) != argonKeyLen {
		return false
	}
	return subtle.ConstantTimeCompare(argonKey(password, salt, t, m, p), want) == 1
}

// PasswordRule is what PasswordProblem asks of a password, for messages
// that must state it before any password is tried (the first admin's).
const PasswordRule = "at least 10 characters (at most 256), not containing the username, and either 16 characters or three of: lower case, upper case, digits, symbols"

// PasswordProblem says what is wrong with a new password, or "" if nothing:
// see PasswordRule.
func PasswordProblem(username, password string) string {
	n := len([]rune(password))
	if n < 10 {
		return "must be at least 10 characters"
	}
	if n > 256 {
		return "must be at most 256 characters"
	}
	if username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)) {
		return "must not contain the username"
	}
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if n < 16 && classes < 3 {
		return "must have 16 characters, or three of: lower case, upper case, digits, symbols"
	}
	return ""
}

// RandomPassword returns a strong password for the first admin.
func RandomPassword() string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
