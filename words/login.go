package words

// LoginWords are the login's words in one language.
type LoginWords struct {
	LogIn, LogOut, LoggedIn, TapYourPicture, TypePIN, Delete, Back        string
	Offline, NotOffered, Loading, MySignups, NoSignups, Unsubscribe       string
	SharedWithMe, NothingShared, PicturesOfMe, NoPicturesOfMe, MyGroups   string
	NoGroups, MySuggestions, NoSuggestions, Document, Video, VideoInApp   string
	StillHere, YesStillHere, WrongPIN, WrongPINLast, Locked, WaitSeconds  string
	NoLogin, UnknownProfile, LoginFailed, SignUpMe, Hidden, LoggedOutIdle string
	WriteSuggestion, SuggestionFor, Send, Abort, Space, Sent, NotSent     string
	SuggestClosed, TooLong, Queued, DocumentInApp                         string
	CancelBooking                                                         string // "Afbestil": a booking on Min side
}
