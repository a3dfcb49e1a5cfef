package workflow

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// hashSlots caps how many password hashes run at once: each takes 19 MiB
// and a core for tens of milliseconds, and a burst of logins must not take
// the server's memory or every core.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

// HashPassword returns the PHC-format argon2id hash of password.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	key := argonKey(password, salt, argonTime, argonMemory, argonThreads)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
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

// dummyHash is checked against when a login names no user, so that an
// unknown username costs the same time as a wrong password.
var dummyHash = HashPassword("dondoc-no-such-user")

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
