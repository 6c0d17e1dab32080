package personal

import "time"

// The rules of a session, the same for the screen's game loop, which asks
// and logs out, and for the sync, which keeps the session with the backend.
const (
	// AskAfter is how long a logged-in resident may leave the screen
	// untouched before it asks "Er du her stadig?".
	AskAfter = 60 * time.Second
	// AnswerFor is how long the question waits for an answer before the
	// screen logs the resident out.
	AnswerFor = 15 * time.Second
	// IdleTimeout is how long a session lives without a touch: the
	// question, then its answer time.
	IdleTimeout = AskAfter + AnswerFor
	// MaxSuggestion is the longest suggestion a resident may write, in
	// characters.
	MaxSuggestion = 280
)
