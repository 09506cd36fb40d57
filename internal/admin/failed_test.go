package admin

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/workspaces-local/workspaces-local/internal/clock"
	"github.com/workspaces-local/workspaces-local/internal/store"
)

// TestFailedUnavailableIs503: a test-control endpoint whose database cannot
// be reached answers 503 (retry), any other failure 500.
func TestFailedUnavailableIs503(t *testing.T) {
	h := New(Info{}, clock.Real{})
	for err, want := range map[error]int{
		fmt.Errorf("reset: %w", store.ErrUnavailable): 503,
		errors.New("disk full"):                       500,
	} {
		w := httptest.NewRecorder()
		h.failed(w, "reset", err)
		if w.Code != want {
			t.Errorf("failed(%v) = %d %s, want %d", err, w.Code, w.Body.String(), want)
		}
	}
}
