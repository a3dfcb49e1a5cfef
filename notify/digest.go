package notify

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/dondoc/dondoc/models"
)

// DigestOf is one e-mail that carries several of one recipient's, oldest
// first: the digest sent instead of a mail per event (Options.Digest). It
// takes the first one's id, so that its Message-ID stays the same when the
// same deliveries are tried again.
func DigestOf(ns []models.Notification) models.Notification {
	ns = slices.Clone(ns)
	slices.SortFunc(ns, func(a, b models.Notification) int { return cmp.Compare(a.ID, b.ID) })
	d := ns[0]
	for _, n := range ns[1:] {
		if n.ID < d.ID {
			d.ID = n.ID
		}
		if n.CreatedAt.After(d.CreatedAt) {
			d.CreatedAt = n.CreatedAt
		}
	}
	d.Kind, d.TaskID, d.Payload = "digest", nil, ""
	d.Title = fmt.Sprintf("%d thông báo mới", len(ns))
	var b strings.Builder
	fmt.Fprintf(&b, "Tổng hợp %d thông báo mới từ dondoc:\n", len(ns))
	for i, n := range ns {
		fmt.Fprintf(&b, "\n%d. %s\n\n%s\n", i+1, n.Title, n.Body)
	}
	d.Body = b.String()
	return d
}
