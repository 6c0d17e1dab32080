package backend

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The backend keeps everything in memory and writes every change through to
// its bbolt file in the same step, so a restart finds what it left.

// row is a stored type.
type row interface {
	Department | Profile | Activity | Meal | Meeting | Booking | Bookable | RosterEntry | News | GalleryItem | Notice
	rowID() string
	rowDept() string
	validate() error
}

// rowPtr lets generic code set the department of a row.
type rowPtr[T any] interface {
	*T
	setDept(id string)
	setID(id string)
}

// table is one bucket of rows of type T, mirrored in memory.
type table[T row] struct {
	bucket []byte
	rows   map[string]T
}

func newTable[T row](bucket string) *table[T] {
	return &table[T]{bucket: []byte(bucket), rows: map[string]T{}}
}

// sorted returns the rows ordered by id.
func (t *table[T]) sorted() []T {
	out := make([]T, 0, len(t.rows))
	for _, k := range slices.Sorted(maps.Keys(t.rows)) {
		out = append(out, t.rows[k])
	}
	return out
}

func (t *table[T]) load(tx *bolt.Tx) error {
	b := tx.Bucket(t.bucket)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		var r T
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("decode %s/%s: %w", t.bucket, k, err)
		}
		t.rows[string(k)] = r
		return nil
	})
}

// state is the care home's content.
type state struct {
	departments *table[Department]
	profiles    *table[Profile]
	activities  *table[Activity]
	meals       *table[Meal]
	meetings    *table[Meeting]
	bookings    *table[Booking]
	bookables   *table[Bookable]
	roster      *table[RosterEntry]
	news        *table[News]
	gallery     *table[GalleryItem]
	notices     *table[Notice]
	// changed is when each department's content last changed; it is the
	// board's generated_at, so an unchanged board keeps its ETag.
	changed map[string]time.Time
}

func newState() *state {
	return &state{
		departments: newTable[Department]("departments"),
		profiles:    newTable[Profile]("profiles"),
		activities:  newTable[Activity]("activities"),
		meals:       newTable[Meal]("meals"),
		meetings:    newTable[Meeting]("meetings"),
		bookings:    newTable[Booking]("bookings"),
		bookables:   newTable[Bookable]("bookables"),
		roster:      newTable[RosterEntry]("roster"),
		news:        newTable[News]("news"),
		gallery:     newTable[GalleryItem]("gallery"),
		notices:     newTable[Notice]("notices"),
		changed:     map[string]time.Time{},
	}
}

// contentBuckets are the buckets a demo reseed replaces.
func (st *state) contentBuckets() [][]byte {
	return [][]byte{st.departments.bucket, st.profiles.bucket, st.activities.bucket, st.meals.bucket,
		st.meetings.bucket, st.bookings.bucket, st.bookables.bucket, st.roster.bucket, st.news.bucket, st.gallery.bucket,
		st.notices.bucket}
}

// firstDepartment is the department with the smallest id, "" if none.
func (st *state) firstDepartment() string {
	ids := slices.Sorted(maps.Keys(st.departments.rows))
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// Other buckets.
var (
	bucketMedia       = []byte("media")            // sha256 -> content type, 0, bytes
	bucketSignups     = []byte("signups")          // signup id -> SignupRecord
	bucketBookingReqs = []byte("booking_requests") // screen's request id -> BookingRecord
	bucketTokens      = []byte("tokens")           // sha256(token) -> tokenRecord
	bucketScreens     = []byte("screens")          // screen id -> ScreenStatus
	bucketScreenshots = []byte("screenshots")      // screen id -> PNG
	bucketMeta        = []byte("meta")             // see meta keys
)

const (
	metaDemoDay       = "demo_day"  // the day the demo was seeded for, YYYY-MM-DD
	metaChangedPrefix = "changed/"  // + department id -> RFC 3339 time
	metaSchema        = "schema"    // the store's layout version
	schemaVersion     = "1"         //
	metaUserContent   = "user_edit" // set once the admin API changed content
)

// tokenRecord is an issued device token, stored under its hash.
type tokenRecord struct {
	DepartmentID string    `json:"department_id"`
	ScreenID     string    `json:"screen_id"`
	IssuedAt     time.Time `json:"issued_at"`
}

// batch is one write transaction. Memory changes wait in ops until the
// transaction has committed, so a failed write leaves memory as it was.
type batch struct {
	tx      *bolt.Tx
	ops     []func()
	touched map[string]bool // departments whose board content changed
	all     bool            // every department changed (external profiles)
	notices []noticeEvent   // notices put or removed: pushed with the event notice
}

// noticeEvent is a notice to push to its department's screens.
type noticeEvent struct{ dept, id string }

// noticed records r when it is a notice.
func (b *batch) noticed(r any) {
	if n, ok := r.(Notice); ok {
		b.notices = append(b.notices, noticeEvent{n.DepartmentID, n.ID})
	}
}

func (b *batch) touch(dept string) {
	if dept != "" {
		b.touched[dept] = true
	}
}

func (b *batch) putJSON(bucket []byte, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", bucket, key, err)
	}
	if err := b.tx.Bucket(bucket).Put([]byte(key), data); err != nil {
		return fmt.Errorf("write %s/%s: %w", bucket, key, err)
	}
	return nil
}

