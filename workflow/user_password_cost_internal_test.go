package workflow

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPasswordHashCost checks, in a process of its own that never called
// CheapPasswordHashing, that the hashes a server makes keep the production
// cost (tests elsewhere switch to cheap hashes; nothing of it may leak into
// a server), then that the switch makes cheap hashes that still check, and
// leaves the production hashes checking.
func TestPasswordHashCost(t *testing.T) {
	if os.Getenv("DONDOC_HASH_COST_CHILD") != "1" {
		t.Parallel()
		cmd := exec.Command(os.Args[0], "-test.run=^TestPasswordHashCost$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "DONDOC_HASH_COST_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "--- PASS: TestPasswordHashCost") {
			t.Fatalf("the child did not run the check:\n%s", out)
		}
		return
	}
	const production, cheap = "$argon2id$v=19$m=19456,t=2,p=1$", "$argon2id$v=19$m=8,t=1,p=1$"
	h := HashPassword("Str0ng-Passw0rd")
	if !strings.HasPrefix(h, production) {
		t.Fatalf("a server's hash is %q, want the production cost %q", h, production)
	}
	if !CheckPassword(h, "Str0ng-Passw0rd") || CheckPassword(h, "Str0ng-Passw0rd!") {
		t.Fatal("the production hash does not check the password")
	}
	if d := *dummyHash.Load(); !strings.HasPrefix(d, production) {
		t.Fatalf("an unknown user is checked against %q: not the production cost", d)
	}

	CheapPasswordHashing()
	c := HashPassword("Str0ng-Passw0rd")
	if !strings.HasPrefix(c, cheap) {
		t.Fatalf("a cheap hash is %q, want %q", c, cheap)
	}
	if !CheckPassword(c, "Str0ng-Passw0rd") || CheckPassword(c, "Str0ng-Passw0rd!") {
		t.Fatal("the cheap hash does not check the password")
	}
	if !CheckPassword(h, "Str0ng-Passw0rd") {
		t.Fatal("after the switch, a production hash no longer checks")
	}
	if d := *dummyHash.Load(); !strings.HasPrefix(d, cheap) {
		t.Fatalf("after the switch an unknown user still costs a production hash: %q", d)
	}
}
