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
}

var loginWordsBy = map[string]LoginWords{
	"da": {
		LogIn: "Log ind", LogOut: "Log ud", LoggedIn: "Logget ind: %s", TapYourPicture: "Tryk på dit eget billede for at logge ind",
		TypePIN: "Skriv din kode", Delete: "Slet", Back: "Tilbage",
		Offline:    "Du kan ikke logge ind lige nu: skærmen har ikke forbindelse til serveren. Tavlen virker som før. Prøv igen senere.",
		NotOffered: "Der er ikke adgang til at logge ind på denne skærm.", Loading: "Henter din side …",
		MySignups: "Mine tilmeldinger de næste 7 dage", NoSignups: "Du er ikke tilmeldt noget de næste 7 dage.", Unsubscribe: "Afmeld",
		SharedWithMe: "Delt med mig", NothingShared: "Intet er delt med dig.", PicturesOfMe: "Billeder af mig", NoPicturesOfMe: "Ingen billeder.",
		MyGroups: "Mine grupper", NoGroups: "Ingen grupper.", MySuggestions: "Mine forslag", NoSuggestions: "Ingen forslag endnu.",
		Document: "Dokument", Video: "Video", VideoInApp: "Se videoen i appen",
		StillHere: "Er du her stadig?", YesStillHere: "Ja, jeg er her",
		WrongPIN: "Forkert kode. Du har %d forsøg tilbage.", WrongPINLast: "Forkert kode. Du har 1 forsøg tilbage, derefter bliver koden låst.",
		Locked: "Koden er låst i %d minutter. Spørg personalet, hvis du har glemt den.", WaitSeconds: "Vent %d sekunder, så kan du prøve igen.",
		NoLogin: "Du kan ikke logge ind på skærmen endnu. Spørg personalet.", UnknownProfile: "Skærmen kender dig ikke. Spørg personalet.",
		LoginFailed: "Det lykkedes ikke at logge ind. Prøv igen om lidt.", SignUpMe: "Tilmeld mig", Hidden: "Privat indhold skjult",
		LoggedOutIdle:   "Du er logget ud.",
		WriteSuggestion: "Skriv et forslag", SuggestionFor: "Forslag til %s, %s", Send: "Send", Abort: "Fortryd", Space: "mellemrum",
		Sent: "Tak. Dit forslag er sendt.", NotSent: "Forslaget blev ikke sendt. Prøv igen senere.", SuggestClosed: "Mødet er begyndt, så forslaget blev ikke sendt.", TooLong: "Forslaget er for langt.",
		Queued:        "Forslaget sendes, så snart skærmen har forbindelse.",
		DocumentInApp: "Læs dokumentet i appen",
	},
	"nb": {
		LogIn: "Logg inn", LogOut: "Logg ut", LoggedIn: "Logget inn: %s", TapYourPicture: "Trykk på ditt eget bilde for å logge inn",
		TypePIN: "Skriv koden din", Delete: "Slett", Back: "Tilbake",
		Offline:    "Du kan ikke logge inn nå: skjermen har ikke forbindelse til serveren. Tavlen virker som før. Prøv igjen senere.",
		NotOffered: "Det er ikke mulig å logge inn på denne skjermen.", Loading: "Henter siden din …",
		MySignups: "Mine påmeldinger de neste 7 dagene", NoSignups: "Du er ikke påmeldt noe de neste 7 dagene.", Unsubscribe: "Meld av",
		SharedWithMe: "Delt med meg", NothingShared: "Ingenting er delt med deg.", PicturesOfMe: "Bilder av meg", NoPicturesOfMe: "Ingen bilder.",
		MyGroups: "Mine grupper", NoGroups: "Ingen grupper.", MySuggestions: "Mine forslag", NoSuggestions: "Ingen forslag ennå.",
		Document: "Dokument", Video: "Video", VideoInApp: "Se videoen i appen",
		StillHere: "Er du her fortsatt?", YesStillHere: "Ja, jeg er her",
		WrongPIN: "Feil kode. Du har %d forsøk igjen.", WrongPINLast: "Feil kode. Du har 1 forsøk igjen, så blir koden låst.",
		Locked: "Koden er låst i %d minutter. Spør personalet hvis du har glemt den.", WaitSeconds: "Vent %d sekunder, så kan du prøve igjen.",
		NoLogin: "Du kan ikke logge inn på skjermen ennå. Spør personalet.", UnknownProfile: "Skjermen kjenner deg ikke. Spør personalet.",
		LoginFailed: "Innloggingen lyktes ikke. Prøv igjen om litt.", SignUpMe: "Meld meg på", Hidden: "Privat innhold skjult",
		LoggedOutIdle:   "Du er logget ut.",
		WriteSuggestion: "Skriv et forslag", SuggestionFor: "Forslag til %s, %s", Send: "Send", Abort: "Avbryt", Space: "mellomrom",
		Sent: "Takk. Forslaget ditt er sendt.", NotSent: "Forslaget ble ikke sendt. Prøv igjen senere.", SuggestClosed: "Møtet har begynt, så forslaget ble ikke sendt.", TooLong: "Forslaget er for langt.",
		Queued:        "Forslaget sendes så snart skjermen har forbindelse.",
		DocumentInApp: "Les dokumentet i appen",
	},
	"de": {
		LogIn: "Anmelden", LogOut: "Abmelden", LoggedIn: "Angemeldet: %s", TapYourPicture: "Tippen Sie zum Anmelden auf Ihr eigenes Bild",
		TypePIN: "Geben Sie Ihren Code ein", Delete: "Löschen", Back: "Zurück",
		Offline:    "Anmelden ist gerade nicht möglich: der Bildschirm hat keine Verbindung zum Server. Die Tafel funktioniert weiter. Versuchen Sie es später.",
		NotOffered: "An diesem Bildschirm kann man sich nicht anmelden.", Loading: "Ihre Seite wird geladen …",
		MySignups: "Meine Anmeldungen der nächsten 7 Tage", NoSignups: "Sie sind in den nächsten 7 Tagen nirgends angemeldet.", Unsubscribe: "Absagen",
		SharedWithMe: "Mit mir geteilt", NothingShared: "Nichts mit Ihnen geteilt.", PicturesOfMe: "Bilder von mir", NoPicturesOfMe: "Keine Bilder.",
		MyGroups: "Meine Gruppen", NoGroups: "Keine Gruppen.", MySuggestions: "Meine Vorschläge", NoSuggestions: "Noch keine Vorschläge.",
		Document: "Dokument", Video: "Video", VideoInApp: "Das Video in der App ansehen",
		StillHere: "Sind Sie noch da?", YesStillHere: "Ja, ich bin da",
		WrongPIN: "Falscher Code. Sie haben noch %d Versuche.", WrongPINLast: "Falscher Code. Noch 1 Versuch, dann wird der Code gesperrt.",
		Locked: "Der Code ist %d Minuten gesperrt. Fragen Sie das Personal.", WaitSeconds: "Warten Sie %d Sekunden, dann können Sie es wieder versuchen.",
		NoLogin: "Sie können sich am Bildschirm noch nicht anmelden. Fragen Sie das Personal.", UnknownProfile: "Der Bildschirm kennt Sie nicht. Fragen Sie das Personal.",
		LoginFailed: "Die Anmeldung hat nicht geklappt. Versuchen Sie es gleich noch einmal.", SignUpMe: "Mich anmelden", Hidden: "Privater Inhalt verdeckt",
		LoggedOutIdle:   "Sie sind abgemeldet.",
		WriteSuggestion: "Einen Vorschlag schreiben", SuggestionFor: "Vorschlag für %s, %s", Send: "Senden", Abort: "Abbrechen", Space: "Leertaste",
		Sent: "Danke. Ihr Vorschlag ist gesendet.", NotSent: "Der Vorschlag wurde nicht gesendet. Versuchen Sie es später.", SuggestClosed: "Das Treffen hat begonnen, der Vorschlag wurde nicht gesendet.", TooLong: "Der Vorschlag ist zu lang.",
		Queued:        "Der Vorschlag wird gesendet, sobald der Bildschirm Verbindung hat.",
		DocumentInApp: "Das Dokument in der App lesen",
	},
	"en": {
		LogIn: "Log in", LogOut: "Log out", LoggedIn: "Logged in: %s", TapYourPicture: "Tap your own picture to log in",
		TypePIN: "Type your code", Delete: "Delete", Back: "Back",
		Offline:    "You cannot log in right now: the screen has no connection to the server. The board works as before. Try again later.",
		NotOffered: "Logging in is not available on this screen.", Loading: "Fetching your page …",
		MySignups: "My sign-ups for the next 7 days", NoSignups: "You are not signed up for anything in the next 7 days.", Unsubscribe: "Cancel",
		SharedWithMe: "Shared with me", NothingShared: "Nothing is shared with you.", PicturesOfMe: "Pictures of me", NoPicturesOfMe: "No pictures.",
		MyGroups: "My groups", NoGroups: "No groups.", MySuggestions: "My suggestions", NoSuggestions: "No suggestions yet.",
		Document: "Document", Video: "Video", VideoInApp: "Watch the video in the app",
		StillHere: "Are you still here?", YesStillHere: "Yes, I am here",
		WrongPIN: "Wrong code. You have %d tries left.", WrongPINLast: "Wrong code. You have 1 try left, then the code is locked.",
		Locked: "The code is locked for %d minutes. Ask the staff if you have forgotten it.", WaitSeconds: "Wait %d seconds, then you can try again.",
		NoLogin: "You cannot log in on the screen yet. Ask the staff.", UnknownProfile: "The screen does not know you. Ask the staff.",
		LoginFailed: "Logging in did not work. Try again in a moment.", SignUpMe: "Sign me up", Hidden: "Private content hidden",
		LoggedOutIdle:   "You are logged out.",
		WriteSuggestion: "Write a suggestion", SuggestionFor: "Suggestion for %s, %s", Send: "Send", Abort: "Cancel", Space: "space",
		Sent: "Thank you. Your suggestion is sent.", NotSent: "The suggestion was not sent. Try again later.", SuggestClosed: "The meeting has started, so the suggestion was not sent.", TooLong: "The suggestion is too long.",
		Queued:        "The suggestion is sent as soon as the screen has a connection.",
		DocumentInApp: "Read the document in the app",
	},
}

// LoginWordsFor are the login's words for a locale (Danish when unknown).
func LoginWordsFor(locale string) LoginWords {
	if w, ok := loginWordsBy[locale]; ok {
		return w
	}
	return loginWordsBy["da"]
}
