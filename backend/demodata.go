package backend

// The demo care home's people and plans: Danish names, menus and
// activities. The private fields are made up but look real, so a screen
// that leaks one is caught by a plain search of its cache file.

type demoPerson struct {
	first, last string
	male        bool
}

var demoDepartments = []Department{
	// Solsikken's screens announce what comes ten minutes ahead, quiet
	// through the night; Havblik's stay silent.
	{ID: "d1", Name: "Solsikken", Timezone: "Europe/Copenhagen", Locale: "da",
		Announcements: &Announcements{Enabled: true, BeforeMinutes: 10, Quiet: "20:30-08:00"}},
	{ID: "d2", Name: "Havblik", Timezone: "Europe/Copenhagen", Locale: "da"},
}

// demoBookables are what a department lets its residents book on the
// screen (Screen API v1.2): the laundry in fixed two-hour slots, the minibus
// by the half hour for one to four hours, and the guest room by the night
// (over midnight, up to three nights) for a resident logged in on the screen.
func demoBookables(dept string) []Bookable {
	return []Bookable{
		{ID: "bk-" + dept + "-vask", Name: "Vaskeriet", Pictogram: "laundry", Slots: SlotsFixed,
			SlotTimes: []string{"07:00-09:00", "09:00-11:00", "11:00-13:00", "13:00-15:00", "15:00-17:00", "17:00-19:00"},
			Open:      "07:00-19:00", MaxAheadDays: 14, MaxPerWeek: 2, CancelUntilMinutes: 60, DepartmentID: dept},
		{ID: "bk-" + dept + "-bus", Name: "Minibussen", Pictogram: "bus", Slots: SlotsFree,
			GridMinutes: 30, MinMinutes: 60, MaxMinutes: 240, Open: "08:00-20:00",
			MaxAheadDays: 30, MaxPerWeek: 1, CancelUntilMinutes: 120, DepartmentID: dept},
		{ID: "bk-" + dept + "-gaest", Name: "Gæsteværelset", Pictogram: "bed", Slots: SlotsFree,
			GridMinutes: 60, MinMinutes: 20 * 60, MaxMinutes: 72 * 60, Open: "00:00-24:00",
			MaxAheadDays: 60, MaxPerWeek: 1, CancelUntilMinutes: 24 * 60, LoginRequired: true, DepartmentID: dept},
	}
}

// Residents p1..p20 live in Solsikken (d1), p21..p40 in Havblik (d2).
var demoResidents = []demoPerson{
	{"Karen", "Ærtebølle", false}, {"Poul", "Søndergaard", true}, {"Inger", "Kjærsgaard", false},
	{"Jørgen", "Østergaard", true}, {"Birthe", "Lærkesen", false}, {"Søren", "Bøgholm", true},
	{"Grethe", "Frøslev", false}, {"Aage", "Nørskov", true}, {"Else", "Dæhnfeldt", false},
	{"Knud", "Højgaard", true}, {"Gudrun", "Mølgaard", false}, {"Børge", "Skræp", true},
	{"Edith", "Rønnow", false}, {"Holger", "Ågesen", true}, {"Ruth", "Sønderby", false},
	{"Preben", "Fjællegaard", true}, {"Bodil", "Kræmmer", false}, {"Svend", "Ødegaard", true},
	{"Åse", "Brændstrup", false}, {"Kaj", "Løvstrøm", true},

	{"Kirsten", "Grønbæk", false}, {"Hans", "Damsgård", true}, {"Ellen", "Bækgaard", false},
	{"Niels", "Ravnsø", true}, {"Lis", "Søgaard", false}, {"Erik", "Ærøe", true},
	{"Annelise", "Vestergård", false}, {"Bent", "Stærmose", true}, {"Ingrid", "Hjørnholm", false},
	{"Arne", "Bjørnø", true}, {"Tove", "Kløvedal", false}, {"Leif", "Hvidbjørn", true},
	{"Jytte", "Rødkær", false}, {"Kurt", "Fæstersen", true}, {"Hanne", "Lyngsø", false},
	{"Ejner", "Gråsten", true}, {"Birgit", "Møllebæk", false}, {"Agnete", "Sølvhøj", false},
	{"Bjørn", "Tårnby", true}, {"Dagmar", "Kjærulff", false},
}

