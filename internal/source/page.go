package source

import (
	"time"
)

// Kind tells a content file's role.
type Kind int

const (
	// Article is a dated page in a section (or a standalone page at the root).
	Article Kind = iota
	// ListMeta is an _index.md: title and text for the home page or a section list.
	ListMeta
)

// Page is one content file, decoded.
type Page struct {
	Kind    Kind
	File    string // path relative to the site dir, for messages: content/tin-tuc/a.md
	Path    string // path relative to content/: tin-tuc/a.md
	Section string // first folder under content/, "" at the root
	Dir     string // folder of the file relative to content/
	Bundle  bool   // an index.md whose folder holds its resources
	// Resources are the bundle's other files, relative to Dir (bundles only).
	Resources []string
	Name      string // the file name's slug source: file name without .md, or the bundle's folder

	Title        string
	Date         time.Time // zero when not given
	EventDate    time.Time
	Expiry       time.Time // zero when not given: from then on the page is left out
	Summary      string
	Category     string
	Tags         []string
	Participants []Participant
	Tasks        []Task
	Images       []Image
	Cover        string
	Video        *Video
	Draft        bool
	Pinned       bool
	Slug         string
	Aliases      []Alias
	Params       map[string]any

	Body      []byte
	BodyLine  int // file line where Body starts
	BodyStart int // byte offset of Body in the normalized file (see ReadBody)
}

// Participant is one person at an event.
type Participant struct {
	Name  string // NFC, spaces collapsed
	Role  string
	Chair bool
	ID    string // optional: tells namesakes apart
	Line  int
}

// Task is one numbered conclusion of a meeting.
type Task struct {
	Text     string
	Lead     string
	Support  []string
	Due      time.Time
	DueMonth bool // Due names only a month
	Status   string
	Line     int
}

// Task statuses (SPEC §2).
const (
	StatusNew        = "mới"
	StatusInProgress = "đang thực hiện"
	StatusDone       = "hoàn thành"
)

// Image is one photo of a page's album.
type Image struct {
	Src     string
	Caption string
	Line    int
}

// Video is a video entry's source.
type Video struct {
	YouTube string
	Src     string
	Poster  string
	Line    int
}

// Alias is an old URL that should redirect to the page.
type Alias struct {
	Path string
	Line int
}