// put writes r and marks its department changed.
func put[T row](b *batch, t *table[T], r T) error {
	if err := b.putJSON(t.bucket, r.rowID(), r); err != nil {
		return err
	}
	b.ops = append(b.ops, func() { t.rows[r.rowID()] = r })
	b.touch(r.rowDept())
	b.noticed(r)
	return nil
}

// del removes the row with id and marks its department changed.
func del[T row](b *batch, t *table[T], id string) error {
	old, ok := t.rows[id]
	if !ok {
		return nil
	}
	if err := b.tx.Bucket(t.bucket).Delete([]byte(id)); err != nil {
		return fmt.Errorf("delete %s/%s: %w", t.bucket, id, err)
	}
	b.ops = append(b.ops, func() { delete(t.rows, id) })
	b.touch(old.rowDept())
	b.noticed(old)
	return nil
}

func openDB(path string) (*bolt.DB, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open backend store %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range append(newState().contentBuckets(), bucketMedia, bucketSignups, bucketBookingReqs, bucketTokens, bucketScreens, bucketScreenshots, bucketMeta) {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get([]byte(metaSchema)); v != nil && string(v) != schemaVersion {
			return fmt.Errorf("store layout %s, this backend knows %s", v, schemaVersion)
		}
		return meta.Put([]byte(metaSchema), []byte(schemaVersion))
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare backend store %s: %w", path, err)
	}
	return db, nil
}

// loadState reads the content tables and change times.
func loadState(tx *bolt.Tx) (*state, error) {
	st := newState()
	loaders := []func(*bolt.Tx) error{st.departments.load, st.profiles.load, st.activities.load, st.meals.load,
		st.meetings.load, st.bookings.load, st.bookables.load, st.roster.load, st.news.load, st.gallery.load, st.notices.load}
	for _, load := range loaders {
		if err := load(tx); err != nil {
			return nil, err
		}
	}
	err := tx.Bucket(bucketMeta).ForEach(func(k, v []byte) error {
		key := string(k)
		if len(key) > len(metaChangedPrefix) && key[:len(metaChangedPrefix)] == metaChangedPrefix {
			t, err := time.Parse(time.RFC3339Nano, string(v))
			if err != nil {
				return fmt.Errorf("decode meta %s: %w", key, err)
			}
			st.changed[key[len(metaChangedPrefix):]] = t
		}
		return nil
	})
	return st, err
}

// seed replaces the content with st (the demo for day, or a bare store when
// day is ""); media are added, tokens, screens, sign-ups and booking
// requests stay.
func seed(tx *bolt.Tx, st *state, media map[string]blob, day string) error {
	for _, name := range st.contentBuckets() {
		if err := tx.DeleteBucket(name); err != nil {
			return fmt.Errorf("clear %s: %w", name, err)
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
	}
	b := &batch{tx: tx, touched: map[string]bool{}}
	var err error
	putAll := func(f func() error) {
		if err == nil {
			err = f()
		}
	}
	putAll(func() error { return putRows(b, st.departments) })
	putAll(func() error { return putRows(b, st.profiles) })
	putAll(func() error { return putRows(b, st.activities) })
	putAll(func() error { return putRows(b, st.meals) })
	putAll(func() error { return putRows(b, st.meetings) })
	putAll(func() error { return putRows(b, st.bookings) })
	putAll(func() error { return putRows(b, st.bookables) })
	putAll(func() error { return putRows(b, st.roster) })
	putAll(func() error { return putRows(b, st.news) })
	putAll(func() error { return putRows(b, st.gallery) })
	putAll(func() error { return putRows(b, st.notices) })
	if err != nil {
		return err
	}
	meta := tx.Bucket(bucketMeta)
	for dept, t := range st.changed {
		if err := meta.Put([]byte(metaChangedPrefix+dept), []byte(t.UTC().Format(time.RFC3339Nano))); err != nil {
			return fmt.Errorf("write change time: %w", err)
		}
	}
	if day == "" {
		err = meta.Delete([]byte(metaDemoDay))
	} else {
		err = meta.Put([]byte(metaDemoDay), []byte(day))
	}
	if err != nil {
		return fmt.Errorf("write demo day: %w", err)
	}
	if err := meta.Delete([]byte(metaUserContent)); err != nil {
		return fmt.Errorf("clear edit mark: %w", err)
	}
	mb := tx.Bucket(bucketMedia)
	for _, sha := range slices.Sorted(maps.Keys(media)) {
		if mb.Get([]byte(sha)) != nil {
			continue
		}
		if err := mb.Put([]byte(sha), media[sha].encode()); err != nil {
			return fmt.Errorf("write media %s: %w", sha, err)
		}
	}
	return nil
}

func putRows[T row](b *batch, t *table[T]) error {
	for _, r := range t.sorted() {
		if err := b.putJSON(t.bucket, r.rowID(), r); err != nil {
			return err
		}
	}
	return nil
}