// Staff s1..s8 work in Solsikken, s9..s16 in Havblik.
var demoStaff = []struct {
	demoPerson
	role string
}{
	{demoPerson{"Mette", "Krøyer", false}, roleSSA}, {demoPerson{"Louise", "Bækholm", false}, roleSSH},
	{demoPerson{"Ahmed", "Hussaini", true}, roleSSA}, {demoPerson{"Camilla", "Fønss", false}, roleNurse},
	{demoPerson{"Mads", "Thøgersen", true}, rolePedagogue}, {demoPerson{"Sofie", "Kærgaard", false}, roleKitchen},
	{demoPerson{"Jonas", "Ølgaard", true}, roleSSH}, {demoPerson{"Rikke", "Sønnichsen", false}, roleSSA},

	{demoPerson{"Fatima", "Özdemir", false}, roleSSA}, {demoPerson{"Line", "Høeg", false}, roleNurse},
	{demoPerson{"Rasmus", "Bøje", true}, roleSSH}, {demoPerson{"Sara", "Frølund", false}, roleSSH},
	{demoPerson{"Mikkel", "Ærendal", true}, rolePedagogue}, {demoPerson{"Julie", "Dalsgård", false}, roleKitchen},
	{demoPerson{"Nadia", "Kjølbye", false}, roleSSA}, {demoPerson{"Kasper", "Løkke", true}, roleSSA},
}

const (
	roleSSA       = "Social- og sundhedsassistent"
	roleSSH       = "Social- og sundhedshjælper"
	roleNurse     = "Sygeplejerske"
	rolePedagogue = "Pædagog"
	roleKitchen   = "Køkkenassistent"
)

// External profiles come from another care home's system.
var demoExternals = []demoPerson{{"Vagn", "Højbjerg", true}, {"Gerda", "Bramsløv", false}}

const demoOtherHome = "Plejecenter Egebakken"

// Special profiles. Their first names appear nowhere else in the demo, so a
// search for them in a screen's cache proves a leak.
var (
	demoHidden     = map[string]bool{"p13": true, "p33": true, "s8": true}
	demoAnonymized = map[string]string{"p15": "Beboer A", "p38": "Beboer B"}
	demoAliases    = map[string]string{"p16": "Præsten"}
	demoNoAvatar   = map[string]bool{"p8": true, "p17": true, "p27": true, "p36": true, "p38": true, "s5": true, "s14": true}
)

var demoResidentNotes = []string{
	"Diabetes type 2, insulin morgen og aften.",
	"Allergi over for penicillin.",
	"Pårørende: datter, ring ved fald eller indlæggelse.",
	"Let demens. Husk høreapparat i venstre øre.",
	"Faldrisiko, bruger rollator. Skal have hjælp om natten.",
	"Vegetar. Tåler ikke gluten.",
	"KOL, ilt 2 liter efter behov.",
	"Blodfortyndende medicin. Obs. blå mærker.",
	"Synshandicappet, læser med lup.",
	"Hjertesvigt, vejes hver mandag.",
}

var demoStaffNotes = []string{
	"Nøglebrik nr. 1043.",
	"Kørekort til minibussen.",
	"Førstehjælpskursus fornyes i foråret.",
	"Arbejder ikke weekender efter aftale.",
	"Tillidsrepræsentant.",
}

var demoMailHosts = []string{"mail.dk", "gmail.com", "hotmail.com", "outlook.dk", "jubii.dk", "stofanet.dk"}

type demoActivity struct {
	title, desc, location, pictogram string
	hour, min, minutes, capacity     int
	scene                            string
}

