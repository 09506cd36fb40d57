package server

import (
	"net/http"
	"time"
)

// AnswerTimeout is how long a client has to take its answer once its request
// is read: a client that never reads cannot hold the answer in memory longer.
const AnswerTimeout = 30 * time.Second

// answerDeadline sets the write deadline of the answer, d from now (ignored
// by writers that have none, such as httptest's recorder).
func answerDeadline(w http.ResponseWriter, d time.Duration) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
}
