package site

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"sort"
	"strconv"

	"bantin/internal/viet"
)

// tags builds the tag index. Tags merge by slug; the first form seen (in
// content path order) is the one shown.
func (s *Site) tags(all []*Article) {
	bySlug := map[string]*Term{}
	slugOf := map[string]string{} // the same few tags on thousands of articles
	for _, a := range all {
		if a.Section != nil && a.Section.Name == VideoSection {
			continue
		}
		seen := map[*Term]bool{}
		for _, name := range a.Page.Tags {
			slug, ok := slugOf[name]
			if !ok {
				slug = viet.Slug(name)
				slugOf[name] = slug
			}
			if slug == "" {
				continue
			}
			t, ok := bySlug[slug]
			if !ok {
				t = &Term{Name: name, Slug: slug, URL: "/" + s.Config.Paths.Tags + "/" + slug + "/"}
				bySlug[slug] = t
				s.Tags = append(s.Tags, t)
			}
			if !seen[t] {
				seen[t] = true
				t.Articles = append(t.Articles, a)
				a.Tags = append(a.Tags, t)
			}
		}
	}
	sortByName(s.Tags, func(t *Term) string { return t.Name }, func(t *Term) string { return t.Slug })
	for _, t := range s.Tags {
		sortByRank(t.Articles)
	}
	// The cloud: most used first to pick, then shown in name order.
	byUse := append([]*Term(nil), s.Tags...)
	sort.SliceStable(byUse, func(i, j int) bool { return len(byUse[i].Articles) > len(byUse[j].Articles) })
	pos := make(map[*Term]int, len(s.Tags))
	for i, t := range s.Tags {
		pos[t] = i
	}
	s.tagCloud = byUse[:min(maxCloud, len(byUse))]
	sort.Slice(s.tagCloud, func(i, j int) bool { return pos[s.tagCloud[i]] < pos[s.tagCloud[j]] })
}

// people builds the participant index. One person is one NFC name with
// collapsed spaces (source did both), or one id.
func (s *Site) people(all []*Article) {
	type personKey struct {
		byID bool
		s    string
	}
	byKey := map[personKey]*Person{}
	slugs := map[string]bool{}
	var order []*Person
	for _, a := range all {
		for _, p := range a.Page.Participants {
			key := personKey{s: p.Name}
			if p.ID != "" {
				key = personKey{true, p.ID}
			}
			person, ok := byKey[key]
			if !ok {
				person = &Person{Name: p.Name, ID: p.ID}
				byKey[key] = person
				order = append(order, person)
			}
			at := &Attendance{Person: person, Article: a, Role: p.Role, Chair: p.Chair}
			a.Participants = append(a.Participants, at)
			person.Appearances = append(person.Appearances, at)
		}
	}
	sortByName(order, func(p *Person) string { return p.Name }, func(p *Person) string { return p.ID })
	// Slugs after sorting, so a namesake's "-2" does not depend on file order.
	for _, p := range order {
		base := viet.Slug(p.Name)
		if p.ID != "" {
			base = viet.Slug(p.Name + " " + p.ID)
		}
		if base == "" {
			base = "dai-bieu"
		}
		slug := base
		for n := 2; slugs[slug]; n++ {
			slug = base + "-" + strconv.Itoa(n)
		}
		slugs[slug] = true
		p.Slug = slug
		p.URL = "/" + s.Config.Paths.Participants + "/" + slug + "/"
		slices.SortStableFunc(p.Appearances, func(a, b *Attendance) int { return cmp.Compare(a.Article.rank, b.Article.rank) })
	}
	s.People = order
}

// tasks builds the tracker: grouped by lead (Vietnamese collation, no lead
// last), inside a group by due date (none last), then by the article's date.
func (s *Site) tasks(all []*Article) {
	byLead := map[string]*TaskGroup{}
	for _, a := range all {
		own := make([]Task, len(a.Page.Tasks))
		for i := range a.Page.Tasks {
			t := &a.Page.Tasks[i]
			task := &own[i]
			*task = Task{Task: t, Article: a, N: i + 1}
			a.Tasks = append(a.Tasks, task)
			g, ok := byLead[t.Lead]
			if !ok {
				g = &TaskGroup{Lead: t.Lead}
				byLead[t.Lead] = g
				s.TaskGroups = append(s.TaskGroups, g)
			}
			g.Tasks = append(g.Tasks, task)
			s.TaskCount++
		}
	}
	sort.SliceStable(s.TaskGroups, func(i, j int) bool {
		a, b := s.TaskGroups[i].Lead, s.TaskGroups[j].Lead
		if (a == "") != (b == "") {
			return b == ""
		}
		return viet.Compare(a, b) < 0
	})
	ids := map[string]bool{}
	for _, g := range s.TaskGroups {
		slug := viet.Slug(g.Lead)
		if g.Lead == "" || slug == "" {
			slug = "chua-giao-don-vi"
		}
		for base, n := slug, 2; ids[slug]; n++ {
			slug = base + "-" + strconv.Itoa(n)
		}
		ids[slug] = true
		g.ID = "don-vi-" + slug
		g.URL = "/" + s.Config.Paths.Tasks + "/" + slug + "/"
		sortTasks(g.Tasks)
	}
}

// sortTasks orders a unit's tasks by due date (none last), then by their
// meeting's date. Tasks arrive in content-path and task order, which the
// stable sort keeps for ties. Keys are computed once: at 50,000 tasks the
// comparisons of time values cost a tenth of a serve rebuild.
func sortTasks(tasks []*Task) {
	type keyed struct {
		due, date int64
		t         *Task
	}
	ks := make([]keyed, len(tasks))
	for i, t := range tasks {
		due := int64(math.MaxInt64)
		if !t.Due.IsZero() {
			due = t.Due.Unix()
		}
		ks[i] = keyed{due, t.Article.Date.Unix(), t}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := cmp.Compare(a.due, b.due); c != 0 {
			return c
		}
		return cmp.Compare(a.date, b.date)
	})
	for i, k := range ks {
		tasks[i] = k.t
	}
}

// sortByName sorts by Vietnamese collation of name, then by tie.
func sortByName[T comparable](list []T, name, tie func(T) string) {
	keys := make(map[T][]byte, len(list))
	for _, x := range list {
		keys[x] = viet.Key(name(x))
	}
	sort.SliceStable(list, func(i, j int) bool {
		if c := bytes.Compare(keys[list[i]], keys[list[j]]); c != 0 {
			return c < 0
		}
		return tie(list[i]) < tie(list[j])
	})
}