var demoActivities = []demoActivity{
	{"Banko", "Kom og spil banko om gevinster fra købmanden. Plader udleveres ved bordet.", "Fælleshuset", "games", 14, 0, 90, 20, ""},
	{"Kortspil og kaffe", "Whist, kasino og 500 med kaffe på kanden.", "Dagligstuen", "games", 10, 0, 90, 8, ""},
	{"Fællessang", "Vi synger fra Højskolesangbogen. Ønsker modtages.", "Fælleshuset", "music", 15, 0, 60, 0, ""},
	{"Musik med harmonika", "Gamle danske sange og slagere på harmonika.", "Dagligstuen", "music", 14, 30, 60, 25, ""},
	{"Gåtur i haven", "En rolig tur rundt i haven. Rollatorer er velkomne.", "Haven", "walk", 10, 30, 45, 10, sceneGarden},
	{"Gåtur til søen", "Vi går sammen ned til søen og tilbage. Husk en varm jakke.", "Hovedindgangen", "walk", 13, 30, 75, 8, sceneForest},
	{"Stolegymnastik", "Let gymnastik siddende på stolen, med musik.", "Dagligstuen", "exercise", 9, 30, 45, 15, ""},
	{"Balancetræning", "Øvelser der styrker balancen, med fysioterapeuten.", "Træningslokalet", "exercise", 11, 0, 45, 6, ""},
	{"Kreativt værksted", "Vi maler, klipper og klistrer. Alle kan være med.", "Fælleshuset", "crafts", 13, 30, 90, 12, ""},
	{"Strikkeklub", "Strik og hygge. Garn og pinde kan lånes.", "Dagligstuen", "crafts", 10, 0, 120, 0, ""},
	{"Andagt", "En kort andagt med salmesang.", "Kapellet", "church", 16, 0, 30, 0, ""},
	{"Tur til stranden med minibussen", "Vi kører til stranden, får is og ser på havet.", "Minibussen ved hovedindgangen", "trip", 13, 0, 180, 7, sceneBeach},
	{"Udflugt til havnen", "Kaffe og wienerbrød med udsigt over havnen.", "Minibussen ved hovedindgangen", "trip", 10, 0, 210, 7, sceneHarbour},
	{"Film: Olsen-banden", "Vi ser en klassiker med popcorn og sodavand.", "Fælleshuset", "cinema", 14, 0, 120, 0, ""},
	{"Biograf: Matador", "Vi ser et afsnit af Matador på storskærm.", "Fælleshuset", "cinema", 19, 0, 60, 30, ""},
	{"Vi bager boller", "Bag boller til eftermiddagskaffen. Forklæder udleveres.", "Køkkenet", "baking", 10, 0, 90, 6, sceneBaking},
	{"Kagebagning: æblekage", "Vi laver gammeldags æblekage med flødeskum.", "Køkkenet", "baking", 13, 30, 90, 6, sceneBaking},
}

var demoSunday = demoActivity{"Gudstjeneste", "Gudstjeneste ved sognepræsten med altergang.", "Kapellet", "church", 10, 30, 60, 0, ""}

var demoVisit = demoActivity{"Fællessang med Egebakken", "Beboere fra Plejecenter Egebakken kommer på besøg, og vi synger sammen.", "Fælleshuset", "music", 15, 0, 75, 30, ""}

var (
	demoBreakfasts = []string{
		"Havregrød med sukker og mælk, rugbrød og ost",
		"Øllebrød med flødeskum",
		"Rundstykker med ost og marmelade",
		"Blødkogt æg, rugbrød og ost",
		"Yoghurt med mysli og frugt",
	}
	demoLunches = []string{
		"Frikadeller med kartofler og brun sovs",
		"Stegt flæsk med persillesovs og kartofler",
		"Boller i karry med ris",
		"Hakkebøf med bløde løg og kartofler",
		"Kogt torsk med sennepssovs",
		"Biksemad med spejlæg og rødbeder",
		"Millionbøf med kartoffelmos",
		"Fiskefrikadeller med remoulade og rugbrød",
		"Hønsekødssuppe med kød- og melboller",
		"Gule ærter med flæsk og pølse",
		"Flæskesteg med rødkål og brunede kartofler",
		"Forloren hare med waldorfsalat",
		"Æggekage med bacon og purløg",
	}
	demoDesserts = []string{
		"Risalamande med kirsebærsovs",
		"Rødgrød med fløde",
		"Koldskål med kammerjunkere",
		"Citronfromage",
		"Pandekager med is",
	}
	demoCoffees = []string{
		"Kaffe og hjemmebagt drømmekage",
		"Kaffe og citronmåne",
		"Kaffe og brunsviger",
		"Kaffe og hindbærsnitter",
		"Kaffe og boller med smør",
	}
	demoDinners = []string{
		"Smørrebrød med leverpostej, rullepølse og æg",
		"Tarteletter med høns i asparges",
		"Kartoffelsuppe med bacon og brød",
		"Tomatsuppe med brød",
		"Pålægsbord med rugbrød og sild",
		"Omelet med skinke og salat",
	}
	demoEvenings = []string{
		"Aftenkaffe med kiks",
		"Te og ostemadder",
		"Varm kakao og boller",
		"Aftenkaffe med småkager",
	}
)

type demoText struct {
	title, body string
	daysAgo     int
	scene       string
	visible     bool
}

var demoNews = map[string][]demoText{
	"d1": {
		{"Ny frisør hver tirsdag", "Frisøren kommer hver tirsdag fra kl. 9. Skriv dig på listen ved kontoret.", 1, "", true},
		{"Besøg af børnehaven Mælkebøtten", "På torsdag kommer børnene og synger for os i Fælleshuset kl. 10.", 3, sceneParty, true},
		{"Husk influenzavaccination", "Sygeplejersken vaccinerer i næste uge. Sig til, hvis du ønsker en vaccination.", 5, "", true},
		{"Nye blomster i haven", "Haven har fået nye roser og en bænk ved bedet.", 8, sceneGarden, true},
		{"Internt: personalemøde om medicinhåndtering", "Kun for personale: mødet flyttes til onsdag kl. 14 i kontoret.", 2, "", false},
	},
	"d2": {
		{"Koncert i Fælleshuset", "Det lokale kor synger danske sange fredag kl. 15. Alle er velkomne.", 1, "", true},
		{"Nye bøger med stor skrift", "Der er kommet nye bøger med stor skrift i reolen ved elevatoren.", 4, "", true},
		{"Solnedgang fra terrassen", "Terrassen er åben om aftenen, så længe vejret tillader det.", 6, sceneSunset, true},
		{"Havnerundfart", "Tilmeld dig turen til havnen hos personalet.", 9, sceneHarbour, true},
		{"Internt: ønsker til julevagter", "Ønsker til julevagter afleveres på kontoret senest fredag.", 2, "", false},
	},
}

var demoGallery = map[string][]demoText{
	"d1": {
		{"Sommerfest i haven", "", 12, sceneParty, true},
		{"Tur til stranden", "", 20, sceneBeach, true},
		{"Blomsterne blomstrer", "", 26, sceneGarden, true},
		{"Bagedag i køkkenet", "", 33, sceneBaking, true},
		{"Skovtur (venter på samtykke)", "", 4, sceneForest, false},
	},
	"d2": {
		{"Udflugt til havnen", "", 9, sceneHarbour, true},
		{"Solnedgang fra terrassen", "", 15, sceneSunset, true},
		{"Vinter i Havblik", "", 40, sceneWinter, true},
		{"Gåtur i skoven", "", 22, sceneForest, true},
		{"Fødselsdag (må ikke vises)", "", 3, sceneParty, false},
	},
}

var demoSuggestions = map[string][]Suggestion{
	"d1": {
		{ProfileID: "p2", Text: "Tur til stranden, når vejret bliver godt"},
		{ProfileID: "p5", Text: "Mere fisk på menuen"},
		{ProfileID: "p13", Text: "Banko om aftenen en gang om måneden"},
		{ProfileID: "p15", Text: "Nye blomster i bedene ved terrassen"},
	},
	"d2": {
		{ProfileID: "p22", Text: "Besøg af en besøgshund"},
		{ProfileID: "p25", Text: "Julefrokost sammen med de pårørende"},
		{ProfileID: "p31", Text: "Flere aviser i dagligstuen"},
	},
}
